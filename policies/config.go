package policies

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// DefaultConfigFile is the configuration file the command line reads from
// the working directory when no --config is given.
const DefaultConfigFile = ".recoverscan.yaml"

// Config tunes rules without editing them: which custom rule directories to
// load, and per rule (built-in or custom, by id) whether it runs, its
// severity and its parameters. Its scan section says what a live scan
// covers (see ScanConfig).
//
//	policies:
//	  - ./rules                 # relative to the config file
//	rules:
//	  RC-EMAIL-001:
//	    params:
//	      max_users: 5000
//	  RC-POOL-004:
//	    disabled: true
//	  ACME-USER-001:
//	    severity: critical
//
// LoadConfig checks the file's shape (unknown keys, wrong types); rule ids
// and parameter names are checked against the loaded rules by New.
type Config struct {
	// File is the path the configuration was read from.
	File string
	// Policies are directories of custom rules, resolved against the
	// directory of the config file.
	Policies []string
	// Rules are the per-rule settings by rule id.
	Rules map[string]*RuleConfig
	// Scan is the scan section, or nil when the file has none.
	Scan *ScanConfig
}

// RuleConfig is one rule's settings.
type RuleConfig struct {
	Disabled bool
	// Severity, when set, replaces the severity of the rule's METADATA.
	Severity Severity
	// Params override the defaults of the rule's METADATA custom.params.
	Params map[string]any

	line       int
	paramLines map[string]int
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

// LoadConfig reads a configuration file.
func LoadConfig(file string) (*Config, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return ParseConfig(file, data)
}

// ParseConfig parses a configuration document; file names it in errors
// and anchors the relative policy directories.
func ParseConfig(file string, data []byte) (*Config, error) {
	cfg := &Config{File: file, Rules: map[string]*RuleConfig{}}
	fail := func(n *yaml.Node, format string, args ...any) error {
		line := 0
		if n != nil {
			line = n.Line
		}
		return &ConfigError{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &ConfigError{File: file, Msg: strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	if len(doc.Content) == 0 {
		return cfg, nil // an empty file configures nothing
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fail(root, "want a mapping with the keys policies, rules and scan")
	}
	base := filepath.Dir(file)
	err := eachKey(root, fail, func(k, v *yaml.Node) error {
		switch k.Value {
		case "policies":
			if v.Kind != yaml.SequenceNode {
				return fail(v, "policies: want a list of directories")
			}
			for _, item := range v.Content {
				if item.Kind != yaml.ScalarNode || item.Tag != "!!str" || item.Value == "" {
					return fail(item, "policies: want a directory path")
				}
				dir := item.Value
				if !filepath.IsAbs(dir) {
					dir = filepath.Join(base, dir)
				}
				cfg.Policies = append(cfg.Policies, dir)
			}
			return nil
		case "rules":
			if v.Kind != yaml.MappingNode {
				if v.Tag == "!!null" {
					return nil
				}
				return fail(v, "rules: want a mapping of rule ids to settings")
			}
			return eachKey(v, fail, func(id, settings *yaml.Node) error {
				rc, err := parseRuleConfig(id, settings, fail)
				if err != nil {
					return err
				}
				cfg.Rules[id.Value] = rc
				return nil
			})
		case "scan":
			sc, err := parseScanConfig(k, v, fail)
			if err != nil {
				return err
			}
			cfg.Scan = sc
			return nil
		}
		return fail(k, "unknown key %q (want policies, rules or scan)", k.Value)
	})
	if err != nil {
		return nil, err
	}
	return cfg, nil
}

type failFunc func(n *yaml.Node, format string, args ...any) error

// eachKey walks a mapping, refusing duplicate keys.
func eachKey(m *yaml.Node, fail failFunc, fn func(k, v *yaml.Node) error) error {
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return fail(k, "keys must be plain strings")
		}
		if seen[k.Value] {
			return fail(k, "%q is given twice", k.Value)
		}
		seen[k.Value] = true
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}

func parseRuleConfig(id, n *yaml.Node, fail failFunc) (*RuleConfig, error) {
	rc := &RuleConfig{line: id.Line, paramLines: map[string]int{}}
	if !ruleIDPattern.MatchString(id.Value) {
		return nil, fail(id, "rules: %q is not a rule id (like RC-USER-001)", id.Value)
	}
	if n.Kind != yaml.MappingNode {
		return nil, fail(n, "rules.%s: want a mapping with disabled, severity or params", id.Value)
	}
	err := eachKey(n, fail, func(k, v *yaml.Node) error {
		where := "rules." + id.Value + "." + k.Value
		switch k.Value {
		case "disabled":
			if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
				return fail(v, "%s: want true or false", where)
			}
			return v.Decode(&rc.Disabled)
		case "severity":
			if v.Kind != yaml.ScalarNode || v.Tag != "!!str" {
				return fail(v, "%s: want critical, high, medium or low", where)
			}
			sev, err := ParseSeverity(v.Value)
			if err != nil {
				return fail(v, "%s: %v", where, err)
			}
			rc.Severity = sev
			return nil
		case "params":
			if v.Kind != yaml.MappingNode {
				return fail(v, "%s: want a mapping of parameter names to values", where)
			}
			rc.Params = map[string]any{}
			return eachKey(v, fail, func(pk, pv *yaml.Node) error {
				var val any
				if err := pv.Decode(&val); err != nil {
					return fail(pv, "%s.%s: %v", where, pk.Value, err)
				}
				jv, err := jsonValue(val)
				if err != nil {
					return fail(pv, "%s.%s: %v", where, pk.Value, err)
				}
				rc.Params[pk.Value] = jv
				rc.paramLines[pk.Value] = pk.Line
				return nil
			})
		}
		return fail(k, "rules.%s: unknown key %q (want disabled, severity or params)", id.Value, k.Value)
	})
	return rc, err
}

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
			return &ConfigError{File: c.File, Line: rc.line, Msg: fmt.Sprintf("rules: no loaded rule has the id %s (see `recoverscan rules`)", id)}
		}
		for _, name := range slices.Sorted(maps.Keys(rc.Params)) {
			val := rc.Params[name]
			def, ok := r.Params[name]
			if !ok {
				return &ConfigError{File: c.File, Line: rc.paramLines[name], Msg: fmt.Sprintf("rules.%s.params: %s has no parameter %q (it has %s)", id, id, name, paramNames(r.Params))}
			}
			if jsonType(val) != jsonType(def) {
				return &ConfigError{File: c.File, Line: rc.paramLines[name], Msg: fmt.Sprintf("rules.%s.params.%s: want a %s like the default %s, got a %s", id, name, jsonType(def), compactJSON(def), jsonType(val))}
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
