package output

import (
	"strings"
	"testing"
)

func TestMarkdownSummary(t *testing.T) {
	out := string(render(t, FormatMarkdown, fixtureReport(), Options{}))
	for _, s := range []string{
		"| can receive a recovery code | 1,234,519 |",
		"| cannot | 82 |",
		"| may not (an unsettled verdict or a risk) | 11 |",
		"| **total** | **1,234,612** |",
		"**88 findings**: 61 critical, 14 high, 10 medium, 3 low (9 indeterminate).",
		"| 111111111111 | us-east-1 | staff (us-east-1\\_BBBBBBBBB) (incomplete) | 40 | 38 | 2 | 0 | 2 |",
		"| CRITICAL | RC-USER-001 | 111111111111 | us-east-1 | prod-customers (us-east-1\\_AAAAAAAAA) | 57 users |",
		"Grant ` cognito-idp:AdminGetUser, cognito-idp:ListUsers, ses:GetEmailIdentity ` and scan again.",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("markdown lacks %q", s)
		}
	}
	// A pull request is read by everyone with access: counts, no users,
	// no contact data, no raw error text.
	for _, leak := range append(fixtureIdentities(fixtureReport()), fixtureContacts...) {
		if strings.Contains(out, leak) {
			t.Errorf("markdown contains %q", leak)
		}
	}
	if strings.Contains(out, "assumed-role") {
		t.Error("markdown contains a source's raw error text")
	}
}

func TestMarkdownEscaping(t *testing.T) {
	for in, want := range map[string]string{
		"a|b":                   `a\|b`,
		"<script>x</script>":    "&lt;script&gt;x&lt;/script&gt;",
		"# heading":             `\# heading`,
		"1. list":               `1\. list`,
		"[link](http://x)":      `\[link\](http://x)`,
		"line\nbreak\x1b[31m":   "line break \\[31m",
		"ping @org/team":        "ping @\u200borg/team",
		"**bold** _it_ `code`":  "\\*\\*bold\\*\\* \\_it\\_ \\`code\\`",
		"v1.2.3 - fine here ok": "v1.2.3 - fine here ok",
	} {
		if got := mdText(in); got != want {
			t.Errorf("mdText(%q) = %q, want %q", in, got, want)
		}
	}
	if got := mdFence("a ``` b"); !strings.HasPrefix(got, "````\n") {
		t.Errorf("mdFence does not outrun the backticks inside: %q", got)
	}
}
