// Package policies holds recoverscan's Rego rules and the engine that
// evaluates a snapshot with them.
//
// The built-in rules, their tests and the shared library are embedded. The
// engine adds custom rules from directories, reads every rule's METADATA
// statically, type-checks each rule's input against the snapshot schema,
// and streams a snapshot's users through the per-user rules in chunks on
// all cores, so a pool of millions of users is never held in memory at once.
package policies

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

// Options configures an Engine.
type Options struct {
	// PolicyDirs are directories (or files) of custom rules.
	PolicyDirs []string
	// Workers is how many goroutines evaluate users; 0 means one per CPU.
	Workers int
}

// Engine evaluates snapshots. It is safe for concurrent use.
type Engine struct {
	rules    []Rule // id order
	byKind   map[Kind][]int
	compiler *ast.Compiler
	workers  int

	user, pool, client *preparedKind
	explainState
}

// preparedKind is the prepared query for one input kind and the rules its
// result slots map to.
type preparedKind struct {
	query rego.PreparedEvalQuery
	rules []*Rule
}

// LoadError is a policy that cannot be loaded: a parse or compile error, or
// bad METADATA. Its text names the file and line.
type LoadError struct{ Err error }

func (e *LoadError) Error() string { return "load policies: " + e.Err.Error() }
func (e *LoadError) Unwrap() error { return e.Err }

// New loads the built-in rules and any custom rules and prepares them.
func New(ctx context.Context, opts Options) (*Engine, error) {
	c, srcs, err := compile(opts.PolicyDirs, false)
	if err != nil {
		return nil, err
	}
	e := &Engine{compiler: c, byKind: map[Kind][]int{}, workers: opts.Workers}
	if e.workers <= 0 {
		e.workers = runtime.GOMAXPROCS(0)
	}
	seen := map[string]string{}
	for _, s := range srcs {
		kind, _, ok := ruleKind(s.pkgPath)
		if !ok || s.isTest {
			continue
		}
		r, err := ruleFromModule(s, kind)
		if err != nil {
			return nil, &LoadError{err}
		}
		if prev, dup := seen[r.ID]; dup {
			if prev == r.Package {
				return nil, &LoadError{fmt.Errorf("%s: package %s is split across files: keep one rule per package", s.name, r.Package)}
			}
			return nil, &LoadError{fmt.Errorf("%s: rule id %s is already used by %s", s.name, r.ID, prev)}
		}
		seen[r.ID] = r.Package
		e.rules = append(e.rules, r)
	}
	sort.Slice(e.rules, func(i, j int) bool { return e.rules[i].ID < e.rules[j].ID })
	for i, r := range e.rules {
		e.byKind[r.Kind] = append(e.byKind[r.Kind], i)
	}
	if e.user, err = e.prepare(ctx, []Kind{KindUser}, "data.recoverscan.lib.recovery.chosen"); err != nil {
		return nil, err
	}
	if e.pool, err = e.prepare(ctx, []Kind{KindPool, KindSMS, KindEmail}, ""); err != nil {
		return nil, err
	}
	if e.client, err = e.prepare(ctx, []Kind{KindClient}, ""); err != nil {
		return nil, err
	}
	return e, nil
}

// compile parses and compiles the built-in and custom policies.
func compile(dirs []string, withTests bool) (*ast.Compiler, []*source, error) {
	c, modules, srcs, err := load(dirs, withTests)
	if err != nil {
		return nil, nil, err
	}
	c.Compile(modules)
	if c.Failed() {
		return nil, nil, &LoadError{c.Errors}
	}
	return c, srcs, nil
}

