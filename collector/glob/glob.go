// Package glob matches the patterns of recoverscan's configuration and
// suppression files: pool selection (scan.pools) and suppressions
// (account, region, pool, client, user and rule).
//
// The syntax is that of path.Match, except that '/' is an ordinary
// character (the values are ids and names, not paths):
//
//   - any run of characters, none included
//     ?        any one character
//     [abc]    one of the characters a, b, c
//     [a-z]    one character in the range (several ranges may follow each other)
//     [^a-z]   one character not in the range
//     \c       the character c itself (\*, \?, \[, \\)
//
// Everything else matches itself. A pattern matches a value as a whole,
// and the empty pattern matches only the empty value (callers that mean
// "any" by an empty pattern say so). An unclosed '[', an empty class, an
// unescaped '-' or ']' where a class expects a character, or a trailing
// '\' makes the pattern malformed: Validate says why, and Match reports
// false. A range written backwards ([z-a]) matches nothing.
package glob

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// ErrBadPattern is wrapped by the errors of Validate.
var ErrBadPattern = errors.New("malformed pattern")

// token kinds.
const (
	tokLiteral = iota
	tokAny     // ?
	tokStar    // *
	tokClass   // [...]
)

type token struct {
	kind   int
	r      rune      // tokLiteral
	ranges [][2]rune // tokClass
	negate bool      // tokClass
}

func (t *token) matches(r rune) bool {
	switch t.kind {
	case tokLiteral:
		return r == t.r
	case tokAny:
		return true
	case tokClass:
		in := false
		for _, rg := range t.ranges {
			if rg[0] <= r && r <= rg[1] {
				in = true
				break
			}
		}
		return in != t.negate
	}
	return false
}

// parse splits pattern into tokens.
func parse(pattern string) ([]token, error) {
	var toks []token
	p := pattern
	for len(p) > 0 {
		r, n := utf8.DecodeRuneInString(p)
		p = p[n:]
		switch r {
		case '*':
			if len(toks) > 0 && toks[len(toks)-1].kind == tokStar {
				continue // ** is *
			}
			toks = append(toks, token{kind: tokStar})
		case '?':
			toks = append(toks, token{kind: tokAny})
		case '\\':
			if p == "" {
				return nil, fmt.Errorf("%w %q: a trailing \\ escapes nothing", ErrBadPattern, pattern)
			}
			r, n = utf8.DecodeRuneInString(p)
			p = p[n:]
			toks = append(toks, token{kind: tokLiteral, r: r})
		case '[':
			t, rest, err := parseClass(pattern, p)
			if err != nil {
				return nil, err
			}
			toks, p = append(toks, t), rest
		default:
			toks = append(toks, token{kind: tokLiteral, r: r})
		}
	}
	return toks, nil
}

// parseClass reads a character class whose '[' has been read; p is the
// rest of the pattern after it.
func parseClass(pattern, p string) (token, string, error) {
	t := token{kind: tokClass}
	if len(p) > 0 && p[0] == '^' {
		t.negate = true
		p = p[1:]
	}
	unclosed := fmt.Errorf("%w %q: a [ without its ]", ErrBadPattern, pattern)
	for {
		if p == "" {
			return t, "", unclosed
		}
		if p[0] == ']' && len(t.ranges) > 0 {
			return t, p[1:], nil
		}
		lo, rest, ok := classChar(p)
		if !ok {
			return t, "", unclosed
		}
		p = rest
		hi := lo
		if len(p) > 0 && p[0] == '-' {
			if hi, rest, ok = classChar(p[1:]); !ok {
				return t, "", unclosed
			}
			p = rest
		}
		t.ranges = append(t.ranges, [2]rune{lo, hi})
	}
}

// classChar reads one (possibly escaped) character of a class: an
// unescaped '-' or ']' is not one (as in path.Match).
func classChar(p string) (rune, string, bool) {
	if p == "" {
		return 0, "", false
	}
	if p[0] == '\\' {
		p = p[1:]
		if p == "" {
			return 0, "", false
		}
	} else if p[0] == '-' || p[0] == ']' {
		return 0, "", false
	}
	r, n := utf8.DecodeRuneInString(p)
	return r, p[n:], true
}

// Validate reports whether pattern is well formed, and if not, why.
func Validate(pattern string) error {
	_, err := parse(pattern)
	return err
}

// Match reports whether s matches pattern as a whole; false when the
// pattern is malformed (see Validate).
func Match(pattern, s string) bool {
	toks, err := parse(pattern)
	if err != nil {
		return false
	}
	return matchTokens(toks, []rune(s))
}

// matchTokens is the classic linear matching with backtracking to the
// last star: every other token matches exactly one character.
func matchTokens(toks []token, s []rune) bool {
	ti, si, star, mark := 0, 0, -1, 0
	for si < len(s) {
		switch {
		case ti < len(toks) && toks[ti].kind == tokStar:
			star, mark = ti, si
			ti++
		case ti < len(toks) && toks[ti].matches(s[si]):
			ti++
			si++
		case star >= 0:
			ti = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for ti < len(toks) && toks[ti].kind == tokStar {
		ti++
	}
	return ti == len(toks)
}
