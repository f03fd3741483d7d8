package policies

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/recoverscan/recoverscan/collector/snapshot"
	"github.com/recoverscan/recoverscan/policies/internal/plan"
)

// channelQuery is the library rule whose value is the channel ForgotPassword
// would use for a user; reports count users by it.
const channelQuery = "data.recoverscan.lib.recovery.chosen"

// userRules is how the engine evaluates the per-user rules: by the batches
// of a plan (policies/internal/plan), each a prepared query.
type userRules struct {
	plan *plan.Plan
	// batches are the prepared queries of the plan's batches, in order.
	batches []*preparedKind
	// cut reads the plan's cut values; nil when it has none.
	cut *rego.PreparedEvalQuery
}

// sharedResult is a batch's evaluation for one key: its rules' results
// and the values it yields.
type sharedResult struct {
	res    []result
	values []any
	// templates are res's entries with their placeholders found, when the
	// batch has placeholders.
	templates []plan.Template
}

// planUsers plans the enabled per-user rules and prepares a query for each
// of the plan's batches, and e.user, the query of all of them at once.
// Besides the reports, every user yields values: the channel, then each
// of e.aggs.
func (e *Engine) planUsers(ctx context.Context, srcs []*policyFile) (*userRules, error) {
	in := plan.Rules{Compiler: e.compiler, Written: map[string]*ast.Module{}, Values: []ast.Ref{ast.MustParseRef(channelQuery)}}
	values := []string{channelQuery}
	for _, a := range e.aggs {
		in.Values = append(in.Values, a.ref)
		values = append(values, fmt.Sprintf("[v | v := %s]", a.ref))
	}
	var err error
	if e.user, err = e.prepare(ctx, []Kind{KindUser}, "["+strings.Join(values, ", ")+"]"); err != nil {
		return nil, err
	}
	for _, s := range srcs {
		if s.isTest {
			continue
		}
		in.Written[s.name] = s.module
		if s.custom && s.pkgPath == "recoverscan.lib.report" {
			in.CustomReport = true
		}
	}
	rules := make([]*Rule, 0, len(e.byKind[KindUser]))
	for _, i := range e.byKind[KindUser] {
		rules = append(rules, &e.rules[i])
		in.Packages = append(in.Packages, e.rules[i].Package)
	}
	ur := &userRules{plan: plan.Build(in)}
	if q := ur.plan.CutQuery(); q != "" {
		pq, err := e.prepareQuery(ctx, q)
		if err != nil {
			return nil, newLoadError(fmt.Errorf("prepare %s: %w", q, err))
		}
		ur.cut = &pq
	}
	for _, b := range ur.plan.Batches() {
		batch := make([]*Rule, len(b.Rules()))
		for i, r := range b.Rules() {
			batch[i] = rules[r]
		}
		extra := ""
		if vs := b.Values(); len(vs) > 0 {
			exprs := make([]string, len(vs))
			for i, v := range vs {
				exprs[i] = values[v]
			}
			extra = "[" + strings.Join(exprs, ", ") + "]"
		}
		pk, err := e.prepareRules(ctx, batch, extra)
		if err != nil {
			return nil, err
		}
		ur.batches = append(ur.batches, pk)
	}
	return ur, nil
}

// worker is what a worker keeps while it judges a chunk of users.
type worker struct {
	// memo keeps the pool's values across the worker's evaluations.
	memo *plan.Memo
	// readCut evaluates the plan's cut query with memo.
	readCut plan.CutReader
	// key is scratch space for keys.
	key []byte
}

// newWorker starts a worker's state with memo (nil without a plan).
func (ev *evaluation) newWorker(memo *plan.Memo) *worker {
	return &worker{memo: memo, readCut: func(u *snapshot.User) (any, error) { return ev.cutValues(u, memo) }}
}

// judge evaluates the per-user rules for u: their results, in rule id
// order, and into vals the values users yield (the channel, then the
// aggregates).
func (ev *evaluation) judge(u *snapshot.User, w *worker, vals []any) ([]result, error) {
	ur := ev.e.plan
	if ur == nil {
		// Every rule, for every user: the reference the plan must equal.
		res, x, err := ev.e.user.eval(ev.ctx, ev.userInput(u))
		if err != nil {
			return nil, err
		}
		xs, _ := x.([]any)
		if len(xs) != len(vals) {
			return nil, fmt.Errorf("the user rules' values are not readable")
		}
		copy(vals, xs)
		sortResults(res)
		return res, nil
	}
	var out []result
	keys := ur.plan.User(u, w.readCut)
	for i, b := range ur.plan.Batches() {
		pk := ur.batches[i]
		key, run, err := keys.Key(b, w.key[:0])
		if err != nil {
			return nil, pk.evalError(ev.ctx, err)
		}
		if !run {
			continue
		}
		if key != nil {
			w.key = key
		}
		hit, ok := ev.cache.Get(i, key)
		if !ok {
			r, x, err := pk.eval(ev.ctx, ev.userInputWith(b.Input(u)), rego.EvalVirtualCache(w.memo.Cache(b, u)))
			if err != nil {
				return nil, err
			}
			xs, _ := x.([]any)
			if len(xs) != len(b.Values()) {
				return nil, fmt.Errorf("the values %v are not readable", b.Values())
			}
			hit = &sharedResult{res: r, values: xs}
			if b.Copies() {
				hit.templates = make([]plan.Template, len(r))
				for k := range r {
					hit.templates[k] = b.Template(r[k].raw)
				}
			}
			ev.cache.Put(i, key, hit)
		}
		for k, v := range b.Values() {
			vals[v] = hit.values[k]
		}
		filled, err := fillResults(hit, u)
		if err != nil {
			return nil, err
		}
		out = append(out, filled...)
	}
	sortResults(out)
	return out, nil
}

