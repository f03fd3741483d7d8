// Package plan decides how the per-user rules are evaluated over a pool's
// users, so that a pool of millions of users costs a few thousand
// evaluations, and gives exactly the results of evaluating every rule for
// every user.
//
// A per-user evaluation depends on the user only through the input.user
// facts the rules read: the rest of the input is the pool's. So users who
// agree on those facts get the same results. The plan finds, for every
// per-user rule, which facts it reads, by walking every Rego rule and
// function it can reach; anything it cannot pin to a fact (input.user as a
// whole, a computed key) counts as reading every fact below it, so the plan
// errs towards evaluating more, never less.
//
// Facts a rule reads come in two kinds. A fact it tests (compares, parses,
// passes to a function) decides its result, so it is part of the key the
// result is shared under. A distinct fact (username, timestamps, masked
// contact) that a rule only copies into its report entry (as evidence or
// into the message through concat) does not change which entries there
// are: the rule is evaluated once with a placeholder in its place, and each
// user's value is put back into the copy.
//
// Rules that test a distinct fact cannot share results as such. When they
// test it only through helper rules without arguments that take few values
// (a cut: "the temporary password has expired"), those values stand in for
// the distinct facts in the key. Otherwise they are evaluated per user, but
// only for users who pass the guards their bodies start from
// (input.user.status == "FORCE_CHANGE_PASSWORD" and the like), since a body
// with a false conjunct reports nothing.
//
// Whatever the batches, the rules and functions that read nothing of
// input.user (the pool's SMS and email state, the recovery setting, the
// snapshot's time) have one value per pool. A Memo keeps those values
// across a pool's evaluations, as the virtual document cache of each, so
// that they are evaluated once per pool and worker instead of once per
// evaluation; under a with modifier nothing is shared.
//
// The facts are generated from snapshot.User and the snapshot schema
// (facts_gen.go, `go generate ./policies/internal/plan`; a test fails when
// it is stale), so a field added to the model needs no edit here.
//
// # Interface
//
// The engine compiles the rules, then builds a plan and prepares one query
// per batch:
//
//	p := plan.Build(plan.Rules{Compiler: c, Written: files, Packages: pkgs, Values: refs})
//	for _, b := range p.Batches() {
//		// prepare data.<pkg>.report for each of b.Rules() (indexes into
//		// Packages), and each of b.Values() (indexes into Values: the
//		// channel Cognito picks, the pool rules' per-user aggregates)
//	}
//	// and, when p.CutQuery() is not "", that query
//
// Per pool it makes a cache, and per user it asks the plan for each batch's
// key, looks the result up, and evaluates the batch only on a miss:
//
//	cache := plan.NewCache[V](p)
//	memo := p.NewMemo() // one per worker
//	keys := p.User(u, readCut) // readCut evaluates p.CutQuery() on u, with memo.Cache()
//	for i, b := range p.Batches() {
//		key, run, err := keys.Key(b, buf) // run: b may report for u
//		v, ok := cache.Get(i, key)        // never found for a nil key
//		if !ok {
//			// input.user with b's placeholders; memo.Cache() as the
//			// evaluation's rego.EvalVirtualCache
//			v = evaluate(b, b.Input(u), memo.Cache())
//			cache.Put(i, key, v)
//		}
//		t := b.Template(entry)      // once per result kept
//		entry, changed := t.Fill(u) // u's values for the placeholders
//	}
//
// Describe and Stats say what the plan and a pool's cache did, for
// diagnostics and tests. Nothing else of the plan is visible to the engine.
package plan

//go:generate go test -run ^TestFactsGenerated$ . -args -update
