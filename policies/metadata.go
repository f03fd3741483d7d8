package policies

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
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
	"channel": true, "effect": true, "explain": true,
}

// metadata reads one rule package's METADATA block. Every problem is
// reported with the file and line, since rule authors fix them there.
type metadata struct {
	s    *source
	a    *ast.Annotations
	kind Kind
	row  int    // the block's first line (the package line without one)
	loc  string // file:row
}

// errf is a problem with the whole block.
func (m *metadata) errf(format string, args ...any) error {
	return fmt.Errorf("%s: METADATA of %s: "+format, append([]any{m.loc, m.s.pkgPath}, args...)...)
}

// keyErrf is a problem with one custom key, at that key's line.
func (m *metadata) keyErrf(key, format string, args ...any) error {
	at := fmt.Sprintf("%s:%d", m.s.name, metadataLine(m.s.text, m.row, key))
	return fmt.Errorf("%s: METADATA of %s: "+format, append([]any{at, m.s.pkgPath}, args...)...)
}

// ruleFromModule reads a rule's catalogue entry from its METADATA, one
// key at a time.
func ruleFromModule(s *source, kind Kind) (Rule, error) {
	row := s.module.Package.Location.Row
	if s.meta == nil {
		return Rule{}, fmt.Errorf("%s:%d: rule package %s has no METADATA block: put one directly above the package line with title, custom.id and custom.severity", s.name, row, s.pkgPath)
	}
	if s.meta.Location != nil {
		row = s.meta.Location.Row
	}
	m := &metadata{s: s, a: s.meta, kind: kind, row: row, loc: fmt.Sprintf("%s:%d", s.name, row)}
	r := Rule{
		Title:       strings.TrimSpace(m.a.Title),
		Description: strings.TrimSpace(m.a.Description),
		Kind:        kind,
		Package:     s.pkgPath,
		Custom:      s.custom,
		File:        s.name,
	}
	if r.Title == "" {
		return Rule{}, m.errf("missing title")
	}
	for _, step := range []func(*Rule) error{
		m.knownKeys, m.id, m.severity, m.remediation, m.effect, m.channels, m.explain, m.params,
	} {
		if err := step(&r); err != nil {
			return Rule{}, err
		}
	}
	for _, rr := range m.a.RelatedResources {
		r.Related = append(r.Related, Link{URL: rr.Ref.String(), Description: rr.Description})
	}
	if !slices.ContainsFunc(s.modules(), definesReport) {
		return Rule{}, fmt.Errorf("%s: rule package %s defines no `report contains ...` rule", m.loc, s.pkgPath)
	}
	return r, nil
}

// knownKeys rejects custom keys the engine does not know (a typo such as
// severtiy), in key order.
func (m *metadata) knownKeys(*Rule) error {
	keys := make([]string, 0, len(m.a.Custom))
	for k := range m.a.Custom {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !customKeys[k] {
			return m.keyErrf(k, "unknown key custom.%s (want id, severity, channel, effect, explain, remediation or params)", k)
		}
	}
	return nil
}

// id reads custom.id: required, well formed, and with the built-in prefix
// exactly when the rule is built in.
func (m *metadata) id(r *Rule) error {
	id, _ := m.a.Custom["id"].(string)
	custom := m.s.custom
	switch {
	case m.a.Custom["id"] == nil:
		return m.errf("missing custom.id (a stable id like ACME-USER-001)")
	case !ruleIDPattern.MatchString(id):
		return m.keyErrf("id", "custom.id %q must look like ACME-USER-001 (upper case letters and digits, dash separated)", id)
	case custom && strings.HasPrefix(id, builtinIDPrefix):
		return m.keyErrf("id", "custom.id %s: the prefix %s is reserved for built-in rules; use a prefix of your own, like ACME-%s", id, builtinIDPrefix, strings.TrimPrefix(id, builtinIDPrefix))
	case !custom && !strings.HasPrefix(id, builtinIDPrefix):
		return m.keyErrf("id", "built-in rule ids start with %s", builtinIDPrefix)
	}
	r.ID = id
	return nil
}

