package output

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/recoverscan/recoverscan/collector/snapshot"
	"github.com/recoverscan/recoverscan/policies"
)

// hostileName sets the window title, clears the screen, rewrites the line
// and reverses the text direction.
const hostileName = "eve\x1b]0;pwned\x07\x1b[2J\rCRITICAL fake row\n\u202eevil\u009b"

func TestTerminal(t *testing.T) {
	for in, want := range map[string]string{
		"plain text, ünïcode — ok": "plain text, ünïcode — ok",
		hostileName:                `eve\x1b]0;pwned\x07\x1b[2J\rCRITICAL fake row\n\u202eevil\u009b`,
		"tab\there":                `tab\there`,
		"bad \xff utf8":            `bad \xff utf8`,
		"del\x7f":                  `del\x7f`,
	} {
		if got := Terminal(in); got != want {
			t.Errorf("Terminal(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMarkdown(t *testing.T) {
	for _, in := range []string{"[click](https://evil.example)", "<img src=x onerror=alert(1)>", "a | b *c* _d_ `e` ~f~\n# g"} {
		got := Markdown(in)
		// What is left once the backslash escapes are taken out must
		// hold no markup.
		bare := regexp.MustCompile(`\\.`).ReplaceAllString(got, "")
		if strings.ContainsAny(bare, "<>[]|*_`~\n") {
			t.Errorf("Markdown(%q) = %q keeps markup", in, got)
		}
	}
}

// hostileReport is the fixture with a hostile pool name, username and
// message.
func hostileReport() *policies.Report {
	r := fixtureReport()
	for i := range r.Findings {
		f := &r.Findings[i]
		f.Resource.PoolName = hostileName
		if f.Resource.Username != "" {
			f.Resource.Username = hostileName + f.Resource.Username
		}
		f.Message = hostileName
	}
	for i := range r.Scopes {
		for j := range r.Scopes[i].Pools {
			r.Scopes[i].Pools[j].Name = hostileName
		}
	}
	return r
}

// assertNoControls fails when out has a control character other than the
// line breaks the renderer writes, or when a hostile name broke a line.
func assertNoControls(t *testing.T, what string, out []byte) {
	t.Helper()
	for i, c := range string(out) {
		if (c < 0x20 && c != '\n') || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u202e' {
			t.Errorf("%s: control character %q at %d: %q", what, c, i, out[max(0, i-40):min(len(out), i+40)])
			return
		}
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "CRITICAL fake row") {
			t.Errorf("%s: a name faked a line: %q", what, line)
		}
	}
}

// TestRenderersEscapeControls: a name or message with escape sequences is
// printed visibly, in colour or not.
func TestRenderersEscapeControls(t *testing.T) {
	r := hostileReport()
	assertNoControls(t, "table", render(t, FormatTable, r, Options{}))
	colored := render(t, FormatTable, r, Options{Color: true})
	assertNoControls(t, "coloured table", []byte(stripANSI(string(colored))))
	if bytes.Contains(colored, []byte("\x1b]")) || bytes.Contains(colored, []byte("\x1b[2J")) {
		t.Error("the coloured table carries the name's escape sequences")
	}

	d := policies.Compare(hostileName, &policies.Report{}, "new\x1b[2J.json", r)
	var buf bytes.Buffer
	if err := WriteDiff(&buf, "table", d, Options{}); err != nil {
		t.Fatal(err)
	}
	assertNoControls(t, "diff", buf.Bytes())

	ex := &policies.Explanation{
		Account: "111122223333", Region: "us-east-1", TakenAt: "2026-11-01T09:00:00Z",
		Pool:     snapshot.PoolSettings{ID: "us-east-1_AbC\x1b[2J", Name: hostileName},
		User:     snapshot.User{Username: hostileName, Sub: "s", Status: "CONFIRMED", Enabled: true},
		Channel:  "none",
		Why:      hostileName,
		Findings: r.Findings[:1],
	}
	buf.Reset()
	if err := WriteExplanation(&buf, "table", ex, Options{}); err != nil {
		t.Fatal(err)
	}
	assertNoControls(t, "explain", buf.Bytes())
}

// TestSARIFEscapesMarkdown: names in SARIF messages, which GitHub renders,
// cannot link, format or inject HTML.
func TestSARIFEscapesMarkdown(t *testing.T) {
	r := fixtureReport()
	const name = "<img src=x onerror=alert(1)>[click](https://evil.example)"
	for i := range r.Findings {
		r.Findings[i].Resource.PoolName = name
	}
	for i := range r.Scopes {
		for j := range r.Scopes[i].Pools {
			r.Scopes[i].Pools[j].Name = name
		}
	}
	doc := parseSARIF(t, render(t, FormatSARIF, r, Options{}))
	n := 0
	for _, run := range doc.Runs {
		for _, res := range run.Results {
			text := res.Message.Text
			unescaped := strings.NewReplacer(`\[`, "", `\]`, "").Replace(text)
			if strings.Contains(text, "<img") || strings.Contains(unescaped, "](") || strings.Contains(unescaped, "[click]") {
				t.Errorf("message carries the name's markup: %s", text)
			}
			if strings.Contains(text, `&lt;img`) {
				n++
			}
		}
	}
	if n == 0 {
		t.Error("no message names the pool")
	}
}
