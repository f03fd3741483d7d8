package config

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/recoverscan/recoverscan/collector/demo"
	"github.com/recoverscan/recoverscan/collector/snapshot"
	"github.com/recoverscan/recoverscan/policies"
	"github.com/recoverscan/recoverscan/policies/policytest"
)

func TestConfigParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		line      int
		want      string
	}{
		{"unknown top key", "policies: []\nrulez: {}\n", 2, `unknown key "rulez"`},
		{"policies not a list", "policies: ./rules\n", 1, "want a list"},
		{"bad rule id", "rules:\n  rc-user-1:\n    disabled: true\n", 2, "not a rule id"},
		{"unknown rule key", "rules:\n  RC-USER-001:\n    disable: true\n", 3, `unknown key "disable"`},
		{"disabled not a bool", "rules:\n  RC-USER-001:\n    disabled: yes please\n", 3, "want true or false"},
		{"bad severity", "rules:\n  RC-USER-001:\n    severity: urgent\n", 3, `unknown severity "urgent"`},
		{"params not a map", "rules:\n  RC-USER-001:\n    params: [1]\n", 3, "want a mapping"},
		{"duplicate", "rules:\n  RC-USER-001: {disabled: true}\n  RC-USER-001: {disabled: false}\n", 3, "given twice"},
		{"not yaml", "rules: [\n", 0, "config.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("config.yaml", []byte(tc.doc))
			var ce *Error
			if !errors.As(err, &ce) || ce.Line != tc.line || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("want line %d and %q, got %v", tc.line, tc.want, err)
			}
			if tc.line > 0 && !strings.HasPrefix(err.Error(), fmt.Sprintf("config.yaml:%d: ", tc.line)) {
				t.Errorf("error should start with file:line: %v", err)
			}
		})
	}
	cfg, err := Parse(filepath.Join("conf", "x.yaml"), []byte("policies: [rules, /abs/rules]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Rules.Policies[0] != filepath.Join("conf", "rules") || cfg.Rules.Policies[1] != "/abs/rules" {
		t.Errorf("policies resolve against the config file's directory: %v", cfg.Rules.Policies)
	}
}

func TestConfigApplyErrors(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		line      int
		want      string
	}{
		{"unknown rule", "rules:\n  RC-USER-999:\n    disabled: true\n", 2, "no loaded rule has the id RC-USER-999"},
		{"unknown param", "rules:\n  RC-EMAIL-001:\n    params:\n      max_user: 5\n", 4, `RC-EMAIL-001 has no parameter "max_user" (it has max_users)`},
		{"rule without params", "rules:\n  RC-USER-001:\n    params:\n      x: 5\n", 4, "declares no custom.params"},
		{"wrong type", "rules:\n  RC-EMAIL-001:\n    params:\n      max_users: many\n", 4, "want a number like the default 1000, got a string"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("c.yaml", []byte(tc.doc))
			if err != nil {
				t.Fatal(err)
			}
			_, err = policies.New(context.Background(), policies.Options{Config: cfg.Rules})
			want := fmt.Sprintf("c.yaml:%d: ", tc.line)
			if err == nil || !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("want %q...%q, got %v", want, tc.want, err)
			}
		})
	}
}

// TestConfigTunesRules: disabling, re-levelling and parameterising rules,
// built-in and custom, through the same keys.
func TestConfigTunesRules(t *testing.T) {
	dir, _ := policytest.WriteRule(t, "user/probe/rule.rego", policytest.RuleHeader+"\nreport contains report.fail(\"probe\", {}) if input.user.username == \"bob\"\n")
	data, err := snapshot.Marshal(demo.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	evaluate := func(doc string) (*policies.Engine, *policies.Report) {
		t.Helper()
		cfg, err := Parse(filepath.Join(dir, "recoverscan.yaml"), []byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		e, err := policies.New(context.Background(), policies.Options{Config: cfg.Rules})
		if err != nil {
			t.Fatal(err)
		}
		r, err := e.Evaluate(context.Background(), bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		return e, r
	}
	count := func(r *policies.Report, id string) (n int, sev policies.Severity) {
		for _, f := range r.Findings {
			if f.RuleID == id {
				n++
				sev = f.Severity
			}
		}
		return n, sev
	}
	inReport := func(r *policies.Report, id string) *policies.Rule {
		for i := range r.Rules {
			if r.Rules[i].ID == id {
				return &r.Rules[i]
			}
		}
		return nil
	}

	// The config's policies load the custom rule; defaults apply.
	_, r := evaluate("policies: [.]\n")
	if n, sev := count(r, "ACME-USER-001"); n != 1 || sev != policies.Low {
		t.Fatalf("custom rule: %d findings, severity %s", n, sev)
	}
	if n, _ := count(r, "RC-EMAIL-001"); n != 1 {
		t.Fatalf("RC-EMAIL-001 with the default max_users: %d findings", n)
	}

	e, r := evaluate(`policies: [.]
rules:
  ACME-USER-001:
    severity: critical
  RC-EMAIL-001:
    params:
      max_users: 100000
  RC-USER-001:
    disabled: true
`)
	if n, sev := count(r, "ACME-USER-001"); n != 1 || sev != policies.Critical {
		t.Errorf("re-levelled custom rule: %d findings, severity %s", n, sev)
	}
	if rule := inReport(r, "ACME-USER-001"); rule == nil || rule.Severity != policies.Critical || rule.DefaultSeverity != policies.Low {
		t.Errorf("catalogue entry of the re-levelled rule: %+v", rule)
	}
	if n, _ := count(r, "RC-EMAIL-001"); n != 0 {
		t.Errorf("RC-EMAIL-001 with max_users 100000: %d findings", n)
	}
	if n, _ := count(r, "RC-USER-001"); n != 0 || inReport(r, "RC-USER-001") != nil {
		t.Errorf("disabled RC-USER-001: %d findings, in the report's rules: %v", n, inReport(r, "RC-USER-001") != nil)
	}
	var listed bool
	for _, rule := range e.Rules() {
		if rule.ID == "RC-USER-001" {
			listed = rule.Disabled
		}
		if rule.ID == "RC-EMAIL-001" && rule.Params["max_users"] != float64(100000) {
			t.Errorf("effective params in the catalogue: %v", rule.Params)
		}
	}
	if !listed {
		t.Error("the catalogue lists RC-USER-001 as disabled")
	}

	// The rule sees the configured value.
	_, r = evaluate("rules:\n  RC-EMAIL-001:\n    params:\n      max_users: 2\n")
	for _, f := range r.Findings {
		if f.RuleID == "RC-EMAIL-001" && fmt.Sprint(f.Evidence["threshold"]) != "2" {
			t.Errorf("RC-EMAIL-001 with max_users 2: evidence %v", f.Evidence)
		}
	}
}