// severity reads custom.severity (required).
func (m *metadata) severity(r *Rule) error {
	if m.a.Custom["severity"] == nil {
		return m.errf("missing custom.severity (critical, high, medium or low)")
	}
	sev, _ := m.a.Custom["severity"].(string)
	severity, err := ParseSeverity(sev)
	if err != nil {
		return m.keyErrf("severity", "custom.severity: %w", err)
	}
	r.Severity = severity
	return nil
}

// remediation reads custom.remediation.
func (m *metadata) remediation(r *Rule) error {
	v, ok := m.a.Custom["remediation"]
	if !ok {
		return nil
	}
	rem, ok := v.(string)
	if !ok {
		return m.keyErrf("remediation", "custom.remediation must be a string")
	}
	r.Remediation = strings.TrimSpace(rem)
	return nil
}

// effect reads custom.effect, or its older spelling custom.blocks_recovery.
func (m *metadata) effect(r *Rule) error {
	if v, ok := m.a.Custom["blocks_recovery"]; ok {
		// The older spelling of effect: blocks, kept for existing rules.
		b, ok := v.(bool)
		if !ok {
			return m.keyErrf("blocks_recovery", "custom.blocks_recovery must be true or false")
		}
		if b {
			r.Effect = EffectBlocks
		}
	}
	if v, ok := m.a.Custom["effect"]; ok {
		e, _ := v.(string)
		if e != EffectBlocks && e != EffectEndangers {
			return m.keyErrf("effect", "custom.effect must be blocks or endangers")
		}
		if _, both := m.a.Custom["blocks_recovery"]; both {
			return m.keyErrf("blocks_recovery", "custom.blocks_recovery and custom.effect say the same thing: keep effect")
		}
		r.Effect = e
	}
	r.BlocksRecovery = r.Effect == EffectBlocks
	return nil
}

// channels reads custom.channel. A pool-level rule with a channel is
// evaluated before the users are counted, so it may not read input.users.
func (m *metadata) channels(r *Rule) error {
	v, ok := m.a.Custom["channel"]
	if !ok {
		return nil
	}
	chs, err := channelsOf(v)
	if err != nil {
		return m.keyErrf("channel", "custom.channel: %w", err)
	}
	if m.kind == KindClient {
		return m.keyErrf("channel", "custom.channel: app client rules do not judge a delivery channel")
	}
	r.Channels = chs
	if m.kind != KindUser && slices.ContainsFunc(m.s.modules(), readsUsers) {
		return fmt.Errorf("%s: rule %s declares a channel, so it is evaluated before the pool's users are counted: it may not read input.users (the engine reports its findings only when some user is, or may be, routed to the channel)", m.loc, r.ID)
	}
	return nil
}

// explain reads custom.explain: the step of a user's recovery route in
// `recoverscan explain` that the rule's findings belong to.
func (m *metadata) explain(r *Rule) error {
	v, ok := m.a.Custom["explain"]
	if !ok {
		return nil
	}
	e, _ := v.(string)
	if !slices.Contains(explainRoles, e) {
		return m.keyErrf("explain", "custom.explain %v is not a step of the recovery route (want %s)", v, strings.Join(explainRoles, " or "))
	}
	if m.kind != KindUser {
		return m.keyErrf("explain", "custom.explain: only user rules are steps of a user's recovery route")
	}
	r.Explain = e
	return nil
}

// params reads custom.params: parameter names and their defaults.
func (m *metadata) params(r *Rule) error {
	v, ok := m.a.Custom["params"]
	if !ok {
		return nil
	}
	jv, err := jsonValue(v)
	p, isObj := jv.(map[string]any)
	if err != nil || !isObj {
		return m.keyErrf("params", "custom.params must be a mapping of parameter names to default values")
	}
	for name, def := range p {
		if !paramNamePattern.MatchString(name) {
			return m.keyErrf("params", "custom.params: %q is not a parameter name (lower case letters, digits and _)", name)
		}
		if def == nil {
			return m.keyErrf("params", "custom.params.%s needs a default value", name)
		}
	}
	if len(p) > 0 {
		r.Params = p
	}
	return nil
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

// modules returns the files of the source's rule package: pkgModules, or
// its own module.
func (s *source) modules() []*ast.Module {
	if len(s.pkgModules) > 0 {
		return s.pkgModules
	}
	return []*ast.Module{s.module}
}
