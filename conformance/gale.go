package conformance

import (
	"context"
	"encoding"
	"encoding/json"
	"fmt"
	"net"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/galeproject/gale/client"
	"github.com/galeproject/gale/stormthrift"
)

// galeCall asks Gale's leader Nimbus (found through the seed on seedPort,
// as Storm's clients do; with direct, the Nimbus on seedPort itself) one
// read-only question and returns the answer as a JSON tree: Gale's state,
// to compare the peers' views with. Thrift field names are the JSON keys;
// maps with struct keys become lists of {"key", "value"}. A TopologyInfo
// also gets "totals" (see topologyTotals).
func galeCall(ctx context.Context, seedPort int, direct bool, rpc string, args []string) (any, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var c *client.Client
	var err error
	if direct {
		c, err = client.DialAddr(ctx, net.JoinHostPort("127.0.0.1", itoa(seedPort)), client.Options{DialTimeout: 5 * time.Second})
	} else {
		c, err = client.DialLeader(ctx, client.Options{Seeds: []string{"127.0.0.1"}, Port: seedPort, DialTimeout: 5 * time.Second})
	}
	if err != nil {
		return nil, err
	}
	defer c.Close()
	arg := func(i int) (string, error) {
		if i >= len(args) {
			return "", fmt.Errorf("%s needs %d argument(s), have %d", rpc, i+1, len(args))
		}
		return args[i], nil
	}
	boolArg := func(i int) (bool, error) {
		s, err := arg(i)
		if err != nil {
			return false, err
		}
		return strconv.ParseBool(s)
	}
	var res any
	switch rpc {
	case "getClusterInfo":
		res, err = c.GetClusterInfo(ctx)
	case "getNimbusConf":
		var s string
		if s, err = c.GetNimbusConf(ctx); err == nil {
			return parseJSONString(s)
		}
	case "getTopologyConf":
		var id, s string
		if id, err = arg(0); err == nil {
			if s, err = c.GetTopologyConf(ctx, id); err == nil {
				return parseJSONString(s)
			}
		}
	case "getTopologyInfo":
		var id string
		if id, err = arg(0); err == nil {
			res, err = c.GetTopologyInfo(ctx, id)
		}
	case "getTopologyPageInfo":
		var id, window string
		var sys bool
		if id, err = arg(0); err == nil {
			if window, err = arg(1); err == nil {
				if sys, err = boolArg(2); err == nil {
					res, err = c.GetTopologyPageInfo(ctx, id, window, sys)
				}
			}
		}
	case "getComponentPageInfo":
		var id, comp, window string
		var sys bool
		if id, err = arg(0); err == nil {
			if comp, err = arg(1); err == nil {
				if window, err = arg(2); err == nil {
					if sys, err = boolArg(3); err == nil {
						res, err = c.GetComponentPageInfo(ctx, id, comp, window, sys)
					}
				}
			}
		}
	case "getTopology", "getUserTopology":
		var id string
		if id, err = arg(0); err == nil {
			if rpc == "getTopology" {
				res, err = c.GetTopology(ctx, id)
			} else {
				res, err = c.GetUserTopology(ctx, id)
			}
		}
	case "getLogConfig":
		var id string
		if id, err = arg(0); err == nil {
			res, err = c.GetLogConfig(ctx, id)
		}
	case "getTopologyHistory":
		var user string
		if user, err = arg(0); err == nil {
			res, err = c.GetTopologyHistory(ctx, user)
		}
	case "listBlobs":
		res, err = c.ListBlobs(ctx, "")
	case "getBlobMeta":
		var key string
		if key, err = arg(0); err == nil {
			res, err = c.GetBlobMeta(ctx, key)
		}
	default:
		return nil, fmt.Errorf("gale step: rpc %q is not supported", rpc)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rpc, err)
	}
	tree := thriftJSON(res)
	if info, ok := res.(*stormthrift.TopologyInfo); ok {
		// A derived view for cases to compare the UI with (totals.go).
		totals, err := normalize(topologyTotals(info))
		if err != nil {
			return nil, err
		}
		tree.(map[string]any)["totals"] = totals
	}
	return tree, nil
}

func parseJSONString(s string) (any, error) {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	return v, nil
}

var textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()

// thriftJSON turns a generated Thrift value into a JSON tree: structs by
// their json tag names (unset optional fields left out), enums by name,
// binary as a string, maps with non-string keys as [{"key","value"}].
func thriftJSON(v any) any {
	return toTree(reflect.ValueOf(v))
}

func toTree(v reflect.Value) any {
	if !v.IsValid() {
		return nil
	}
	if v.Type().Implements(textMarshaler) && v.Kind() != reflect.Pointer {
		if b, err := v.Interface().(encoding.TextMarshaler).MarshalText(); err == nil {
			return string(b)
		}
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return toTree(v.Elem())
	case reflect.Struct:
		m := map[string]any{}
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				continue
			}
			fv := v.Field(i)
			if (fv.Kind() == reflect.Pointer || fv.Kind() == reflect.Map || fv.Kind() == reflect.Slice) && fv.IsNil() {
				continue
			}
			m[name] = toTree(fv)
		}
		return m
	case reflect.Map:
		if v.Type().Key().Kind() == reflect.String {
			m := map[string]any{}
			for _, k := range v.MapKeys() {
				m[k.String()] = toTree(v.MapIndex(k))
			}
			return m
		}
		var out []any
		for _, k := range v.MapKeys() {
			out = append(out, map[string]any{"key": toTree(k), "value": toTree(v.MapIndex(k))})
		}
		return out
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return string(v.Bytes())
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = toTree(v.Index(i))
		}
		return out
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(v.Int())
	case reflect.Float32, reflect.Float64:
		return v.Float()
	}
	return fmt.Sprint(v.Interface())
}
