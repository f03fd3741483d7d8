package plan

import (
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/topdown"
)

const memoModule = `package p

pool_name := input.pool.name

label := concat(" ", [pool_name, "pool"])

suffix(s) := substring(s, count(s) - 1, 1)

seven if endswith(input.user.username, "7")

via_helper if seven

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
	if c.Compile(map[string]*ast.Module{"p.rego": ast.MustParseModule(memoModule)}); c.Failed() {
		t.Fatal(c.Errors)
	}
	return c
}

// TestMemoShares pins which values a Memo keeps: those of rules and
// functions reading nothing of input.user and calling nothing whose value
// may change between evaluations.
func TestMemoShares(t *testing.T) {
	c := memoCompiler(t)
	root := newPlanner(Rules{Compiler: c}).poolRules()
	call := func(fn string, args ...*ast.Term) ast.Ref {
		return append(ast.Ref{ast.RefTerm(ast.MustParseRef(fn)...)}, args...)
	}
	tests := []struct {
		ref  ast.Ref
		want bool
	}{
		{ast.MustParseRef("data.p.pool_name"), true},
		{ast.MustParseRef("data.p.label"), true},
		{call("data.p.suffix", ast.StringTerm("user-7")), true},
		{ast.MustParseRef("data.p.seven"), false},
		{ast.MustParseRef("data.p.via_helper"), false},
		{ast.MustParseRef("data.p.tags"), false},
		{ast.MustParseRef(`data.p.tags["pool"]`), false},
		{ast.MustParseRef("data.p.now"), false},
		{ast.MustParseRef("data.p.printed"), false},
		{ast.MustParseRef(`data.p.by_name["a"]`), true},
		{ast.MustParseRef("data.p.by_name"), true},
		{ast.MustParseRef(`data.p.by_user["a"]`), false},
		{ast.MustParseRef("data.p.chosen"), false},
		// A whole package is the pool's only if every rule in it is.
		{ast.MustParseRef("data.p"), false},
		{ast.MustParseRef("data"), false},
		{ast.MustParseRef("data.q.undefined"), false},
	}
	for _, tt := range tests {
		if got := root.shares(tt.ref); got != tt.want {
			t.Errorf("shares(%v) = %v, want %v", tt.ref, got, tt.want)
		}
	}
}

// TestMemoCache: values of the pool's rules outlive one evaluation's cache,
// others do not, and nothing is shared under a with modifier.
func TestMemoCache(t *testing.T) {
	c := memoCompiler(t)
	m := &Memo{pool: newPlanner(Rules{Compiler: c}).poolRules(), cache: topdown.NewVirtualCache()}
	pooled, own := ast.MustParseRef("data.p.pool_name"), ast.MustParseRef("data.p.seven")
	first := m.Cache()
	first.Put(pooled, ast.StringTerm("pool"))
	first.Put(own, ast.BooleanTerm(true))
	first.Push()
	first.Put(ast.MustParseRef("data.p.label"), ast.StringTerm("under with"))
	if v, _ := first.Get(pooled); v != nil {
		t.Errorf("under a with modifier, the pool's value is read: %v", v)
	}
	first.Pop()

	second := m.Cache()
	if v, _ := second.Get(pooled); v == nil || !v.Equal(ast.StringTerm("pool")) {
		t.Errorf("the pool's value is not kept: %v", v)
	}
	if v, undefined := second.Get(own); v != nil || undefined {
		t.Errorf("a user's value is kept: %v", v)
	}
	if v, _ := second.Get(ast.MustParseRef("data.p.label")); v != nil {
		t.Errorf("a value made under a with modifier is kept: %v", v)
	}
	second.Put(ast.MustParseRef("data.p.by_name"), nil)
	if v, undefined := m.Cache().Get(ast.MustParseRef("data.p.by_name")); v != nil || !undefined {
		t.Errorf("an undefined pool value is not kept as undefined: %v %v", v, undefined)
	}
}

// TestMemoLimit: a memo keeps at most memoLimit values, so that a pool
// function called with every user's own argument does not grow memory.
func TestMemoLimit(t *testing.T) {
	c := memoCompiler(t)
	m := &Memo{pool: newPlanner(Rules{Compiler: c}).poolRules(), cache: topdown.NewVirtualCache()}
	key := func(i int) ast.Ref {
		return ast.Ref{ast.RefTerm(ast.MustParseRef("data.p.suffix")...), ast.IntNumberTerm(i)}
	}
	for i := range memoLimit + 10 {
		m.Cache().Put(key(i), ast.StringTerm("x"))
	}
	if m.kept != memoLimit {
		t.Errorf("kept %d, want %d", m.kept, memoLimit)
	}
	if v, _ := m.Cache().Get(key(memoLimit + 5)); v != nil {
		t.Errorf("a value beyond the limit is kept")
	}
	if v, _ := m.Cache().Get(key(3)); v == nil {
		t.Errorf("a value within the limit is lost")
	}
}
