package policies

import (
	"bytes"
	"context"
	"encoding/json"
	"sort"
	"strings"
	"testing"
)

// TestDemoVerdicts pins every verdict of the demo world: each user's, pool's
// and client's findings ("?" marks indeterminate). The demo is the first
// thing a new user sees, so it must be exactly right, and it exercises every
// built-in rule.
func TestDemoVerdicts(t *testing.T) {
	report := evaluateDemo(t)
	got := map[string]map[string][]string{}
	for _, f := range report.Findings {
		subject := "pool"
		switch {
		case f.Resource.Username != "":
			subject = f.Resource.Username
		case f.Resource.ClientID != "":
			subject = "client:" + f.Resource.ClientID
		}
		entry := f.RuleID
		if f.Verdict == Indeterminate {
			entry += "?"
		}
		if got[f.Resource.PoolName] == nil {
			got[f.Resource.PoolName] = map[string][]string{}
		}
		got[f.Resource.PoolName][subject] = append(got[f.Resource.PoolName][subject], entry)
	}
	want := map[string]map[string]string{
		"customers": {
			"bob":                         "RC-USER-001",
			"carol":                       "RC-USER-005",
			"dave":                        "RC-USER-006",
			"erin":                        "RC-USER-008",
			"frank":                       "RC-USER-011",
			"grace":                       "RC-USER-016 RC-USER-020",
			"heidi":                       "RC-USER-012 RC-USER-020",
			"ivan":                        "RC-USER-007",
			"judy":                        "RC-USER-003? RC-USER-020?",
			"kate":                        "RC-USER-003",
			"liam":                        "RC-USER-004",
			"nina":                        "RC-USER-010",
			"client:1example23456789web":  "RC-CLIENT-002",
			"client:4example56789backend": "RC-CLIENT-001",
			"pool":                        "RC-POOL-014 RC-SMS-002 RC-SMS-003 RC-SMS-004 RC-SMS-008",
		},
		"staff": {
			"olivia": "RC-USER-002",
			"peggy":  "RC-USER-019",
			"pool":   "RC-POOL-001",
		},
		"legacy-app": {
			"quentin": "RC-USER-018",
			"rupert":  "RC-USER-020",
			"pool":    "RC-EMAIL-001 RC-EMAIL-010 RC-EMAIL-011 RC-POOL-002 RC-POOL-004 RC-POOL-007 RC-POOL-011 RC-POOL-013",
		},
		"partners": {
			"sybil":                       "RC-USER-009 RC-USER-018",
			"trent":                       "RC-USER-002",
			"client:5example67partnerapi": "RC-CLIENT-002 RC-CLIENT-003",
			"pool":                        "RC-EMAIL-003 RC-EMAIL-009 RC-EMAIL-011 RC-POOL-003 RC-POOL-010",
		},
		"field-ops": {
			"victor":                    "RC-USER-013",
			"client:3example45fieldapp": "RC-CLIENT-002",
			"pool":                      "RC-POOL-003 RC-POOL-006 RC-POOL-007 RC-POOL-008 RC-POOL-019 RC-SMS-001",
		},
		"eu-shop": {
			"walter":                   "RC-USER-012? RC-USER-013? RC-USER-018?",
			"xena":                     "RC-USER-014 RC-USER-018",
			"client:6example78shopweb": "RC-CLIENT-002",
			"pool":                     "RC-EMAIL-002 RC-EMAIL-005 RC-EMAIL-006 RC-SMS-001? RC-SMS-002? RC-SMS-004? RC-SMS-008?",
		},
		"newsletter": {
			"pool": "RC-EMAIL-007 RC-EMAIL-010 RC-POOL-003",
		},
		"uk-clinic": {
			"pool": "RC-POOL-003 RC-POOL-005 RC-SMS-005",
		},
		"uk-shop": {
			"pool": "RC-EMAIL-004 RC-EMAIL-012",
		},
		"uk-kiosk": {
			"pool": "RC-EMAIL-010 RC-EMAIL-011 RC-POOL-018",
		},
		"uk-mailer": {
			"pool": "RC-POOL-003 RC-POOL-012",
		},
	}
	for pool, subjects := range want {
		for subject, rules := range subjects {
			g := got[pool][subject]
			sort.Strings(g)
			if strings.Join(g, " ") != rules {
				t.Errorf("%s / %s: got %q, want %q", pool, subject, strings.Join(g, " "), rules)
			}
		}
		for subject, g := range got[pool] {
			if _, ok := subjects[subject]; !ok {
				t.Errorf("%s / %s: unexpected %v (users alice, mallory, uma can recover)", pool, subject, g)
			}
		}
	}
	for pool := range got {
		if _, ok := want[pool]; !ok {
			t.Errorf("findings for unexpected pool %q", pool)
		}
	}

	totals := report.Totals()
	if totals != (UserCounts{Total: 24, Can: 3, Cannot: 17, MayNot: 4}) {
		t.Errorf("user counts %+v", totals)
	}
}

// TestDemoCoversEveryRule keeps the demo a tour of every built-in rule.
func TestDemoCoversEveryRule(t *testing.T) {
	report := evaluateDemo(t)
	fired := map[string]bool{}
	for _, f := range report.Findings {
		fired[f.RuleID] = true
	}
	for _, r := range report.Rules {
		if !r.Custom && !fired[r.ID] {
			t.Errorf("no demo finding for %s (%s): extend collector/demo", r.ID, r.Title)
		}
	}
}

func evaluateDemo(t *testing.T) *Report {
	t.Helper()
	data := demoSnapshot(t)
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.Evaluate(context.Background(), bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestUserRemediationNamesUser: a user's finding's remediation, as text
// and in JSON, names the user where the rule's names <username>, and a
// remediation read back from JSON is the same text.
func TestUserRemediationNamesUser(t *testing.T) {
	named := 0
	for _, f := range evaluateDemo(t).Findings {
		if f.Resource.Username == "" {
			continue
		}
		text := f.Remediation.String()
		if strings.Contains(text, "<username>") {
			t.Errorf("%s for %s: %q still holds <username>", f.RuleID, f.Resource.Username, text)
		}
		if !strings.Contains(text, "--username "+f.Resource.usernameForCommands()) {
			continue
		}
		named++
		b, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		var back Finding
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if back.Remediation.String() != text {
			t.Errorf("%s for %s: JSON gives %q, want %q", f.RuleID, f.Resource.Username, back.Remediation.String(), text)
		}
	}
	if named == 0 {
		t.Fatal("no user finding's remediation names its user: the test tests nothing")
	}
}
