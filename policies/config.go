package policies

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
)

// Config is what the engine takes from a configuration file: which
// custom rule directories to load, and per rule (built-in or custom, by id)
// whether it runs, its severity and its parameters. The file itself is
// read by the command line's config package; New checks rule ids and
// parameter names against the loaded rules.
type Config struct {
	// File is the path the configuration was read from, for messages.
	File string
	// Policies are directories of custom rules (already resolved against
	// the directory of the config file).
	Policies []string
	// Rules are the per-rule settings by rule id.
	Rules map[string]*RuleConfig
}

// RuleConfig is one rule's settings.
type RuleConfig struct {
	Disabled bool
	// Severity, when set, replaces the severity of the rule's METADATA.
	Severity Severity
	// Params override the defaults of the rule's METADATA custom.params;
	// values are as JSON decoding yields them (see JSONValue).
	Params map[string]any

	// Line is where the rule's entry starts and ParamLines where each
	// parameter is set, for messages.
	Line       int
	ParamLines map[string]int
}

// ConfigError is a problem in a configuration file. Its text names the file
// and line.
type ConfigError struct {
	File string
	Line int
	Msg  string
}

func (e *ConfigError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// ValidRuleID reports whether id has the shape of a rule id (RC-USER-001,
// ACME-POOL-7).
func ValidRuleID(id string) bool { return ruleIDPattern.MatchString(id) }

// JSONValue normalises a decoded YAML value to what JSON decoding yields
// (float64 numbers, map[string]any objects), as rule parameters must be.
func JSONValue(v any) (any, error) { return jsonValue(v) }

// jsonValue normalises a decoded YAML or METADATA value to what JSON
// decoding yields (float64 numbers, map[string]any objects), so values
// from both sources compare and type-check alike.
func jsonValue(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, errors.New("not a JSON value (objects need string keys)")
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// jsonType names the JSON type of a normalised value.
func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// apply checks the configuration against the loaded rules and applies it:
// severities, disabled flags and effective parameters.
func (c *Config) apply(rules []Rule) error {
	byID := map[string]*Rule{}
	for i := range rules {
		byID[rules[i].ID] = &rules[i]
	}
	for _, id := range slices.Sorted(maps.Keys(c.Rules)) {
		rc := c.Rules[id]
		r, ok := byID[id]
		if !ok {
			return &ConfigError{File: c.File, Line: rc.Line, Msg: fmt.Sprintf("rules: no loaded rule has the id %s (see `recoverscan rules`)", id)}
		}
		for _, name := range slices.Sorted(maps.Keys(rc.Params)) {
			val := rc.Params[name]
			def, ok := r.Params[name]
			if !ok {
				return &ConfigError{File: c.File, Line: rc.ParamLines[name], Msg: fmt.Sprintf("rules.%s.params: %s has no parameter %q (it has %s)", id, id, name, paramNames(r.Params))}
			}
			if jsonType(val) != jsonType(def) {
				return &ConfigError{File: c.File, Line: rc.ParamLines[name], Msg: fmt.Sprintf("rules.%s.params.%s: want a %s like the default %s, got a %s", id, name, jsonType(def), compactJSON(def), jsonType(val))}
			}
		}
		if rc.Severity != "" && rc.Severity != r.Severity {
			r.DefaultSeverity = r.Severity
			r.Severity = rc.Severity
		}
		r.Disabled = rc.Disabled
		if len(rc.Params) > 0 {
			p := make(map[string]any, len(r.Params))
			for k, v := range r.Params {
				p[k] = v
			}
			for k, v := range rc.Params {
				p[k] = v
			}
			r.Params = p
		}
	}
	return nil
}

func paramNames(p map[string]any) string {
	if len(p) == 0 {
		return "none: its METADATA declares no custom.params"
	}
	names := make([]string, 0, len(p))
	for k := range p {
		names = append(names, k)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func compactJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
