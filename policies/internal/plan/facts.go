package plan

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"math/bits"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// fact is one leaf of the user input: the smallest piece of a user a rule
// can read. The per-user rules' results depend on a user only through the
// facts they read, so users that agree on those facts share one
// evaluation. The facts are generated from snapshot.User (facts_gen.go).
type fact uint8

// kind is what a fact's value is.
type kind uint8

const (
	kindString kind = iota // a string (a time.Time in its JSON form)
	kindBool
	kindList // a list of strings, one fact as a whole
)

// factSet is a set of facts.
type factSet uint32

const allFacts factSet = 1<<numFacts - 1

func (s factSet) has(f fact) bool { return s&(1<<f) != 0 }

func (s *factSet) add(f fact) { *s |= 1 << f }

// each calls fn for every fact in s, in fact order.
func (s factSet) each(fn func(f fact)) {
	for s != 0 {
		f := fact(bits.TrailingZeros32(uint32(s)))
		fn(f)
		s &^= 1 << f
	}
}

// distinct are the facts that take a different value for almost every
// user. A rule that only copies one of them into its result (a masked
// address in evidence, the username in a message) is evaluated once with a
// placeholder in its place, which is then replaced per user; a rule that
// tests one is evaluated per user.
const distinct factSet = 1<<factUsername | 1<<factSub | 1<<factCreatedAt | 1<<factLastModifiedAt |
	1<<factEmailMasked | 1<<factPhoneMasked

// factsUnder returns the facts a reference to input.user.<path> can see:
// those under path, or the one fact path lies within.
func factsUnder(path []string) factSet {
	var s factSet
	for f, fp := range factPaths {
		n := min(len(path), len(fp))
		if equalStrings(path[:n], fp[:n]) {
			s.add(fact(f))
		}
	}
	return s
}

func equalStrings(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

// factFor returns the fact a path names exactly, if it names one.
func factFor(path []string) (fact, bool) {
	for f, fp := range factPaths {
		if equalStrings(path, fp) {
			return fact(f), true
		}
	}
	return 0, false
}

// appendKey appends an unambiguous encoding of u's facts in s to b. A fact
// with constants in abs (may be nil) is encoded as which of them it equals.
func appendKey(b []byte, u *snapshot.User, s factSet, abs *[numFacts][]ast.Value) []byte {
	s.each(func(f fact) {
		if abs != nil && len(abs[f]) > 0 {
			class := matching(u, f, abs[f])
			if factOptional[f] && str(u, f) == "" {
				// Absent, not merely different: comparing it is undefined.
				class = len(abs[f]) + 1
			}
			b = binary.AppendUvarint(b, uint64(class))
			return
		}
		switch factKinds[f] {
		case kindBool:
			if boolean(u, f) {
				b = append(b, 1)
			} else {
				b = append(b, 0)
			}
		case kindList:
			l := list(u, f)
			b = binary.AppendUvarint(b, uint64(len(l)))
			for _, m := range l {
				b = binary.AppendUvarint(b, uint64(len(m)))
				b = append(b, m...)
			}
		default:
			v := str(u, f)
			b = binary.AppendUvarint(b, uint64(len(v)))
			b = append(b, v...)
		}
	})
	return b
}

// matching returns the index of the constant in cs that u's fact f equals,
// or len(cs) when none does.
func matching(u *snapshot.User, f fact, cs []ast.Value) int {
	for i, c := range cs {
		if (guard{fact: f, val: c}).holds(u) {
			return i
		}
	}
	return len(cs)
}

// guard is a condition of the form input.user.<fact> == <constant> that a
// rule's body requires: when it does not hold, the rule reports nothing.
type guard struct {
	fact fact
	val  ast.Value // a String or Boolean
}

// holds reports whether u satisfies g.
func (g guard) holds(u *snapshot.User) bool {
	switch factKinds[g.fact] {
	case kindBool:
		b, isBool := g.val.(ast.Boolean)
		return isBool && bool(b) == boolean(u, g.fact)
	case kindList:
		return false // never a guard: constants are scalars
	}
	s, isString := g.val.(ast.String)
	return isString && string(s) == str(u, g.fact)
}

// placeholders stand in for distinct facts a rule only copies into its
// results: a NUL byte, which no Cognito attribute holds, a random marker
// drawn for each engine, and the fact's path, so that no text a rule or a
// snapshot holds can pass for one.
type placeholders struct {
	set    factSet
	marker string
	// values are the placeholder strings, by fact.
	values [numFacts]string
}

func newPlaceholders(set factSet, marker string) *placeholders {
	p := &placeholders{set: set, marker: "\x00" + marker + ":"}
	set.each(func(f fact) {
		p.values[f] = p.marker + strings.Join(factPaths[f], ".") + "\x00"
	})
	return p
}

// newMarker draws the random part of an engine's placeholders.
func newMarker() string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b[:])
}

// fill replaces the placeholders in s with u's values.
func (p *placeholders) fill(s string, u *snapshot.User) string {
	if p.set == 0 || !strings.Contains(s, p.marker) {
		return s
	}
	p.set.each(func(f fact) {
		s = strings.ReplaceAll(s, p.values[f], str(u, f))
	})
	return s
}

// holes finds the placeholders in a decoded JSON value: nil when it has
// none.
func (p *placeholders) holes(v any) *hole {
	switch x := v.(type) {
	case string:
		if p.set != 0 && strings.Contains(x, p.marker) {
			return &hole{}
		}
	case map[string]any:
		var h *hole
		for k, e := range x {
			if c := p.holes(e); c != nil {
				if h == nil {
					h = &hole{keys: map[string]*hole{}}
				}
				h.keys[k] = c
			}
		}
		return h
	case []any:
		var h *hole
		for i, e := range x {
			if c := p.holes(e); c != nil {
				if h == nil {
					h = &hole{elems: map[int]*hole{}}
				}
				h.elems[i] = c
			}
		}
		return h
	}
	return nil
}

// hole marks where in a decoded JSON value placeholders are: under
// which keys of an object, which elements of an array, or, with neither,
// in the string itself.
type hole struct {
	keys  map[string]*hole
	elems map[int]*hole
}

// fill returns a copy of v with u's values for the placeholders at h,
// copying only the objects and arrays on the way to them.
func (p *placeholders) fillHoles(v any, h *hole, u *snapshot.User) any {
	switch x := v.(type) {
	case string:
		return p.fill(x, u)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = e
		}
		for k, c := range h.keys {
			out[k] = p.fillHoles(x[k], c, u)
		}
		return out
	case []any:
		out := append([]any(nil), x...)
		for i, c := range h.elems {
			out[i] = p.fillHoles(x[i], c, u)
		}
		return out
	}
	return v
}
