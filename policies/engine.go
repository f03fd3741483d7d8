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
	"log/slog"
	"runtime"
	"slices"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/topdown"
)

// Options configures an Engine.
type Options struct {
	// PolicyDirs are directories (or files) of custom rules.
	PolicyDirs []string
	// Config, when set, adds its policy directories and disables,
	// re-levels and parameterises rules by id.
	Config *Config
	// Workers is how many goroutines evaluate users; 0 means one per CPU.
	Workers int
	// Progress, when set, is told how far evaluation got through each pool:
	// after every few hundred users, and once when the pool is done. It
	// is called on the goroutine that reads the snapshot.
	Progress func(Progress)
}

// Progress is how far an evaluation got through one pool.
type Progress struct {
	Account, Region, PoolID string
	// UsersDone counts the users evaluated so far; EstimatedUsers is the
	// pool's estimate from when it was collected (0 if unknown).
	UsersDone, EstimatedUsers int64
	// Done is set once, when the pool is finished.
	Done bool
}

// Engine evaluates snapshots. It is safe for concurrent use.
type Engine struct {
	rules    []Rule // id order, disabled ones included
	byKind   map[Kind][]int
	compiler *ast.Compiler
	store    storage.Store
	workers  int
	progress func(Progress)

	user, pool, client *preparedKind
	// channel evaluates the channel rules (pool, SMS and email rules that
	// declare custom.channel) before a pool's users; pool the others.
	channel *preparedKind
	// plan evaluates the per-user rules by batches sharing results; user
	// evaluates them all at once (explain, and tests of the plan).
	plan *userRules
	// noMemo evaluates the plan's batches without a memo, for the
	// benchmark that measures what the memo saves.
	noMemo bool
	// aggs are the pool rules' per-user aggregates.
	aggs []aggregateRule
	explainState
}

// preparedKind is the prepared query for one input kind and the rules its
// result slots map to.
type preparedKind struct {
	query rego.PreparedEvalQuery
	rules []*Rule
}

// New loads the built-in rules and any custom rules and prepares them.
func New(ctx context.Context, opts Options) (*Engine, error) {
	dirs := opts.PolicyDirs
	if opts.Config != nil {
		dirs = append(slices.Clone(dirs), opts.Config.Policies...)
	}
	c, srcs, err := compile(dirs, testsOf{})
	if err != nil {
		return nil, err
	}
	e := &Engine{compiler: c, byKind: map[Kind][]int{}, workers: opts.Workers, progress: opts.Progress}
	if e.workers <= 0 {
		e.workers = runtime.GOMAXPROCS(0)
	}
	if e.rules, err = catalogue(srcs); err != nil {
		return nil, err
	}
	if err := checkRulePaths(c, srcs, e.rules); err != nil {
		return nil, err
	}
	if opts.Config != nil {
		if err := opts.Config.apply(e.rules); err != nil {
			return nil, err
		}
	}
	e.store = paramsStore(e.rules)
	for i, r := range e.rules {
		if !r.Disabled {
			e.byKind[r.Kind] = append(e.byKind[r.Kind], i)
		}
	}
	if e.aggs, err = e.aggregates(); err != nil {
		return nil, err
	}
	if e.plan, err = e.planUsers(ctx, srcs); err != nil {
		return nil, err
	}
	var channelRules, poolRules []*Rule
	for _, k := range []Kind{KindPool, KindSMS, KindEmail} {
		for _, i := range e.byKind[k] {
			if r := &e.rules[i]; len(r.Channels) > 0 {
				channelRules = append(channelRules, r)
			} else {
				poolRules = append(poolRules, r)
			}
		}
	}
	if e.channel, err = e.prepareRules(ctx, channelRules, recoveryOrderQuery); err != nil {
		return nil, newLoadError(fmt.Errorf("prepare channel rules: %w", err))
	}
	if e.pool, err = e.prepareRules(ctx, poolRules, ""); err != nil {
		return nil, newLoadError(fmt.Errorf("prepare pool rules: %w", err))
	}
	if e.client, err = e.prepare(ctx, []Kind{KindClient}, ""); err != nil {
		return nil, err
	}
	return e, nil
}

