package compat

import (
	"fmt"

	"github.com/galeproject/gale/compat/conf"
)

// GzipJSON encodes v (a conf.Conf or any value conf.Normalize accepts) as
// gzip-compressed JSON, the format of Storm's stormconf.ser
// (Utils.toCompressedJsonConf). The JSON is conf.EncodeJSON's: sorted keys,
// integers as digits, reals as Java prints them.
func GzipJSON(v any) ([]byte, error) {
	if c, ok := v.(conf.Conf); ok {
		v = map[string]any(c)
	}
	js, err := conf.EncodeJSON(v)
	if err != nil {
		return nil, fmt.Errorf("compat: gzip json: %w", err)
	}
	return gzipBytes(js)
}

// GunzipJSON decodes gzip-compressed JSON holding an object (stormconf.ser)
// into normalized conf values (int64, float64, string, bool, nil, []any,
// map[string]any). Sizes are bounded by MaxDecodedSize.
func GunzipJSON(b []byte) (map[string]any, error) {
	js, err := gunzipBytes(b)
	if err != nil {
		return nil, err
	}
	c, err := conf.ParseJSON(js)
	if err != nil {
		return nil, fmt.Errorf("compat: gunzip json: %w", err)
	}
	return map[string]any(c), nil
}
