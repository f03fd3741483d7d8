package output

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/recoverscan/recoverscan/policies"
)

// streamed renders r through a Stream, its findings added one at a time.
func streamed(t *testing.T, format string, r *policies.Report) []byte {
	t.Helper()
	s, err := NewStream(format)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := range r.Findings {
		f := r.Findings[i]
		if err := s.Add(&f); err != nil {
			t.Fatal(err)
		}
	}
	whole := *r
	whole.Findings = nil
	var buf bytes.Buffer
	if err := s.Render(&buf, &whole, Options{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestStreamEqualsWrite: a report rendered from streamed findings is the
// very bytes of rendering it whole, suppressed findings included, in every
// format.
func TestStreamEqualsWrite(t *testing.T) {
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
		want := render(t, format, r, Options{})
		if got := streamed(t, format, r); !bytes.Equal(got, want) {
			t.Errorf("%s: streamed output differs from Write:\n got %s\nwant %s", format, head(got, 40), head(want, 40))
		}
	}
}

// TestStreamRemovesItsFile: the JSON stream's temporary file is
// owner-only and gone after Close.
func TestStreamRemovesItsFile(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	s, err := NewStream(FormatJSON)
	if err != nil {
		t.Fatal(err)
	}
	r := fixtureReport()
	if err := s.Add(&r.Findings[0]); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) != 1 {
		t.Fatalf("want one temporary file, got %v", files)
	}
	if fi, err := os.Stat(files[0]); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("temporary file mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*")); len(files) != 0 {
		t.Errorf("left behind: %v", files)
	}
}

// TestStreamSplitScopes: splitting a streamed SARIF report gives the bytes
// of splitting the whole report.
func TestStreamSplitScopes(t *testing.T) {
	r := manyScopesReport(t, 45)
	s, err := NewStream(FormatSARIF)
	if err != nil {
		t.Fatal(err)
	}
	for i := range r.Findings {
		if err := s.Add(&r.Findings[i]); err != nil {
			t.Fatal(err)
		}
	}
	whole := *r
	whole.Findings = nil
	parts, streams := s.SplitScopes(&whole, MaxRunsPerFile)
	want := SplitScopes(r, MaxRunsPerFile)
	if len(parts) != len(want) || len(parts) != 3 {
		t.Fatalf("%d parts, want %d (3)", len(parts), len(want))
	}
	for i := range parts {
		var got bytes.Buffer
		if err := streams[i].Render(&got, parts[i], Options{}); err != nil {
			t.Fatal(err)
		}
		if w := render(t, FormatSARIF, want[i], Options{}); !bytes.Equal(got.Bytes(), w) {
			t.Errorf("part %d differs:\n got %s\nwant %s", i+1, head(got.Bytes(), 30), head(w, 30))
		}
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
