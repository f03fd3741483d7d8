package snapshot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Bounds the reader enforces on any input, so that memory stays bounded
// and a hostile snapshot cannot change what a verdict reads. A snapshot
// the collector writes is far inside them.
const (
	// MaxStringBytes bounds every JSON string (as written, escapes
	// included): the longest the collector writes are ARNs and error
	// texts of a few hundred bytes.
	MaxStringBytes = 64 << 10
	// MaxKeysPerObject bounds the members of one object; the snapshot's
	// objects have a few dozen.
	MaxKeysPerObject = 1000
	// MaxDepth bounds how deeply objects and arrays nest.
	MaxDepth = 64
	// MaxValueBytes bounds what the reader holds at once: one user, one
	// member of a region or the header, or a pool's settings.
	MaxValueBytes = 8 << 20
)

// guard scans the bytes of a snapshot as the JSON decoder reads them and
// stops the reading at the first repeated key (encoding/json matches keys
// to fields ignoring case, so "Email" after "email" is a repeat: the last
// one would win), the first string longer than MaxStringBytes, object
// with more than MaxKeysPerObject keys, nesting deeper than MaxDepth, or
// value larger than MaxValueBytes. Its error is a *FormatError with the
// offset of the offending byte. It holds a few bytes per open container;
// syntax errors are left to the decoder.
type guard struct {
	r   io.Reader
	off int64 // offset of the next byte from r
	err error // returned once the bytes before it are delivered

	stack []frame
	depth int // open containers; frames beyond len(stack) are not kept

	inString   bool
	escaped    bool
	isKey      bool
	strStart   int64
	strLen     int
	key        []byte // the key being read, as written
	keyEscaped bool
	folded     []byte // scratch for the folded key

	// budget is how many more bytes the decoder may take before the
	// reader's next step; reset by the walker before each step.
	budget int64
}

// frame is one open object or array.
type frame struct {
	object  bool
	wantKey bool // object: the next string is a key
	index   int  // array: the current element
	keys    []byte
	ends    []int  // keys[ends[i-1]:ends[i]] is the i-th key, folded
	last    string // object: the key of the current member, for paths
}

func newGuard(r io.Reader) *guard {
	return &guard{r: r, budget: MaxValueBytes}
}

// reset gives the decoder a new budget for the reader's next step.
func (g *guard) reset() { g.budget = MaxValueBytes }

// maxRead keeps each read small, so that the budget counts closely what
// the decoder holds.
const maxRead = 64 << 10

func (g *guard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	if len(p) > maxRead {
		p = p[:maxRead]
	}
	n, err := g.r.Read(p)
	for i := 0; i < n; {
		if g.inString && !g.isKey && !g.escaped {
			// Most bytes are inside strings: skip to the next quote or
			// backslash at once.
			j := plainRun(p[i:n])
			if g.strLen+j > MaxStringBytes {
				g.err = g.errorAt(g.strStart, "a string longer than %d bytes", MaxStringBytes)
				if i == 0 {
					return 0, g.err
				}
				return i, nil
			}
			g.strLen += j
			g.off += int64(j)
			if i += j; i == n {
				break
			}
		}
		if bad := g.scan(p[i]); bad != nil {
			g.err = bad
			if i == 0 {
				return 0, bad
			}
			return i, nil
		}
		g.off++
		i++
	}
	g.budget -= int64(n)
	if g.budget < 0 {
		g.err = &FormatError{Offset: g.off, Msg: fmt.Sprintf("a value larger than %d bytes: not a snapshot recoverscan writes", MaxValueBytes)}
		return n, nil
	}
	return n, err
}

// plainRun is how many bytes of b come before a quote or a backslash.
func plainRun(b []byte) int {
	j := bytes.IndexByte(b, '"')
	if j < 0 {
		j = len(b)
	}
	if k := bytes.IndexByte(b[:j], '\\'); k >= 0 {
		return k
	}
	return j
}

