package snapshot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Bounds the reader enforces on any input, so that memory stays bounded
// and a hostile snapshot cannot change what a verdict reads. A snapshot
// the collector writes is far inside them. They apply to the JSON text,
// so a compressed snapshot is held to them as it is decompressed: a
// decompression bomb stops at the first bound it crosses.
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

// frame is one open object or array of the input. The scanner keeps the
// keys of every open object, folded, to refuse a repeated key (encoding/json
// matches keys to fields ignoring case, so "Email" after "email" is a
// repeat: the last one would win).
type frame struct {
	object bool
	index  int // array: the current element
	keys   []byte
	ends   []int  // keys[ends[i-1]:ends[i]] is the i-th key, folded
	last   string // object: the key of the current member, for paths
}

// checkKey checks the key name just read (raw as written, escaped when it
// holds a backslash) at offset at against the other keys of the top
// object, and records it.
func (s *scanner) checkKey(raw []byte, escaped bool, at int64) error {
	f := &s.frames[s.depth-1]
	name := raw
	if escaped {
		var u string
		if json.Unmarshal(append(append([]byte{'"'}, raw...), '"'), &u) == nil {
			name = []byte(u)
		}
	}
	s.folded = fold(s.folded[:0], name)
	folded := s.folded
	start := 0
	for _, end := range f.ends {
		if bytes.Equal(f.keys[start:end], folded) {
			f.last = string(name)
			msg := fmt.Sprintf("duplicate key %q in %s", name, s.path())
			if prev := string(f.keys[start:end]); prev != string(name) {
				msg += fmt.Sprintf(" (keys match ignoring case, as decoding does: it repeats %q)", prev)
			}
			return &FormatError{Offset: at, Msg: msg}
		}
		start = end
	}
	if exact, known := fieldNames[string(folded)]; known && exact != string(name) {
		// Decoding would take it for the field: a snapshot spells keys
		// exactly.
		return &FormatError{Offset: at, Msg: fmt.Sprintf("key %q in %s: the snapshot's key is %q", name, s.path(), exact)}
	}
	if len(f.ends) >= MaxKeysPerObject {
		return errorAt(at, "an object with more than %d keys in %s", MaxKeysPerObject, s.path())
	}
	f.keys = append(f.keys, folded...)
	f.ends = append(f.ends, len(f.keys))
	f.last = string(name)
	return nil
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

// path names the open containers above the top one, e.g.
// accounts[0].regions[1].pools[0].
func (s *scanner) path() string {
	var b strings.Builder
	for i := 1; i < min(s.depth, len(s.frames)); i++ {
		p := &s.frames[i-1]
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

func errorAt(off int64, format string, args ...any) error {
	return &FormatError{Offset: off, Msg: fmt.Sprintf(format, args...)}
}