// catalogue reads every rule's METADATA, in id order. Every problem is
// reported, one per line.
func catalogue(srcs []*policyFile) ([]Rule, error) {
	var (
		rules    []Rule
		problems []string
	)
	seen := map[string]string{}
	// A rule package may span several files (the rule and helpers beside
	// it); its METADATA is written in one of them, which stands for the
	// package.
	files := map[string][]*policyFile{}
	for _, s := range srcs {
		if _, _, ok := ruleKind(s.pkgPath); ok && !s.isTest {
			files[s.pkgPath] = append(files[s.pkgPath], s)
		}
	}
	for _, s := range srcs {
		kind, _, ok := ruleKind(s.pkgPath)
		if !ok || s.isTest {
			continue
		}
		f := files[s.pkgPath]
		var withMeta []string
		main := f[0]
		for _, o := range f {
			if o.meta != nil {
				withMeta = append(withMeta, o.name)
				if len(withMeta) == 1 {
					main = o
				}
			}
		}
		if s != main {
			continue
		}
		if len(withMeta) > 1 {
			problems = append(problems, fmt.Sprintf("%s: rule package %s has package METADATA in %s: write it once, above the package line of one file", s.name, s.pkgPath, strings.Join(withMeta, ", ")))
			continue
		}
		s.pkgModules = nil
		for _, o := range f {
			s.pkgModules = append(s.pkgModules, o.module)
		}
		r, err := ruleFromModule(s, kind)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		if prev, dup := seen[r.ID]; dup {
			problems = append(problems, fmt.Sprintf("%s: rule id %s is already used by %s", s.name, r.ID, prev))
			continue
		}
		seen[r.ID] = r.Package
		rules = append(rules, r)
	}
	if len(problems) > 0 {
		return nil, &LoadError{Problems: problems, Err: errors.New(strings.Join(problems, "\n"))}
	}
	sort.Slice(rules, func(i, j int) bool { return rules[i].ID < rules[j].ID })
	return rules, nil
}

// libraryRoot is the built-in library's package root.
var libraryRoot = ast.MustParseRef("data.recoverscan.lib")

// checkRulePaths refuses rules defined where the engine would not look for
// them: a rule package's rules in another file (package custom.rules.user
// with split.report contains ...), and custom definitions inside the
// built-in library. The engine reads each rule package's files to know what
// its rules read, and relies on the library's own definitions.
func checkRulePaths(c *ast.Compiler, srcs []*policyFile, rules []Rule) error {
	custom := map[string]bool{}
	for _, s := range srcs {
		custom[s.name] = s.custom
	}
	pkgs := make([]ast.Ref, len(rules))
	for i, r := range rules {
		pkgs[i] = ast.MustParseRef("data." + r.Package)
	}
	var problems []string
	for name, m := range c.Modules {
		for _, r := range m.Rules {
			path := r.Ref().GroundPrefix()
			where := fmt.Sprintf("%s:%d", name, r.Location.Row)
			if custom[name] && path.HasPrefix(libraryRoot) {
				problems = append(problems, fmt.Sprintf("%s: %s is inside the built-in library (data.recoverscan.lib): put custom helpers under custom.lib.<name>", where, path))
				continue
			}
			for i, pkg := range pkgs {
				if path.HasPrefix(pkg) && !m.Package.Path.Equal(pkg) {
					problems = append(problems, fmt.Sprintf("%s: %s belongs to rule %s (package %s): define a rule's rules in its own file", where, path, rules[i].ID, rules[i].Package))
				}
			}
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return &LoadError{Problems: problems, Err: errors.New(strings.Join(problems, "\n"))}
	}
	return nil
}

// paramsStore holds the rules' effective parameters where
// data.recoverscan.lib.params reads them: data.recoverscan.params[id].
func paramsStore(rules []Rule) storage.Store {
	params := map[string]any{}
	for _, r := range rules {
		if len(r.Params) > 0 {
			params[r.ID] = r.Params
		}
	}
	return inmem.NewFromObject(map[string]any{"recoverscan": map[string]any{"params": params}})
}

// compile parses and compiles the built-in and custom policies.
func compile(dirs []string, tests testsOf) (*ast.Compiler, []*policyFile, error) {
	c, modules, srcs, err := load(dirs, tests)
	if err != nil {
		return nil, nil, err
	}
	c.Compile(modules)
	if c.Failed() {
		return nil, nil, newLoadError(c.Errors)
	}
	return c, srcs, nil
}

// load parses the policies and returns them with a compiler configured with
// the input schemas and the sandbox's capabilities, not yet compiled (the
// test runner adds stages of its own before compiling).
func load(dirs []string, tests testsOf) (*ast.Compiler, map[string]*ast.Module, []*policyFile, error) {
	srcs, err := loadPolicyFiles(dirs, tests)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := parse(srcs); err != nil {
		return nil, nil, nil, newLoadError(err)
	}
	srcs, stale, err := libraryCopies(srcs)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, w := range stale {
		slog.Warn(w)
	}
	done := map[string]bool{}
	modules := make(map[string]*ast.Module, len(srcs))
	// Schemas are attached to the package METADATA, so a rule package
	// spanning several files gets it on the file that has one.
	ordered := slices.Clone(srcs)
	slices.SortStableFunc(ordered, func(a, b *policyFile) int {
		switch {
		case a.meta != nil && b.meta == nil:
			return -1
		case a.meta == nil && b.meta != nil:
			return 1
		}
		return 0
	})
	for _, s := range ordered {
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
			return nil, nil, nil, &LoadError{Problems: []string{s.name + ": loaded twice"}}
		}
		modules[s.name] = s.module
	}
	ss, err := schemaSet(declaredCounts(srcs))
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
	var rules []*Rule
	for _, k := range ks {
		for _, i := range e.byKind[k] {
			rules = append(rules, &e.rules[i])
		}
	}
	pk, err := e.prepareRules(ctx, rules, extra)
	if err != nil {
		return nil, newLoadError(fmt.Errorf("prepare %v rules: %w", ks, err))
	}
	return pk, nil
}

