package policies

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/recoverscan/recoverscan/collector/demo"
)

// TestExplainDemoUsers checks what ForgotPassword would do for every user of
// the demo world.
func TestExplainDemoUsers(t *testing.T) {
	data := demoSnapshot(t)
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		pool, user, kind, exception string
	}
	tests := []want{
		{"us-east-1_DemoCust1", "alice", OutcomeDelivered, ""},
		{"us-east-1_DemoCust1", "bob", OutcomeError, "InvalidParameterException"},
		{"us-east-1_DemoCust1", "carol", OutcomeError, "NotAuthorizedException"},
		{"us-east-1_DemoCust1", "dave", OutcomeUndelivered, ""},
		{"us-east-1_DemoCust1", "erin", OutcomeError, "NotAuthorizedException"},
		{"us-east-1_DemoCust1", "frank", OutcomeUndelivered, ""},
		{"us-east-1_DemoCust1", "grace", OutcomeUndelivered, ""},
		{"us-east-1_DemoCust1", "heidi", OutcomeUndelivered, ""},
		{"us-east-1_DemoCust1", "ivan", OutcomeError, "NotAuthorizedException"},
		{"us-east-1_DemoCust1", "judy", OutcomeUnknown, ""},
		{"us-east-1_DemoCust1", "kate", OutcomeError, "InvalidParameterException"},
		{"us-east-1_DemoCust1", "liam", OutcomeError, "InvalidParameterException"},
		{"us-east-1_DemoCust1", "mallory", OutcomeDelivered, ""},
		{"us-east-1_DemoCust1", "nina", OutcomeUnknown, ""},
		{"us-east-1_DemoStaf2", "olivia", OutcomeError, "NotAuthorizedException"},
		{"us-east-1_DemoStaf2", "peggy", OutcomeError, "NotAuthorizedException"},
		{"us-east-1_DemoLeg3", "quentin", OutcomeUndelivered, ""},
		{"us-east-1_DemoLeg3", "rupert", OutcomeUnknown, ""},
		{"us-east-1_DemoPart4", "sybil", OutcomeError, "InvalidEmailRoleAccessPolicyException"},
		{"us-east-1_DemoPart4", "trent", OutcomeError, "InvalidParameterException"},
		{"us-east-1_DemoFld5", "uma", OutcomeDelivered, ""},
		{"us-east-1_DemoFld5", "victor", OutcomeUndelivered, ""},
		{"eu-west-1_DemoShop6", "walter", OutcomeUnknown, ""},
		{"eu-west-1_DemoShop6", "xena", OutcomeUndelivered, ""},
	}
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			ex, err := e.Explain(context.Background(), bytes.NewReader(data), tt.pool, tt.user)
			if err != nil {
				t.Fatal(err)
			}
			w := ex.Route()
			if w.Outcome.Kind != tt.kind || w.Outcome.Exception != tt.exception {
				t.Errorf("outcome %s %s, want %s %s (%s)", w.Outcome.Kind, w.Outcome.Exception, tt.kind, tt.exception, w.Outcome.Why)
			}
			if w.Outcome.Kind == OutcomeDelivered && len(w.Fixes) > 0 {
				t.Errorf("a user who gets the code needs no fix, got %v", w.Fixes)
			}
			if w.Outcome.Kind != OutcomeDelivered && w.Outcome.Kind != OutcomeUnknown && len(w.Fixes) == 0 {
				t.Error("a user who gets no code needs a fix")
			}
			if (w.Outcome.Kind == OutcomeDelivered) != (w.Outcome.Delivery != nil && !strings.Contains(w.Outcome.Why, " ")) && w.Outcome.Kind == OutcomeDelivered {
				t.Error("a delivered outcome carries CodeDeliveryDetails")
			}
			if ex.Channel == "sms" || ex.Channel == "email" {
				// The path, hop by hop.
				var hops []string
				for _, s := range w.Steps {
					if s.Name == "sender" || strings.HasSuffix(s.Name, " account") || s.Name == "recipient" {
						hops = append(hops, s.Name)
					}
				}
				if len(hops) != 3 || hops[0] != "sender" || hops[2] != "recipient" {
					t.Errorf("the route of the %s path has hops %v, want sender, account, recipient", ex.Channel, hops)
				}
			}
			for _, s := range w.Steps {
				if strings.Contains(s.Detail, "@example") {
					t.Errorf("step %q shows an unmasked address", s.Name)
				}
			}
		})
	}
	// Every user of the demo is covered.
	s := demo.Snapshot()
	n := 0
	for _, a := range s.Accounts {
		for _, r := range a.Regions {
			for _, p := range r.Pools {
				n += len(p.Users)
			}
		}
	}
	if n != len(tests) {
		t.Errorf("the demo has %d users, the test covers %d", n, len(tests))
	}

	if _, err := e.Explain(context.Background(), bytes.NewReader(data), "us-east-1_DemoCust1", "nobody"); !errors.Is(err, ErrUserNotFound) {
		t.Errorf("unknown user: got %v, want ErrUserNotFound", err)
	}
}
