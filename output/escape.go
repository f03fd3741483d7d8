package output

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Terminal makes s safe to print on a terminal: control characters (C0,
// DEL and C1, line breaks and tabs included), invalid UTF-8 and the
// Unicode bidirectional controls that reorder what is shown are written as
// visible escapes (\x1b, \n, \u202e), so that a name from a snapshot, from
// AWS or from a custom rule cannot move the cursor, set the window title,
// clear the screen or fake report lines. Every renderer that prints to a
// terminal passes such strings through it; plain text is unchanged.
func Terminal(s string) string {
	if !needsTerminalEscape(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func needsTerminalEscape(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c >= utf8.RuneSelf {
			if c >= utf8.RuneSelf {
				return !utf8.ValidString(s) || strings.IndexFunc(s, unsafeRune) >= 0
			}
			return true
		}
	}
	return false
}

// unsafeRune reports the non-ASCII runes Terminal escapes: C1 controls and
// the bidirectional formatting characters.
func unsafeRune(r rune) bool {
	return r >= 0x80 && r < 0xa0 ||
		r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 ||
		r == 0x200e || r == 0x200f || r == 0x061c
}

// Markdown makes s safe to put in Markdown or HTML, in running text, at
// the start of a line or in a table cell: one line, control characters as
// spaces, every character Markdown or the HTML GitHub allows could read as
// syntax escaped ('<', '>' and '&' as entities), and "@" kept from
// mentioning anyone. SARIF message text, the Markdown report and the job
// summary pass names from snapshots, AWS and custom rules through it.
func Markdown(s string) string { return mdText(s) }
