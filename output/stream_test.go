package output

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/recoverscan/recoverscan/policies"
)

// TestRenderIgnoresReportFindings: a renderer renders what came through
// Add, and ignores r.Findings (Render is given the report whole here, so
// anything read from it would count its findings twice).
func TestRenderIgnoresReportFindings(t *testing.T) {
	r := fixtureReport()
	// Suppress a user's finding and one that is not about a user.
	var user, other bool
	for i := range r.Findings {
		f := &r.Findings[i]
		if u := isUserFinding(f); (u && !user) || (!u && !other) {
			f.Suppressed = &policies.SuppressedBy{Reason: "accepted", Expires: "2099-01-01", Where: "s.yaml:1"}
			user, other = user || u, other || !u
		}
	}
	for _, format := range Formats() {
		want := renderAll(t, format, r)
		rd, err := New(format, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for i := range r.Findings {
			f := r.Findings[i]
			if err := rd.Add(&f); err != nil {
				t.Fatal(err)
			}
		}
		// r.Findings is ignored: only what came through Add counts.
		got := renderRest(t, rd, r)
		rd.Close()
		if !bytes.Equal(got, want) {
			t.Errorf("%s: render with r.Findings set differs:\n got %s\nwant %s", format, head(got, 40), head(want, 40))
		}
	}
}

// renderAll renders r in format, every part of it.
func renderAll(t *testing.T, format string, r *policies.Report) []byte {
	t.Helper()
	rd, err := New(format, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	for i := range r.Findings {
		if err := rd.Add(&r.Findings[i]); err != nil {
			t.Fatal(err)
		}
	}
	head := *r
	head.Findings = nil
	return renderRest(t, rd, &head)
}

// renderRest renders what rd took, every part of it one after another.
func renderRest(t *testing.T, rd Renderer, r *policies.Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if pr, ok := rd.(PartedRenderer); ok {
		for i := 0; i < pr.Parts(r); i++ {
			if err := pr.RenderPart(&buf, r, i); err != nil {
				t.Fatal(err)
			}
		}
		return buf.Bytes()
	}
	if err := rd.Render(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestSpillRemovesItsFile: the JSON renderer's temporary file is
// owner-only and gone after Close.
func TestSpillRemovesItsFile(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	for _, format := range []string{FormatJSON, FormatCSV} {
		s, err := New(format, Options{})
		if err != nil {
			t.Fatal(err)
		}
		r := fixtureReport()
		if err := s.Add(&r.Findings[0]); err != nil {
			t.Fatal(err)
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		if len(files) != 1 {
			t.Fatalf("%s: want one temporary file, got %v", format, files)
		}
		if fi, err := os.Stat(files[0]); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: temporary file mode %v (%v), want 0600", format, fi.Mode().Perm(), err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if files, _ := filepath.Glob(filepath.Join(dir, "*")); len(files) != 0 {
			t.Errorf("%s: left behind: %v", format, files)
		}
	}
}

// TestSARIFParts: a SARIF report of 45 scopes is three parts, each the
// bytes of rendering that part's report whole.
func TestSARIFParts(t *testing.T) {
	r := manyScopesReport(t, 45)
	rd, err := New(FormatSARIF, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range r.Findings {
		if err := rd.Add(&r.Findings[i]); err != nil {
			t.Fatal(err)
		}
	}
	whole := *r
	whole.Findings = nil
	pr := rd.(PartedRenderer)
	want := SplitScopes(r, MaxRunsPerFile)
	if n := pr.Parts(&whole); n != len(want) || n != 3 {
		t.Fatalf("%d parts, want %d (3)", n, len(want))
	}
	for i := range want {
		var got bytes.Buffer
		if err := pr.RenderPart(&got, &whole, i); err != nil {
			t.Fatal(err)
		}
		if w := render(t, FormatSARIF, want[i], Options{}); !bytes.Equal(got.Bytes(), w) {
			t.Errorf("part %d differs:\n got %s\nwant %s", i+1, head(got.Bytes(), 30), head(w, 30))
		}
	}
	var buf bytes.Buffer
	if err := rd.Render(&buf, &whole); err == nil {
		t.Error("Render of 45 scopes into one file succeeded")
	}
}

// manyScopesReport is a report of n regions, each with a pool finding and
// two users' findings.
func manyScopesReport(t *testing.T, n int) *policies.Report {
	t.Helper()
	r := &policies.Report{Tool: "recoverscan", Version: "1.0.0", Rules: fixtureRules()}
	for i := 0; i < n; i++ {
		region := fmt.Sprintf("region-%02d", i)
		res := policies.Resource{Account: "111111111111", Region: region, PoolID: region + "_p"}
		r.Scopes = append(r.Scopes, policies.Scope{Account: "111111111111", Region: region,
			Pools: []policies.PoolSummary{{ID: res.PoolID, Users: policies.UserCounts{Total: 2, Cannot: 2}, Complete: true}}})
		r.Findings = append(r.Findings, policies.Finding{RuleID: "RC-POOL-001", Severity: policies.High, Kind: policies.KindPool,
			Verdict: policies.Fail, Message: "m", Resource: res})
		for _, u := range []string{"a", "b"} {
			ur := res
			ur.Username = u
			r.Findings = append(r.Findings, policies.Finding{RuleID: "RC-USER-001", Severity: policies.Critical, Kind: policies.KindUser,
				Verdict: policies.Fail, Message: "m", Resource: ur})
		}
	}
	return r
}