// cutValues evaluates the plan's cut query on u.
func (ev *evaluation) cutValues(u *snapshot.User, memo *plan.Memo) (any, error) {
	in := ev.userInputWith(ev.e.plan.plan.CutInput(u))
	rs, err := ev.e.plan.cut.Eval(ev.ctx, rego.EvalParsedInput(in), rego.EvalVirtualCache(memo.Cache(nil, u)))
	if err != nil || len(rs) != 1 {
		return nil, err
	}
	return rs[0].Bindings["c"], nil
}

// logCache says at debug level how the plan's cache did for the pool.
func (ev *evaluation) logCache(users int64) {
	if ev.cache == nil || !slog.Default().Enabled(ev.ctx, slog.LevelDebug) {
		return
	}
	var evaluations int64
	var kept int
	for _, s := range ev.cache.Stats() {
		evaluations += s.Evaluations
		kept += s.Kept
	}
	slog.Debug("per-user rules", "pool", ev.poolSettings.ID, "users", users, "batches", len(ev.e.plan.batches),
		"shared_evaluations", evaluations, "kept", kept)
}

func stringOr(x any) string {
	s, _ := x.(string)
	return s
}

// fillResults puts u's values in place of the placeholders of a batch's
// shared results. The shared slice is returned as is when nothing changes.
// Entries are made anew from the filled entry, as the rule would have made
// them, and entries that become equal (two facts with the same value) are
// reported once, as the rule's set would hold them.
func fillResults(hit *sharedResult, u *snapshot.User) ([]result, error) {
	res := hit.res
	if hit.templates == nil || len(res) == 0 {
		return res, nil
	}
	var out []result
	for i, r := range res {
		raw, changed := hit.templates[i].Fill(u)
		if !changed {
			if out != nil {
				out = append(out, r)
			}
			continue
		}
		if out == nil {
			out = append(make([]result, 0, len(res)), res[:i]...)
		}
		nr, err := toResult(r.rule, raw)
		if err != nil {
			return nil, err
		}
		out = append(out, nr)
	}
	if out == nil {
		return res, nil
	}
	// A set holds each entry once; only entries of one rule can be equal.
	kept := out[:0]
	for i, r := range out {
		if i == 0 || !containsEntry(kept, r) {
			kept = append(kept, r)
		}
	}
	return kept, nil
}

func containsEntry(rs []result, r result) bool {
	for _, o := range rs {
		if o.rule == r.rule && o.message == r.message && reflect.DeepEqual(o.raw, r.raw) {
			return true
		}
	}
	return false
}

// sortResults orders one user's results by rule, then by the entries
// themselves, so that the order does not depend on how they were made.
func sortResults(rs []result) {
	sorted := true
	for i := 1; i < len(rs) && sorted; i++ {
		sorted = rs[i-1].rule.ID < rs[i].rule.ID
	}
	if sorted {
		return
	}
	slices.SortStableFunc(rs, func(a, b result) int { return strings.Compare(a.rule.ID, b.rule.ID) })
	// Entries of one rule by their JSON, encoded once each.
	for i := 0; i < len(rs); {
		j := i + 1
		for j < len(rs) && rs[j].rule.ID == rs[i].rule.ID {
			j++
		}
		if j-i > 1 {
			sortEntries(rs[i:j])
		}
		i = j
	}
}

// sortEntries orders one rule's entries by their JSON encoding.
func sortEntries(rs []result) {
	type keyed struct {
		key []byte
		r   result
	}
	ks := make([]keyed, len(rs))
	for i, r := range rs {
		b, _ := json.Marshal(r.raw)
		ks[i] = keyed{b, r}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int { return bytes.Compare(a.key, b.key) })
	for i := range ks {
		rs[i] = ks[i].r
	}
}

// userInput is the input of the per-user rules for u.
func (ev *evaluation) userInput(u *snapshot.User) ast.Value {
	return ev.userInputWith(plan.UserTerm(u))
}

// userInputWith is the input of the per-user rules with user as input.user.
func (ev *evaluation) userInputWith(user *ast.Term) ast.Value {
	return ev.input(map[string]*ast.Term{"user": user}, "snapshot", "account", "pool", "sms", "sms_alternate", "email", "delivery")
}
