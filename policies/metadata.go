package policies

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

var ruleIDPattern = regexp.MustCompile(`^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$`)

// builtinIDPrefix starts every built-in rule id; custom rules must use a
// prefix of their own so they never collide with a future built-in rule.
const builtinIDPrefix = "RC-"

// customKeys are the keys a rule's METADATA custom block may have.
var customKeys = map[string]bool{
	"id": true, "severity": true, "blocks_recovery": true, "remediation": true, "params": true,
	"channel": true, "effect": true,
}

// ruleFromModule reads a rule's catalogue entry from its METADATA. Every
// problem is reported with the file and line, since rule authors fix them
// there.
func ruleFromModule(s *source, kind Kind) (Rule, error) {
	loc := fmt.Sprintf("%s:%d", s.name, s.module.Package.Location.Row)
	a := s.meta
	if a == nil {
		return Rule{}, fmt.Errorf("%s: rule package %s has no METADATA block: put one directly above the package line with title, custom.id and custom.severity", loc, s.pkgPath)
	}
	row := s.module.Package.Location.Row
	if a.Location != nil {
		row = a.Location.Row
		loc = fmt.Sprintf("%s:%d", s.name, row)
	}
	// at names the line of a METADATA key, or the block's first line.
	at := func(key string) string {
		return fmt.Sprintf("%s:%d", s.name, metadataLine(s.text, row, key))
	}
	r := Rule{
		Title:       strings.TrimSpace(a.Title),
		Description: strings.TrimSpace(a.Description),
		Kind:        kind,
		Package:     s.pkgPath,
		Custom:      s.custom,
		File:        s.name,
	}
	if r.Title == "" {
		return Rule{}, fmt.Errorf("%s: METADATA of %s: missing title", loc, s.pkgPath)
	}
	keys := make([]string, 0, len(a.Custom))
	for k := range a.Custom {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !customKeys[k] {
			return Rule{}, fmt.Errorf("%s: METADATA of %s: unknown key custom.%s (want id, severity, channel, effect, remediation or params)", at(k), s.pkgPath, k)
		}
	}
	id, _ := a.Custom["id"].(string)
	switch {
	case a.Custom["id"] == nil:
		return Rule{}, fmt.Errorf("%s: METADATA of %s: missing custom.id (a stable id like ACME-USER-001)", loc, s.pkgPath)
	case !ruleIDPattern.MatchString(id):
		return Rule{}, fmt.Errorf("%s: METADATA of %s: custom.id %q must look like ACME-USER-001 (upper case letters and digits, dash separated)", at("id"), s.pkgPath, id)
	case s.custom && strings.HasPrefix(id, builtinIDPrefix):
		return Rule{}, fmt.Errorf("%s: METADATA of %s: custom.id %s: the prefix %s is reserved for built-in rules; use a prefix of your own, like ACME-%s", at("id"), s.pkgPath, id, builtinIDPrefix, strings.TrimPrefix(id, builtinIDPrefix))
	case !s.custom && !strings.HasPrefix(id, builtinIDPrefix):
		return Rule{}, fmt.Errorf("%s: METADATA of %s: built-in rule ids start with %s", at("id"), s.pkgPath, builtinIDPrefix)
	}
	r.ID = id
	if a.Custom["severity"] == nil {
		return Rule{}, fmt.Errorf("%s: METADATA of %s: missing custom.severity (critical, high, medium or low)", loc, s.pkgPath)
	}
	sev, _ := a.Custom["severity"].(string)
	severity, err := ParseSeverity(sev)
	if err != nil {
		return Rule{}, fmt.Errorf("%s: METADATA of %s: custom.severity: %w", at("severity"), s.pkgPath, err)
	}
	r.Severity = severity
	if v, ok := a.Custom["remediation"]; ok {
		rem, ok := v.(string)
		if !ok {
			return Rule{}, fmt.Errorf("%s: METADATA of %s: custom.remediation must be a string", at("remediation"), s.pkgPath)
		}
		r.Remediation = strings.TrimSpace(rem)
	}
	if v, ok := a.Custom["blocks_recovery"]; ok {
		// The older spelling of effect: blocks, kept for existing rules.
		b, ok := v.(bool)
		if !ok {
			return Rule{}, fmt.Errorf("%s: METADATA of %s: custom.blocks_recovery must be true or false", at("blocks_recovery"), s.pkgPath)
		}
		if b {
			r.Effect = EffectBlocks
		}
	}
	if v, ok := a.Custom["effect"]; ok {
		e, _ := v.(string)
		if e != EffectBlocks && e != EffectEndangers {
			return Rule{}, fmt.Errorf("%s: METADATA of %s: custom.effect must be blocks or endangers", at("effect"), s.pkgPath)
		}
		if _, both := a.Custom["blocks_recovery"]; both {
			return Rule{}, fmt.Errorf("%s: METADATA of %s: custom.blocks_recovery and custom.effect say the same thing: keep effect", at("blocks_recovery"), s.pkgPath)
		}
		r.Effect = e
	}
	if v, ok := a.Custom["channel"]; ok {
		chs, err := channelsOf(v)
		if err != nil {
			return Rule{}, fmt.Errorf("%s: METADATA of %s: custom.channel: %w", at("channel"), s.pkgPath, err)
		}
		if kind == KindClient {
			return Rule{}, fmt.Errorf("%s: METADATA of %s: custom.channel: app client rules do not judge a delivery channel", at("channel"), s.pkgPath)
		}
		r.Channels = chs
		if kind != KindUser && readsUsers(s.module) {
			return Rule{}, fmt.Errorf("%s: rule %s declares a channel, so it is evaluated before the pool's users are counted: it may not read input.users (the engine reports its findings only when some user is, or may be, routed to the channel)", loc, id)
		}
	}
	r.BlocksRecovery = r.Effect == EffectBlocks
	if v, ok := a.Custom["params"]; ok {
		jv, err := jsonValue(v)
		p, isObj := jv.(map[string]any)
		if err != nil || !isObj {
			return Rule{}, fmt.Errorf("%s: METADATA of %s: custom.params must be a mapping of parameter names to default values", at("params"), s.pkgPath)
		}
		for name, def := range p {
			if !paramNamePattern.MatchString(name) {
				return Rule{}, fmt.Errorf("%s: METADATA of %s: custom.params: %q is not a parameter name (lower case letters, digits and _)", at("params"), s.pkgPath, name)
			}
			if def == nil {
				return Rule{}, fmt.Errorf("%s: METADATA of %s: custom.params.%s needs a default value", at("params"), s.pkgPath, name)
			}
		}
		if len(p) > 0 {
			r.Params = p
		}
	}
	for _, rr := range a.RelatedResources {
		r.Related = append(r.Related, Link{URL: rr.Ref.String(), Description: rr.Description})
	}
	if !definesReport(s.module) {
		return Rule{}, fmt.Errorf("%s: rule package %s defines no `report contains ...` rule", loc, s.pkgPath)
	}
	return r, nil
}