// load parses the policies and returns them with a compiler configured with
// the input schemas and the sandbox's capabilities, not yet compiled (the
// test runner adds stages of its own before compiling).
func load(dirs []string, withTests bool) (*ast.Compiler, map[string]*ast.Module, []*source, error) {
	srcs, err := loadSources(dirs, withTests)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := parse(srcs); err != nil {
		return nil, nil, nil, &LoadError{err}
	}
	done := map[string]bool{}
	modules := make(map[string]*ast.Module, len(srcs))
	for _, s := range srcs {
		if !s.isTest {
			if kind, _, ok := ruleKind(s.pkgPath); ok {
				if err := attachSchema(s, inputSchema(kind), done); err != nil {
					return nil, nil, nil, err
				}
			} else if schema, ok := libSchemas[s.pkgPath]; ok && !s.custom {
				if err := attachSchema(s, schema, done); err != nil {
					return nil, nil, nil, err
				}
			}
		}
		if _, dup := modules[s.name]; dup {
			return nil, nil, nil, &LoadError{fmt.Errorf("%s: loaded twice", s.name)}
		}
		modules[s.name] = s.module
	}
	ss, err := schemaSet()
	if err != nil {
		return nil, nil, nil, err
	}
	c := ast.NewCompiler().
		WithSchemas(ss).
		WithCapabilities(capabilities()).
		WithUseTypeCheckAnnotations(true).
		WithStrict(true)
	return c, modules, srcs, nil
}

// prepare builds one query that evaluates every rule of the given kinds:
// each rule's report set lands in its own variable.
func (e *Engine) prepare(ctx context.Context, ks []Kind, extra string) (*preparedKind, error) {
	pk := &preparedKind{}
	var exprs []string
	for _, k := range ks {
		for _, i := range e.byKind[k] {
			r := &e.rules[i]
			exprs = append(exprs, fmt.Sprintf("r%d := data.%s.report", len(pk.rules), r.Package))
			pk.rules = append(pk.rules, r)
		}
	}
	if extra != "" {
		exprs = append(exprs, "x := "+extra)
	}
	if len(exprs) == 0 {
		exprs = []string{"true"}
	}
	q, err := rego.New(
		rego.Query(strings.Join(exprs, "; ")),
		rego.Compiler(e.compiler),
		rego.Capabilities(capabilities()),
		rego.StrictBuiltinErrors(true),
	).PrepareForEval(ctx)
	if err != nil {
		return nil, &LoadError{fmt.Errorf("prepare %v rules: %w", ks, err)}
	}
	pk.query = q
	return pk, nil
}

// Rules returns the catalogue of loaded rules in id order.
func (e *Engine) Rules() []Rule { return append([]Rule(nil), e.rules...) }

// result is one rule's report entry.
type result struct {
	rule     *Rule
	verdict  Verdict
	message  string
	evidence map[string]any
}

// eval runs a prepared kind on one input and returns the reports and the
// extra value (if any).
func (pk *preparedKind) eval(ctx context.Context, input ast.Value) ([]result, any, error) {
	rs, err := pk.query.Eval(ctx, rego.EvalParsedInput(input))
	if err != nil {
		return nil, nil, err
	}
	if len(rs) != 1 {
		return nil, nil, errors.New("rules produced no result: a report rule is undefined")
	}
	var out []result
	for i, r := range pk.rules {
		v := rs[0].Bindings[fmt.Sprintf("r%d", i)]
		items, ok := v.([]any)
		if !ok {
			return nil, nil, fmt.Errorf("%s (%s): report is not a set", r.ID, r.Package)
		}
		for _, it := range items {
			res, err := toResult(r, it)
			if err != nil {
				return nil, nil, err
			}
			out = append(out, res)
		}
	}
	return out, rs[0].Bindings["x"], nil
}

func toResult(r *Rule, it any) (result, error) {
	obj, ok := it.(map[string]any)
	if !ok {
		return result{}, fmt.Errorf("%s (%s): report entries must be objects made with data.recoverscan.lib.report", r.ID, r.Package)
	}
	res := result{rule: r}
	switch v, _ := obj["verdict"].(string); Verdict(v) {
	case Fail:
		res.verdict = Fail
	case Indeterminate:
		res.verdict = Indeterminate
	default:
		return result{}, fmt.Errorf("%s (%s): report verdict %q is neither fail nor indeterminate", r.ID, r.Package, v)
	}
	res.message, _ = obj["message"].(string)
	if res.message == "" {
		res.message = r.Title
	}
	if ev, ok := obj["evidence"].(map[string]any); ok {
		res.evidence = ev
	}
	return res, nil
}
