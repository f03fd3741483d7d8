package plan

import (
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

const memoModule = `package p

pool_name := input.pool.name

label := concat(" ", [pool_name, "pool"])

suffix(s) := substring(s, count(s) - 1, 1)

seven if endswith(input.user.username, "7")

active if input.user.status == "CONFIRMED"

via_helper if active

states contains "pool" if input.pool.name != ""

states contains input.user.status

tags contains "pool" if input.pool.name != ""

tags contains "seven" if seven

now := time.now_ns()

printed if print("x")

by_name[name] := input.pool.name if some name in ["a", "b"]

by_user[name] := 1 if name := input.user.username

chosen := "sms" if {
	input.pool.sms
} else := input.user.status
`

// memoCompiler compiles memoModule, print statements kept as a test run
// keeps them.
func memoCompiler(t *testing.T) *ast.Compiler {
	t.Helper()
	c := ast.NewCompiler().WithEnablePrintStatements(true)
	rules := "package p.rules\n\nreport contains input.user.status\n\nhelper := input.user.status\n"
	if c.Compile(map[string]*ast.Module{"p.rego": ast.MustParseModule(memoModule), "r.rego": ast.MustParseModule(rules)}); c.Failed() {
		t.Fatal(c.Errors)
	}
	return c
}

// TestMemoReads pins what a Memo keeps values by: the facts each rule
// reads, nothing for the pool's rules, and nothing at all for rules that
// read a distinct fact or call what may change between evaluations.
func TestMemoReads(t *testing.T) {
	c := memoCompiler(t)
	root := newPlanner(Rules{Compiler: c}).memoRules([]string{"p.rules"})
	call := func(fn string, args ...*ast.Term) ast.Ref {
		return append(ast.Ref{ast.RefTerm(ast.MustParseRef(fn)...)}, args...)
	}
	status := factSet(1 << factStatus)
	tests := []struct {
		ref   ast.Ref
		facts factSet
		ok    bool
	}{
		{ast.MustParseRef("data.p.pool_name"), 0, true},
		{ast.MustParseRef("data.p.label"), 0, true},
		{call("data.p.suffix", ast.StringTerm("user-7")), 0, true},
		{ast.MustParseRef("data.p.active"), status, true},
		{ast.MustParseRef("data.p.via_helper"), status, true},
		{ast.MustParseRef(`data.p.states["pool"]`), status, true},
		{ast.MustParseRef("data.p.seven"), 0, false},
		{ast.MustParseRef("data.p.tags"), 0, false},
		{ast.MustParseRef(`data.p.tags["pool"]`), 0, false},
		{ast.MustParseRef("data.p.now"), 0, false},
		{ast.MustParseRef("data.p.printed"), 0, false},
		{ast.MustParseRef(`data.p.by_name["a"]`), 0, true},
		{ast.MustParseRef("data.p.by_name"), 0, true},
		{ast.MustParseRef(`data.p.by_user["a"]`), 0, false},
		{ast.MustParseRef("data.p.chosen"), status, true},
		// A per-user rule's report is the plan cache's to keep.
		{ast.MustParseRef("data.p.rules.report"), 0, false},
		{ast.MustParseRef("data.p.rules.helper"), status, true},
		// A whole package only as far as every rule in it.
		{ast.MustParseRef("data.p"), 0, false},
		{ast.MustParseRef("data"), 0, false},
		{ast.MustParseRef("data.q.undefined"), 0, false},
	}
	for _, tt := range tests {
		facts, rule := root.reads(tt.ref)
		if ok := rule != nil; ok != tt.ok || (ok && facts != tt.facts) {
			t.Errorf("reads(%v) = %v, %v; want %v, %v", tt.ref, factNames(facts), ok, factNames(tt.facts), tt.ok)
		}
	}
}

// newTestMemo is a Memo over memoModule.
func newTestMemo(t *testing.T) *Memo {
	return (&Plan{memoRules: newPlanner(Rules{Compiler: memoCompiler(t)}).memoRules(nil)}).NewMemo()
}

// TestMemoCache: values outlive one evaluation's cache as far as what
// they depend on is the same, and nothing is shared under a with
// modifier or when it reads a placeholder.
func TestMemoCache(t *testing.T) {
	m := newTestMemo(t)
	confirmed := &snapshot.User{Username: "a", Status: "CONFIRMED"}
	other := &snapshot.User{Username: "b", Status: "CONFIRMED"}
	reset := &snapshot.User{Username: "c", Status: "RESET_REQUIRED"}
	pooled, active := ast.MustParseRef("data.p.pool_name"), ast.MustParseRef("data.p.active")
	seven := ast.MustParseRef("data.p.seven")

	first := m.Cache(nil, confirmed)
	first.Put(pooled, ast.StringTerm("pool"))
	first.Put(active, ast.BooleanTerm(true))
	first.Put(seven, ast.BooleanTerm(true))
	first.Push()
	first.Put(ast.MustParseRef("data.p.label"), ast.StringTerm("under with"))
	if v, _ := first.Get(pooled); v != nil {
		t.Errorf("under a with modifier, the pool's value is read: %v", v)
	}
	first.Pop()

	second := m.Cache(nil, other)
	if v, _ := second.Get(pooled); v == nil || !v.Equal(ast.StringTerm("pool")) {
		t.Errorf("the pool's value is not kept: %v", v)
	}
	if v, _ := second.Get(active); v == nil {
		t.Error("a value is not kept for a user with the same status")
	}
	if v, undefined := second.Get(seven); v != nil || undefined {
		t.Errorf("a value of the username is kept: %v", v)
	}
	if v, _ := second.Get(ast.MustParseRef("data.p.label")); v != nil {
		t.Errorf("a value made under a with modifier is kept: %v", v)
	}
	if v, _ := m.Cache(nil, reset).Get(active); v != nil {
		t.Errorf("a value is kept for a user with another status: %v", v)
	}
	status := &Batch{ph: newPlaceholders(1<<factStatus, "m")}
	if v, _ := m.Cache(status, other).Get(active); v != nil {
		t.Errorf("a value of a fact the input has a placeholder for is kept: %v", v)
	}
	second.Put(ast.MustParseRef("data.p.by_name"), nil)
	if v, undefined := m.Cache(nil, reset).Get(ast.MustParseRef("data.p.by_name")); v != nil || !undefined {
		t.Errorf("an undefined pool value is not kept as undefined: %v %v", v, undefined)
	}
}

// TestMemoLimit: a memo keeps at most ruleLimit values of one rule or
// function, and memoLimit in all, so that a function called with every
// user's own argument neither grows memory nor crowds out the others.
func TestMemoLimit(t *testing.T) {
	m := newTestMemo(t)
	u := &snapshot.User{}
	key := func(i int) ast.Ref {
		return ast.Ref{ast.RefTerm(ast.MustParseRef("data.p.suffix")...), ast.IntNumberTerm(i)}
	}
	for i := range ruleLimit + 10 {
		m.Cache(nil, u).Put(key(i), ast.StringTerm("x"))
	}
	if m.kept != ruleLimit {
		t.Errorf("kept %d, want %d", m.kept, ruleLimit)
	}
	if v, _ := m.Cache(nil, u).Get(key(ruleLimit + 5)); v != nil {
		t.Errorf("a value beyond the rule's limit is kept")
	}
	if v, _ := m.Cache(nil, u).Get(key(3)); v == nil {
		t.Errorf("a value within the limit is lost")
	}
	label := ast.MustParseRef("data.p.label")
	m.kept = memoLimit
	m.Cache(nil, u).Put(label, ast.StringTerm("x"))
	if v, _ := m.Cache(nil, u).Get(label); v != nil {
		t.Errorf("a value beyond the memo's limit is kept")
	}
}
