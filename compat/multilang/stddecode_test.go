package multilang

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// The reference decoder: Decode as it was written on encoding/json, kept to
// check the hand-written one against (TestDecodeMatchesEncodingJSON,
// FuzzDecode).

// stdDecode parses one JSON text. Integers become int64 (an integer outside
// its range is an error, as in json-simple), other numbers float64
// (overflowing to ±Inf as Java's Double.valueOf does), objects
// map[string]any and arrays []any. Text after the value is an error.
func stdDecode(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadJSON, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: data after the JSON value", ErrBadJSON)
	}
	return convertNumbers(v)
}

func convertNumbers(v any) (any, error) {
	switch x := v.(type) {
	case json.Number:
		return parseNumber(string(x))
	case []any:
		for i, el := range x {
			c, err := convertNumbers(el)
			if err != nil {
				return nil, err
			}
			x[i] = c
		}
	case map[string]any:
		for k, el := range x {
			c, err := convertNumbers(el)
			if err != nil {
				return nil, err
			}
			x[k] = c
		}
	}
	return v, nil
}

func parseNumber(s string) (any, error) {
	if !strings.ContainsAny(s, ".eE") {
		i, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%w: integer %s out of the 64-bit range", ErrBadJSON, s)
		}
		return i, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return nil, fmt.Errorf("%w: number %s: %v", ErrBadJSON, s, err)
	}
	return f, nil
}
