package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// chromium finds the headless browser the HTML test loads the report in:
// $CHROMIUM, or Debian's chromium (.ci/run installs it). In CI a missing
// browser fails the test; elsewhere it skips.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium", "chromium", "chromium-browser"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed (CI=true): .ci/run installs Debian's chromium package; or set CHROMIUM")
	}
	t.Skip("chromium is not installed; set CHROMIUM or apt-get install chromium")
	return ""
}

// runChromium runs headless Chromium with a fresh profile and no network
// chatter, and returns its stdout.
func runChromium(t *testing.T, browser string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--hide-scrollbars", "--user-data-dir=" + t.TempDir()}
	cmd := exec.CommandContext(ctx, browser, append(base, args...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
	}
	return string(out)
}

// artifactDir is where the test keeps the report and its screenshot:
// $RECOVERSCAN_ARTIFACTS, or testdata/artifacts (ignored by git).
func artifactDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("RECOVERSCAN_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("testdata", "artifacts")
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestHTMLReportInChromium loads the demo's HTML report in headless
// Chromium and checks the figures it shows, after its script ran, against
// the JSON report of the same scan; checks the severity and rule filters;
// and keeps a screenshot.
func TestHTMLReportInChromium(t *testing.T) {
	browser := chromium(t)
	art := artifactDir(t)
	base := filepath.Join(art, "demo-report")
	if code, _, stderr := runCLI(t, "demo", "--format", "html,json", "-o", base); code != exitOK {
		t.Fatalf("demo: exit %d\n%s", code, stderr)
	}
	page := base + ".html"
	var report struct {
		Summary struct {
			Users      map[string]int64 `json:"users"`
			Findings   int              `json:"findings"`
			BySeverity map[string]int   `json:"by_severity"`
			ByVerdict  map[string]int   `json:"by_verdict"`
		} `json:"summary"`
		Scopes []struct {
			Account, Region string
			Pools           []struct {
				ID    string           `json:"id"`
				Users map[string]int64 `json:"users"`
			} `json:"pools"`
		} `json:"scopes"`
		Findings []struct {
			RuleID     string `json:"rule_id"`
			Severity   string `json:"severity"`
			Suppressed any    `json:"suppressed"`
		} `json:"findings"`
	}
	data, err := os.ReadFile(base + ".json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatal(err)
	}

	dom := runChromium(t, browser, "--dump-dom", "file://"+page)
	if !strings.Contains(dom, `data-filtered="true"`) {
		t.Fatal("the page's script did not run")
	}
	figure := func(scope, name string) string {
		m := regexp.MustCompile(`data-figure="` + regexp.QuoteMeta(name) + `"[^>]*>([^<]*)<`).FindStringSubmatch(scope)
		if m == nil {
			t.Errorf("no figure %s shown", name)
			return ""
		}
		return m[1]
	}
	num := func(s string) int64 {
		n, err := strconv.ParseInt(strings.ReplaceAll(s, ",", ""), 10, 64)
		if err != nil {
			t.Errorf("figure %q is not a number", s)
		}
		return n
	}
	u := report.Summary.Users
	for name, want := range map[string]int64{
		"users-total": u["total"], "users-can": u["can"], "users-cannot": u["cannot"], "users-may-not": u["may_not"],
		"findings": int64(report.Summary.Findings),
		"critical": int64(report.Summary.BySeverity["critical"]), "high": int64(report.Summary.BySeverity["high"]),
		"medium": int64(report.Summary.BySeverity["medium"]), "low": int64(report.Summary.BySeverity["low"]),
		"indeterminate": int64(report.Summary.ByVerdict["indeterminate"]),
	} {
		if got := num(figure(dom, name)); got != want {
			t.Errorf("the page shows %s = %d, the JSON report %d", name, got, want)
		}
	}
	if u["total"] == 0 || report.Summary.Findings == 0 {
		t.Fatalf("the demo report has no users or findings: %+v", report.Summary)
	}
	pools := 0
	for _, sc := range report.Scopes {
		for _, p := range sc.Pools {
			pools++
			i := strings.Index(dom, `data-pool="`+p.ID+`"`)
			if i < 0 {
				t.Errorf("pool %s is not shown", p.ID)
				continue
			}
			section := dom[i:]
			if j := strings.Index(section[1:], `class="pool"`); j > 0 {
				section = section[:j+1]
			}
			for name, key := range map[string]string{"pool-total": "total", "pool-can": "can", "pool-cannot": "cannot", "pool-may-not": "may_not"} {
				if got := num(figure(section, name)); got != p.Users[key] {
					t.Errorf("pool %s: the page shows %s = %d, the JSON report %d", p.ID, name, got, p.Users[key])
				}
			}
			if p.Users["total"] > 0 && !strings.Contains(section, `class="bar"`) {
				t.Errorf("pool %s has no bar", p.ID)
			}
		}
	}
	if pools == 0 {
		t.Fatal("the demo report has no pools")
	}

	// Every row is shown unfiltered; the filter in the address hides all
	// but one severity, then all but one rule.
	rows := regexp.MustCompile(`<tr class="result[^"]*"([^>]*)>`).FindAllStringSubmatch(dom, -1)
	if len(rows) == 0 {
		t.Fatal("no result rows")
	}
	if got := figure(dom, "shown-rows"); got != strconv.Itoa(len(rows)) {
		t.Errorf("shown %s rows, want all %d", got, len(rows))
	}
	critical := 0
	for _, r := range rows {
		if strings.Contains(r[1], `data-severity="critical"`) {
			critical++
		}
	}
	dom = runChromium(t, browser, "--dump-dom", "file://"+page+"#severity=critical")
	visible, hiddenNonCritical := 0, 0
	for _, r := range regexp.MustCompile(`<tr class="result[^"]*"([^>]*)>`).FindAllStringSubmatch(dom, -1) {
		hidden := strings.Contains(r[1], " hidden")
		if !hidden {
			visible++
			if !strings.Contains(r[1], `data-severity="critical"`) {
				t.Errorf("a non-critical row is shown under #severity=critical: %s", r[1])
			}
		} else if !strings.Contains(r[1], `data-severity="critical"`) {
			hiddenNonCritical++
		}
	}
	if visible != critical || critical == 0 || hiddenNonCritical == 0 {
		t.Errorf("#severity=critical shows %d rows, want the %d critical ones (%d others hidden)", visible, critical, hiddenNonCritical)
	}
	rule := report.Findings[0].RuleID
	dom = runChromium(t, browser, "--dump-dom", "file://"+page+"#rule="+rule)
	for _, r := range regexp.MustCompile(`<tr class="result[^"]*"([^>]*)>`).FindAllStringSubmatch(dom, -1) {
		if !strings.Contains(r[1], " hidden") && !strings.Contains(r[1], `data-rule="`+rule+`"`) {
			t.Errorf("#rule=%s shows a row of another rule: %s", rule, r[1])
		}
	}

	shot := filepath.Join(art, "demo-report.png")
	_ = os.Remove(shot)
	runChromium(t, browser, "--screenshot="+shot, "--window-size=1280,2400", "file://"+page)
	png, err := os.ReadFile(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	if len(png) < 10<<10 || string(png[1:4]) != "PNG" {
		t.Errorf("the screenshot %s is not a PNG of a page (%d bytes)", shot, len(png))
	}
	t.Logf("HTML report %s, screenshot %s", page, shot)
	fmt.Fprintf(os.Stderr, "html report screenshot: %s\n", shot)
}
