// Package config reads recoverscan's configuration file (.recoverscan.yaml):
// the custom rule directories and per-rule settings the policy engine
// takes (policies.Config), and the scan section, which says what a live
// scan covers (a collector.Scope). The command line reads the file and
// hands each part to its package; neither the collector nor the engine
// knows the file.
//
//	policies:
//	  - ./rules                 # relative to the config file
//	rules:
//	  RC-EMAIL-001:
//	    params:
//	      max_users: 5000
//	  RC-POOL-004:
//	    disabled: true
//	scan:
//	  accounts: [...]
//	  regions: [us-east-1]
//
// Parse checks the file's shape (unknown keys, wrong types, malformed
// ARNs, regions and patterns); rule ids and parameter names are checked
// against the loaded rules by policies.New.
package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/recoverscan/recoverscan/policies"
)

// DefaultFile is the configuration file the command line reads from the
// working directory when no --config is given.
const DefaultFile = ".recoverscan.yaml"

// File is a parsed configuration file.
type File struct {
	// Path is where the configuration was read from.
	Path string
	// Rules is what the policy engine takes: policy directories and
	// per-rule settings. Never nil.
	Rules *policies.Config
	// Scan is the scan section, or nil when the file has none.
	Scan *Scan
}

// Error is a problem in a configuration file; its text names the file
// and line. It is the engine's error type, so that problems found when
// the rules are loaded read the same.
type Error = policies.ConfigError

// Load reads a configuration file.
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(path, data)
}

// Parse parses a configuration document; path names it in errors and
// anchors the relative policy directories.
func Parse(path string, data []byte) (*File, error) {
	f := &File{Path: path, Rules: &policies.Config{File: path, Rules: map[string]*policies.RuleConfig{}}}
	fail := func(n *yaml.Node, format string, args ...any) error {
		line := 0
		if n != nil {
			line = n.Line
		}
		return &Error{File: path, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &Error{File: path, Msg: strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	if len(doc.Content) == 0 {
		return f, nil // an empty file configures nothing
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fail(root, "want a mapping with the keys policies, rules and scan")
	}
	err := eachKey(root, fail, func(k, v *yaml.Node) error {
		switch k.Value {
		case "policies":
			dirs, err := parsePolicies(v, filepath.Dir(path), fail)
			f.Rules.Policies = dirs
			return err
		case "rules":
			return parseRules(v, f.Rules.Rules, fail)
		case "scan":
			sc, err := parseScan(k, v, fail)
			f.Scan = sc
			return err
		}
		return fail(k, "unknown key %q (want policies, rules or scan)", k.Value)
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// failFunc makes the error for a node.
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

// isString reports whether n is a non-empty string scalar.
func isString(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!str" && n.Value != ""
}

// parsePolicies reads the policies list, resolving relative directories
// against base.
func parsePolicies(v *yaml.Node, base string, fail failFunc) ([]string, error) {
	if v.Kind != yaml.SequenceNode {
		return nil, fail(v, "policies: want a list of directories")
	}
	var dirs []string
	for _, item := range v.Content {
		if !isString(item) {
			return nil, fail(item, "policies: want a directory path")
		}
		dir := item.Value
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(base, dir)
		}
		dirs = append(dirs, dir)
	}
	return dirs, nil
}

// parseRules reads the rules mapping into rules.
func parseRules(v *yaml.Node, rules map[string]*policies.RuleConfig, fail failFunc) error {
	if v.Kind != yaml.MappingNode {
		if v.Tag == "!!null" {
			return nil
		}
		return fail(v, "rules: want a mapping of rule ids to settings")
	}
	return eachKey(v, fail, func(id, settings *yaml.Node) error {
		rc, err := parseRule(id, settings, fail)
		if err != nil {
			return err
		}
		rules[id.Value] = rc
		return nil
	})
}

func parseRule(id, n *yaml.Node, fail failFunc) (*policies.RuleConfig, error) {
	rc := &policies.RuleConfig{Line: id.Line, ParamLines: map[string]int{}}
	if !policies.ValidRuleID(id.Value) {
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
			sev, err := policies.ParseSeverity(v.Value)
			if err != nil {
				return fail(v, "%s: %v", where, err)
			}
			rc.Severity = sev
			return nil
		case "params":
			return parseParams(v, where, rc, fail)
		}
		return fail(k, "rules.%s: unknown key %q (want disabled, severity or params)", id.Value, k.Value)
	})
	return rc, err
}

func parseParams(v *yaml.Node, where string, rc *policies.RuleConfig, fail failFunc) error {
	if v.Kind != yaml.MappingNode {
		return fail(v, "%s: want a mapping of parameter names to values", where)
	}
	rc.Params = map[string]any{}
	return eachKey(v, fail, func(pk, pv *yaml.Node) error {
		var val any
		if err := pv.Decode(&val); err != nil {
			return fail(pv, "%s.%s: %v", where, pk.Value, err)
		}
		jv, err := policies.JSONValue(val)
		if err != nil {
			return fail(pv, "%s.%s: %v", where, pk.Value, err)
		}
		rc.Params[pk.Value] = jv
		rc.ParamLines[pk.Value] = pk.Line
		return nil
	})
}