// scan takes one byte.
func (g *guard) scan(c byte) error {
	if g.inString {
		return g.stringByte(c)
	}
	var top *frame
	if g.depth > 0 && g.depth <= len(g.stack) {
		top = &g.stack[g.depth-1]
	}
	switch c {
	case '"':
		g.inString, g.escaped, g.strStart, g.strLen = true, false, g.off, 0
		g.isKey = top != nil && top.object && top.wantKey
		if g.isKey {
			g.key, g.keyEscaped = g.key[:0], false
		}
	case '{', '[':
		if g.depth >= MaxDepth {
			return g.errorAt(g.off, "nested more than %d levels deep", MaxDepth)
		}
		g.depth++
		if g.depth > len(g.stack) {
			g.stack = append(g.stack, frame{})
		}
		f := &g.stack[g.depth-1]
		f.object, f.wantKey, f.index, f.last = c == '{', c == '{', 0, ""
		f.keys, f.ends = f.keys[:0], f.ends[:0]
	case '}', ']':
		if g.depth > 0 {
			g.depth--
		}
	case ':':
		if top != nil && top.object {
			top.wantKey = false
		}
	case ',':
		if top != nil {
			if top.object {
				top.wantKey = true
			} else {
				top.index++
			}
		}
	}
	return nil
}

func (g *guard) stringByte(c byte) error {
	g.strLen++
	if g.strLen > MaxStringBytes {
		return g.errorAt(g.strStart, "a string longer than %d bytes", MaxStringBytes)
	}
	switch {
	case g.escaped:
		g.escaped = false
	case c == '\\':
		g.escaped, g.keyEscaped = true, g.keyEscaped || g.isKey
	case c == '"':
		g.inString = false
		if g.isKey {
			return g.endKey()
		}
		return nil
	}
	if g.isKey {
		g.key = append(g.key, c)
	}
	return nil
}

// endKey checks the key just read against the others of its object.
func (g *guard) endKey() error {
	f := &g.stack[g.depth-1]
	name := g.key
	if g.keyEscaped {
		var s string
		if json.Unmarshal(append(append([]byte{'"'}, g.key...), '"'), &s) == nil {
			name = []byte(s)
		}
	}
	g.folded = fold(g.folded[:0], name)
	folded := g.folded
	start := 0
	for i, end := range f.ends {
		if bytes.Equal(f.keys[start:end], folded) {
			f.last = string(name)
			msg := fmt.Sprintf("duplicate key %q in %s", name, g.path())
			if prev := g.original(i); prev != string(name) {
				msg += fmt.Sprintf(" (keys match ignoring case, as decoding does: it repeats %q)", prev)
			}
			return &FormatError{Offset: g.strStart, Msg: msg}
		}
		start = end
	}
	if exact, known := fieldNames[string(folded)]; known && exact != string(name) {
		// Decoding would take it for the field: a snapshot spells keys
		// exactly.
		return &FormatError{Offset: g.strStart, Msg: fmt.Sprintf("key %q in %s: the snapshot's key is %q", name, g.path(), exact)}
	}
	if len(f.ends) >= MaxKeysPerObject {
		return g.errorAt(g.strStart, "an object with more than %d keys in %s", MaxKeysPerObject, g.path())
	}
	f.keys = append(f.keys, folded...)
	f.ends = append(f.ends, len(f.keys))
	f.last = string(name)
	return nil
}

// original is how the i-th key of the top object was folded; the guard
// keeps only folded keys, so it tells what it can.
func (g *guard) original(i int) string {
	f := &g.stack[g.depth-1]
	start := 0
	if i > 0 {
		start = f.ends[i-1]
	}
	return string(f.keys[start:f.ends[i]])
}

// fieldNames maps the folded JSON name of every field of the snapshot
// model to its spelling.
var fieldNames = func() map[string]string {
	names := map[string]string{}
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if f.Anonymous {
				walk(f.Type)
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if f.IsExported() && name != "" && name != "-" {
				names[string(fold(nil, []byte(name)))] = name
			}
			walk(f.Type)
		}
	}
	walk(reflect.TypeOf(Snapshot{}))
	walk(reflect.TypeOf(Pool{}))
	return names
}()

// fold appends k to dst as encoding/json compares keys with field names:
// without regard to case, Unicode's special foldings included.
func fold(dst, k []byte) []byte {
	for _, c := range k {
		if c >= utf8.RuneSelf {
			return append(dst, strings.ToLower(strings.ToUpper(string(k)))...)
		}
	}
	for _, c := range k {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// path names the open containers, e.g. accounts[0].regions[1].pools[0].
func (g *guard) path() string {
	var b strings.Builder
	for i := 1; i < min(g.depth, len(g.stack)); i++ {
		p := &g.stack[i-1]
		if p.object {
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(p.last)
		} else {
			b.WriteString("[" + strconv.Itoa(p.index) + "]")
		}
	}
	if b.Len() == 0 {
		return "the document"
	}
	return b.String()
}

func (g *guard) errorAt(off int64, format string, args ...any) error {
	return &FormatError{Offset: off, Msg: fmt.Sprintf(format, args...)}
}
