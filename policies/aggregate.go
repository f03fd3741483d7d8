package policies

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/recoverscan/recoverscan/policies/internal/inputschema"
)

// A pool rule can count users: it declares, per user, the counts a user
// belongs to, as `aggregate.<name> if <condition on input.user>`. The
// engine evaluates aggregate for every user along with the per-user rules
// (through the plan, so users share the evaluation) and gives the pool's
// input the number of users for whom aggregate.<name> is true as
// input.users.<name>. The rule's meaning stays in the rule: which users
// RC-POOL-014 relates to a PreSignUp trigger is its own Rego.

// aggregateRule is a pool rule's per-user aggregate.
type aggregateRule struct {
	rule *Rule
	// ref is data.<package>.aggregate.
	ref ast.Ref
	// names are its counts, sorted.
	names []string
}

// declaredCounts are the counts the parsed pool, SMS and email rules of
// files declare (aggregate.<name>), sorted by name, each described by the
// METADATA title of its aggregate rule (a custom one without a title by
// its rule). It reads the parsed files, not compiled rules, because the
// rules are checked against the input schema made from it. Malformed or
// repeated declarations are left to aggregates, which refuses them.
func declaredCounts(files []*policyFile) []inputschema.Count {
	var out []inputschema.Count
	for _, f := range files {
		kind, _, ok := ruleKind(f.pkgPath)
		if f.isTest || f.module == nil || !ok || (kind != KindPool && kind != KindSMS && kind != KindEmail) {
			continue
		}
		for _, r := range f.module.Rules {
			head := r.Head.Ref()
			if len(head) != 2 || !head[0].Equal(ast.VarTerm("aggregate")) {
				continue
			}
			name, ok := head[1].Value.(ast.String)
			if !ok || slices.ContainsFunc(out, func(c inputschema.Count) bool { return c.Name == string(name) }) {
				continue
			}
			c := inputschema.Count{Name: string(name), Description: "Users for whom data." + f.pkgPath + ".aggregate." + string(name) + " holds."}
			for _, a := range r.Annotations {
				if a.Scope == "rule" && a.Title != "" {
					c.Description = a.Title
				}
			}
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b inputschema.Count) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// engineUserCounts are the keys of input.users the engine fills itself.
var engineUserCounts = []string{"listed", "read", "by_status", "by_channel", "sms_by_country"}

// aggregates finds the aggregates of the rules that see input.users (pool,
// SMS and email rules that are not channel rules), disabled ones included,
// so that input.users has the same keys whichever rules run.
func (e *Engine) aggregates() ([]aggregateRule, error) {
	var (
		out      []aggregateRule
		problems []string
	)
	owner := map[string]string{}
	for i := range e.rules {
		r := &e.rules[i]
		if (r.Kind != KindPool && r.Kind != KindSMS && r.Kind != KindEmail) || len(r.Channels) > 0 {
			continue
		}
		a := aggregateRule{rule: r, ref: ast.MustParseRef("data." + r.Package + ".aggregate")}
		pkg := ast.MustParseRef("data." + r.Package)
		for name, m := range e.compiler.Modules {
			if !m.Package.Path.Equal(pkg) {
				continue
			}
			for _, rl := range m.Rules {
				head := rl.Head.Ref()
				if !head[0].Equal(ast.VarTerm("aggregate")) {
					continue
				}
				where := fmt.Sprintf("%s:%d", name, rl.Location.Row)
				s, ok := ast.String(""), len(head) == 2 && len(rl.Head.Args) == 0
				if ok {
					s, ok = head[1].Value.(ast.String)
				}
				name := string(s)
				switch {
				case !ok:
					problems = append(problems, fmt.Sprintf("%s: %s: declare each count as aggregate.<name> if ..., a name and a condition on input.user", where, r.ID))
				case slices.Contains(engineUserCounts, name):
					problems = append(problems, fmt.Sprintf("%s: %s: aggregate.%s: input.users.%s is the engine's", where, r.ID, name, name))
				case owner[name] != "" && owner[name] != r.ID:
					problems = append(problems, fmt.Sprintf("%s: %s: aggregate.%s is already counted by %s", where, r.ID, name, owner[name]))
				default:
					owner[name] = r.ID
					if !slices.Contains(a.names, name) {
						a.names = append(a.names, name)
					}
				}
			}
		}
		if len(a.names) > 0 {
			sort.Strings(a.names)
			out = append(out, a)
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, &LoadError{Problems: problems, Err: errors.New(strings.Join(problems, "\n"))}
	}
	return out, nil
}

// count adds one user's aggregate values to counts: v is the value of
// [x | x := data.<package>.aggregate], empty or one object of names.
func (a *aggregateRule) count(v any, counts map[string]int64) error {
	vs, ok := v.([]any)
	if !ok {
		return fmt.Errorf("%s (%s): aggregate is not readable", a.rule.ID, a.rule.Package)
	}
	for _, x := range vs {
		obj, ok := x.(map[string]any)
		if !ok {
			return fmt.Errorf("%s (%s): aggregate must be an object of names", a.rule.ID, a.rule.Package)
		}
		for name, held := range obj {
			switch held {
			case true:
				counts[name]++
			case false:
			default:
				return fmt.Errorf("%s (%s): aggregate.%s is %v, want true or false", a.rule.ID, a.rule.Package, name, held)
			}
		}
	}
	return nil
}
