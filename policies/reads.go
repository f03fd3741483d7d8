package policies

import (
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Reads returns what the rule with the given id reads, as written in its
// package (all of the package's files): the input fields it refers to and
// the library and helper rules it calls (data.recoverscan.lib.*,
// data.custom.lib.*), sorted. It returns nil for an unknown id.
func (e *Engine) Reads(id string) []string {
	var rule *Rule
	for i := range e.rules {
		if e.rules[i].ID == id {
			rule = &e.rules[i]
		}
	}
	if rule == nil {
		return nil
	}
	pkg := ast.MustParseRef("data." + rule.Package)
	seen := map[string]bool{}
	for _, m := range e.compiler.Modules {
		if !m.Package.Path.Equal(pkg) {
			continue
		}
		for _, r := range m.Rules {
			ast.WalkRefs(r, func(ref ast.Ref) bool {
				if s, ok := readOf(ref, pkg); ok {
					seen[s] = true
				}
				return false
			})
		}
	}
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// readOf renders the ground prefix of a reference to input or to another
// package's rules; references into the rule's own package are not reads.
func readOf(ref ast.Ref, own ast.Ref) (string, bool) {
	head := ref[0].Value.Compare(ast.InputRootDocument.Value) == 0
	if !head && !ref.HasPrefix(ast.DefaultRootRef) {
		return "", false
	}
	if !head && (ref.HasPrefix(own) || ref.HasPrefix(ast.MustParseRef("data.recoverscan.params"))) {
		return "", false
	}
	g := ref.ConstantPrefix()
	if len(g) < 2 {
		return "", false
	}
	s := g.String()
	if !head && !strings.HasPrefix(s, "data.recoverscan.lib.") && !strings.HasPrefix(s, "data.custom.lib.") {
		return "", false
	}
	return s, true
}
