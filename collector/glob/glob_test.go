package glob

import (
	"errors"
	"path"
	"testing"
)

// TestMatch: the pool patterns' cases (these were collector.Glob's) and
// the suppressions' (path.Match's) hold together.
func TestMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"us-east-1_*", "us-east-1_AbCdEf123", true},
		{"us-east-1_*", "eu-west-1_AbCdEf123", false},
		{"*-sandbox", "checkout-sandbox", true},
		{"*-sandbox", "checkout-sandbox-2", false},
		{"*", "", true},
		{"", "", true},
		{"", "x", false},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"*a*b*", "xxaYYbzz", true},
		{"*a*b", "xxaYYbzzb", true},
		{"*a*b", "xxaYYbzz", false},
		{"exact", "exact", true},
		{"exact", "exactly", false},
		{"prod-ü*", "prod-über", true},
		{"?", "ü", true},
		{"RC-USER-*", "RC-USER-005", true},
		{"RC-USER-00[1-3]", "RC-USER-002", true},
		{"RC-USER-00[1-3]", "RC-USER-004", false},
		{"RC-USER-00[^1-3]", "RC-USER-004", true},
		{"[a-cx]*", "x-pool", true},
		{`\*`, "*", true},
		{`\*`, "a", false},
		{"**x", "abx", true},
		{"[z-a]", "m", false},
	} {
		if got := Match(tc.pattern, tc.s); got != tc.want {
			t.Errorf("Match(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
}

// TestWhereTheTwoDiffered fixes the cases where the pool patterns'
// hand-written matcher and the suppressions' path.Match used to disagree.
func TestWhereTheTwoDiffered(t *testing.T) {
	for _, tc := range []struct {
		pattern, s string
		want       bool
		why        string
	}{
		// Character classes, as path.Match (and the suppression
		// documentation) had them; the pool matcher took "[" literally,
		// but pool ids and names cannot contain "[", so no pool pattern
		// that matched anything changes.
		{"[abc]", "b", true, "a class matches one of its characters"},
		{"[abc]", "[abc]", false, "a class is not literal text"},
		{`\[abc]`, "[abc]", true, "an escaped [ is literal"},
		// '/' is an ordinary character: path.Match stopped * and ? at a
		// slash; the pool matcher did not. Usernames may hold a slash.
		{"*", "team/alice", true, "* crosses /"},
		{"team?alice", "team/alice", true, "? matches /"},
		{"team/*", "team/alice", true, "a literal / matches /"},
		// Backslash escapes, as in path.Match; the pool matcher took it
		// literally (pool ids and names cannot contain one).
		{`a\?c`, "a?c", true, "escaped ? is literal"},
		{`a\?c`, "abc", false, "escaped ? is not a wildcard"},
	} {
		if got := Match(tc.pattern, tc.s); got != tc.want {
			t.Errorf("Match(%q, %q) = %v, want %v: %s", tc.pattern, tc.s, got, tc.want, tc.why)
		}
	}
	// Malformed patterns are errors, as path.Match's were (the pool
	// matcher took them literally), and match nothing.
	for _, p := range []string{"[abc", "[]", `abc\`, "[a-]", "[^"} {
		if err := Validate(p); !errors.Is(err, ErrBadPattern) {
			t.Errorf("Validate(%q) = %v, want ErrBadPattern", p, err)
		}
		if Match(p, p) {
			t.Errorf("malformed %q matches itself", p)
		}
	}
}

// TestAsPathMatchWithoutSlashes: on values without '/', Match and
// Validate agree with path.Match, which suppressions used before.
func TestAsPathMatchWithoutSlashes(t *testing.T) {
	patterns := []string{"", "*", "?", "a*", "*a", "a?c", "[abc]", "[^abc]", "[a-c]x", "[a-cx-z]", `\*`, `\`, "[", "[]", "[]a]",
		"[-a]", "[a-]", "[z-a]", "[^", "a[", "ab[c", `[\]]`, `[\-]`, "**", "*?*", "RC-*-00[1-9]", "us-east-1_*", "[é-ü]*", "\\x"}
	values := []string{"", "a", "abc", "ac", "x", "bx", "]", "-", "*", "[", "aaa", "RC-USER-001", "us-east-1_Ab", "über", "\\", "ab[c"}
	for _, p := range patterns {
		_, perr := path.Match(p, "")
		if err := Validate(p); (err != nil) != (perr != nil) {
			t.Errorf("Validate(%q) = %v, path.Match says %v", p, err, perr)
		}
		for _, v := range values {
			want, err := path.Match(p, v)
			if err != nil {
				want = false
			}
			if got := Match(p, v); got != want {
				t.Errorf("Match(%q, %q) = %v, path.Match %v", p, v, got, want)
			}
		}
	}
}
