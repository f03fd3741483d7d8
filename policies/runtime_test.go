package policies

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/recoverscan/recoverscan/collector/demo"
	"github.com/recoverscan/recoverscan/collector/snapshot"
	"github.com/recoverscan/recoverscan/policies/policytest"
)

// demoSnapshot is the demo world as snapshot JSON.
func demoSnapshot(t *testing.T) []byte {
	t.Helper()
	data, err := snapshot.Marshal(demo.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestRuntimeErrorNamesRule checks that a custom rule failing while it is
// evaluated is named by id, file and line.
func TestRuntimeErrorNamesRule(t *testing.T) {
	cases := map[string]struct{ body, want string }{
		// A builtin error: strict builtin errors are on.
		"builtin": {
			body: "report contains report.fail(\"x\", {}) if {\n\tinput.user.enabled\n\tto_number(input.user.username) > 0\n}\n",
			want: ":12) failed: to_number: ",
		},
		// Complete rules must not produce several values.
		"conflict": {
			body: "status := \"a\" if input.user.enabled\n\nstatus := \"b\" if input.user.enabled\n\nreport contains report.fail(status, {}) if input.user.enabled\n",
			want: ") failed: rule data.custom.rules.user.probe.status produced conflicting values",
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			dir, file := policytest.WriteRule(t, "user/probe/rule.rego", policytest.RuleHeader+"\n"+c.body)
			e, err := New(context.Background(), Options{PolicyDirs: []string{dir}, Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			_, err = e.Evaluate(context.Background(), bytes.NewReader(demoSnapshot(t)))
			if err == nil {
				t.Fatal("evaluation succeeded")
			}
			msg := err.Error()
			if !strings.Contains(msg, "rule ACME-USER-001 ("+file+":") || !strings.Contains(msg, c.want) ||
				!strings.Contains(msg, "evaluate user rules for pool ") {
				t.Errorf("error does not name the rule, its file and line, and the pool: %s", msg)
			}
		})
	}
}

// TestEvaluateStopsAtDeadline checks that a rule too slow for the caller's
// deadline is stopped (OPA checks the context while it evaluates) with an
// error that wraps the deadline and names the custom rules.
func TestEvaluateStopsAtDeadline(t *testing.T) {
	// Each user would count fifty million numbers: hours for the demo.
	body := "report contains report.fail(\"slow\", {}) if {\n\tinput.user.enabled\n" +
		"\tn := count([x | some x in numbers.range(1, 50000000); x % 7 == 0])\n\tn < 0\n}\n"
	dir, file := policytest.WriteRule(t, "user/probe/rule.rego", policytest.RuleHeader+"\n"+body)
	e, err := New(context.Background(), Options{PolicyDirs: []string{dir}, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = e.Evaluate(ctx, bytes.NewReader(demoSnapshot(t)))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want an error wrapping context.DeadlineExceeded, got %v", err)
	}
	var se *StoppedError
	if !errors.As(err, &se) {
		t.Fatalf("want a StoppedError, got %T: %v", err, err)
	}
	if msg := err.Error(); !strings.Contains(msg, "ACME-USER-001 ("+file+")") || !strings.Contains(msg, "evaluation stopped") ||
		!strings.Contains(msg, "pool ") {
		t.Errorf("error does not say evaluation stopped in which pool and which custom rules ran: %s", msg)
	}
}