// channelsOf reads custom.channel: "sms", "email", or a list of them.
func channelsOf(v any) ([]string, error) {
	var names []string
	switch x := v.(type) {
	case string:
		names = []string{x}
	case []any:
		for _, e := range x {
			n, _ := e.(string)
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return nil, errors.New("want sms, email or a list of both")
	}
	seen := map[string]bool{}
	for _, n := range names {
		if n != ChannelSMS && n != ChannelEmail {
			return nil, fmt.Errorf("%q is not a channel (want sms or email)", n)
		}
		if seen[n] {
			return nil, fmt.Errorf("%s is named twice", n)
		}
		seen[n] = true
	}
	sort.Strings(names)
	return names, nil
}

// readsUsers reports whether a module refers to input.users.
func readsUsers(m *ast.Module) bool {
	users := ast.MustParseRef("input.users")
	found := false
	ast.WalkRefs(m, func(r ast.Ref) bool {
		if r.HasPrefix(users) {
			found = true
		}
		return found
	})
	return found
}

var paramNamePattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// metadataLine finds the line of key in the METADATA comment block that
// starts at row, or returns row.
func metadataLine(text string, row int, key string) int {
	lines := strings.Split(text, "\n")
	re := regexp.MustCompile(`^#\s+` + regexp.QuoteMeta(key) + `\s*:`)
	for i := row - 1; i >= 0 && i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if !strings.HasPrefix(l, "#") {
			break
		}
		if re.MatchString(l) {
			return i + 1
		}
	}
	return row
}

// definesReport reports whether the module defines report as a set.
func definesReport(m *ast.Module) bool {
	for _, rule := range m.Rules {
		if rule.Head.Name.String() == "report" || rule.Head.Ref().String() == "report" {
			if rule.Head.RuleKind() == ast.MultiValue {
				return true
			}
		}
	}
	return false
}