// prepareRules builds one query that evaluates rules, each rule's report
// set in its own variable, and extra (if set) into x.
func (e *Engine) prepareRules(ctx context.Context, rules []*Rule, extra string) (*preparedKind, error) {
	pk := &preparedKind{rules: rules}
	var exprs []string
	for i, r := range rules {
		exprs = append(exprs, fmt.Sprintf("r%d := data.%s.report", i, r.Package))
	}
	if extra != "" {
		exprs = append(exprs, "x := "+extra)
	}
	if len(exprs) == 0 {
		exprs = []string{"true"}
	}
	q, err := e.prepareQuery(ctx, strings.Join(exprs, "; "))
	if err != nil {
		return nil, err
	}
	pk.query = q
	return pk, nil
}

// prepareQuery prepares a query against the engine's rules, parameters and
// sandbox.
func (e *Engine) prepareQuery(ctx context.Context, query string) (rego.PreparedEvalQuery, error) {
	return rego.New(
		rego.Query(query),
		rego.Compiler(e.compiler),
		rego.Store(e.store),
		rego.Capabilities(capabilities()),
		rego.StrictBuiltinErrors(true),
	).PrepareForEval(ctx)
}

// Rules returns the catalogue of loaded rules in id order, disabled ones
// included (marked Disabled).
func (e *Engine) Rules() []Rule { return append([]Rule(nil), e.rules...) }

// enabledRules are the rules a report covers.
func (e *Engine) enabledRules() []Rule {
	var out []Rule
	for _, r := range e.rules {
		if !r.Disabled {
			out = append(out, r)
		}
	}
	return out
}

// recoveryOrderQuery reads the channels a pool's recovery setting can use.
const recoveryOrderQuery = "data.recoverscan.lib.recovery.order"

// result is one rule's report entry.
type result struct {
	// raw is the entry as the rule made it.
	raw      any
	rule     *Rule
	verdict  Verdict
	message  string
	evidence map[string]any
	// effect is the entry's effect: its own, else the rule's.
	effect string
}

// eval runs a prepared kind on one input and returns the reports and the
// extra value (if any).
func (pk *preparedKind) eval(ctx context.Context, input ast.Value, opts ...rego.EvalOption) ([]result, any, error) {
	rs, err := pk.query.Eval(ctx, append(opts, rego.EvalParsedInput(input))...)
	if err != nil {
		return nil, nil, pk.evalError(ctx, err)
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
	res := result{rule: r, raw: it}
	switch v, _ := obj["verdict"].(string); Verdict(v) {
	case Fail:
		res.verdict = Fail
	case Indeterminate:
		res.verdict = Indeterminate
	default:
		return result{}, fmt.Errorf("%s (%s): report verdict %q is neither fail nor indeterminate", r.ID, r.Package, v)
	}
	res.effect = r.Effect
	if v, ok := obj["effect"]; ok {
		switch e, _ := v.(string); e {
		case EffectBlocks, EffectEndangers:
			res.effect = e
		case "none":
			res.effect = ""
		default:
			return result{}, fmt.Errorf("%s (%s): report effect %v is not blocks, endangers or none", r.ID, r.Package, v)
		}
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

// evalError explains an error raised while evaluating rules: which rule
// (by id, file and line) failed at run time, or, when ctx ended, that the
// evaluation was stopped (wrapping context.Cause, so that callers can tell
// their time limit from other errors).
func (pk *preparedKind) evalError(ctx context.Context, err error) error {
	where := pk.where(err)
	if ctx.Err() != nil {
		return &StoppedError{Where: where, Err: context.Cause(ctx)}
	}
	var te *topdown.Error
	if errors.As(err, &te) {
		return fmt.Errorf("%s failed: %s", where, te.Message)
	}
	return fmt.Errorf("%s failed: %w", where, err)
}

// where names the rule an evaluation error comes from: the rule whose file
// the error's location is in, else the custom rules evaluated together.
func (pk *preparedKind) where(err error) string {
	var te *topdown.Error
	if errors.As(err, &te) && te.Location != nil && te.Location.File != "" {
		at := fmt.Sprintf("%s:%d", te.Location.File, te.Location.Row)
		for _, r := range pk.rules {
			if r.File == te.Location.File {
				return fmt.Sprintf("rule %s (%s)", r.ID, at)
			}
		}
		return "rule code at " + at
	}
	var custom []string
	for _, r := range pk.rules {
		if r.Custom {
			custom = append(custom, fmt.Sprintf("%s (%s)", r.ID, r.File))
		}
	}
	if len(custom) > 0 {
		return "the rules (custom: " + strings.Join(custom, ", ") + ")"
	}
	return "the rules"
}

// StoppedError is an evaluation stopped because its context ended: the
// caller's time limit or an interrupt.
type StoppedError struct {
	// Where names the rule being evaluated, when known.
	Where string
	// Err is the context's cause (context.DeadlineExceeded, or the cause
	// the caller gave).
	Err error
}

func (e *StoppedError) Error() string {
	return fmt.Sprintf("evaluation stopped while evaluating %s: %v", e.Where, e.Err)
}

func (e *StoppedError) Unwrap() error { return e.Err }
