package snapshot

import (
	"errors"
	"fmt"
	"io"
	"strconv"
)

// scanner reads the JSON text of a snapshot from a buffer it refills,
// checking syntax and the reader's bounds as it goes: it is the only part
// of the reader that looks at bytes, and it does not use encoding/json's
// tokenizer. Values it scans whole stay in the buffer from the mark on,
// so they can be handed to a decoder without a copy.
type scanner struct {
	src  io.Reader
	buf  []byte
	r, w int   // buf[r:w] is not read yet
	base int64 // input offset of buf[0]
	rerr error // src's error, returned once buf is drained
	// mark is the first byte of buf that a refill must keep: the start
	// of the current step.
	mark int
	// stepStart is the input offset where the reader's current step
	// began; a step may take at most MaxValueBytes.
	stepStart int64

	frames []frame
	depth  int // open containers; frames[:depth] are theirs
	folded []byte
}

// bufSize is the scanner's initial buffer: large enough that refills are
// rare, small next to the memory a scan may use.
const bufSize = 256 << 10

func newScanner(r io.Reader) *scanner {
	return &scanner{src: r, buf: make([]byte, bufSize)}
}

// off is the input offset of the next byte.
func (s *scanner) off() int64 { return s.base + int64(s.r) }

// step begins one step of the reader: a token or a value. The bytes from
// here on are kept until the next step.
func (s *scanner) step() {
	s.mark = s.r
	s.stepStart = s.off()
}

// fill reads more input into the buffer. It returns io.EOF at the end of
// the input, the reader's error, or a *FormatError when the current step
// has taken more than MaxValueBytes.
func (s *scanner) fill() error {
	if s.base+int64(s.w)-s.stepStart > MaxValueBytes {
		return &FormatError{Offset: s.off(), Msg: fmt.Sprintf("a value larger than %d bytes: not a snapshot recoverscan writes", MaxValueBytes)}
	}
	if s.rerr != nil {
		return s.rerr
	}
	if keep := min(s.mark, s.r); keep > 0 && (s.w == len(s.buf) || keep >= len(s.buf)/2) {
		copy(s.buf, s.buf[keep:s.w])
		s.w -= keep
		s.r -= keep
		s.mark -= keep
		s.base += int64(keep)
	}
	if s.w == len(s.buf) {
		// The step fills the buffer: grow it (the check above bounds
		// this at about twice MaxValueBytes).
		nb := make([]byte, 2*len(s.buf))
		copy(nb, s.buf[:s.w])
		s.buf = nb
	}
	for range 100 {
		n, err := s.src.Read(s.buf[s.w:])
		s.w += n
		if err != nil {
			s.rerr = err
			if n > 0 {
				return nil
			}
			return err
		}
		if n > 0 {
			return nil
		}
	}
	s.rerr = io.ErrNoProgress
	return s.rerr
}

// peek returns the next byte without taking it.
func (s *scanner) peek() (byte, error) {
	if s.r == s.w {
		if err := s.fill(); err != nil {
			return 0, err
		}
	}
	return s.buf[s.r], nil
}

// skipSpace skips whitespace and returns the next byte, not taken.
func (s *scanner) skipSpace() (byte, error) {
	for {
		for s.r < s.w {
			if c := s.buf[s.r]; !isSpace(c) {
				return c, nil
			}
			s.r++
		}
		if err := s.fill(); err != nil {
			return 0, err
		}
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// push opens a container whose first byte is at offset at.
func (s *scanner) push(object bool, at int64) error {
	if s.depth >= MaxDepth {
		return errorAt(at, "nested more than %d levels deep", MaxDepth)
	}
	s.depth++
	if s.depth > len(s.frames) {
		s.frames = append(s.frames, frame{})
	}
	f := &s.frames[s.depth-1]
	f.object, f.index, f.last = object, 0, ""
	f.keys, f.ends = f.keys[:0], f.ends[:0]
	return nil
}

func (s *scanner) pop() { s.depth-- }

func (s *scanner) top() *frame { return &s.frames[s.depth-1] }

// SyntaxError is a snapshot that is not JSON. The reader wraps it in a
// *FormatError that says where.
type SyntaxError struct{ msg string }

func (e *SyntaxError) Error() string { return e.msg }

func syntaxError(c byte, context string) error {
	return &SyntaxError{"invalid character " + quoteChar(c) + " " + context}
}

// quoteChar formats c as encoding/json's errors do.
func quoteChar(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	s := strconv.Quote(string(rune(c)))
	return "'" + s[1:len(s)-1] + "'"
}

// value scans one value, after optional whitespace, checking its syntax,
// its strings, keys and depth.
func (s *scanner) value() error {
	c, err := s.skipSpace()
	if err != nil {
		return err
	}
	switch {
	case c == '{':
		return s.object()
	case c == '[':
		return s.array()
	case c == '"':
		_, _, err := s.str()
		return err
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	case c == '-' || '0' <= c && c <= '9':
		return s.number()
	}
	return syntaxError(c, "looking for beginning of value")
}

// begin opens the object or array whose '{' or '[' is next and returns the
// byte after it and its space. If that byte is the closing end, begin
// takes it too, closes the value and says it is done (an empty value).
func (s *scanner) begin(object bool, end byte) (c byte, done bool, err error) {
	if err := s.push(object, s.off()); err != nil {
		return 0, false, err
	}
	s.r++
	if c, err = s.skipSpace(); err != nil {
		return 0, false, err
	}
	if c == end {
		s.r++
		s.pop()
		return c, true, nil
	}
	return c, false, nil
}

// object scans an object whose '{' is next.
func (s *scanner) object() error {
	c, done, err := s.begin(true, '}')
	if done || err != nil {
		return err
	}
	for {
		if c != '"' {
			return syntaxError(c, "looking for beginning of object key string")
		}
		if _, err := s.key(); err != nil {
			return err
		}
		if err := s.colon(); err != nil {
			return err
		}
		if err := s.value(); err != nil {
			return err
		}
		if more, err := s.next('}', "after object key:value pair"); !more || err != nil {
			return err
		}
		if c, err = s.skipSpace(); err != nil {
			return err
		}
	}
}

// next takes what follows a member or an element: a ',' (more follow) or
// the closing end, which closes the object or array.
func (s *scanner) next(end byte, context string) (more bool, err error) {
	c, err := s.skipSpace()
	if err != nil {
		return false, err
	}
	switch c {
	case ',':
		s.r++
		return true, nil
	case end:
		s.r++
		s.pop()
		return false, nil
	}
	return false, syntaxError(c, context)
}

// colon takes the ':' after a key.
func (s *scanner) colon() error {
	c, err := s.skipSpace()
	if err != nil {
		return err
	}
	if c != ':' {
		return syntaxError(c, "after object key")
	}
	s.r++
	return nil
}

// array scans an array whose '[' is next.
func (s *scanner) array() error {
	if _, done, err := s.begin(false, ']'); done || err != nil {
		return err
	}
	for i := 0; ; i++ {
		s.top().index = i
		if err := s.value(); err != nil {
			return err
		}
		if more, err := s.next(']', "after array element"); !more || err != nil {
			return err
		}
	}
}

// key scans an object key, whose '"' is next, and checks it against the
// other keys of its object. It returns the key as written (escapes
// unresolved, which is the key itself for every key the model has).
func (s *scanner) key() (string, error) {
	at := s.off()
	start, escaped, err := s.str()
	if err != nil {
		return "", err
	}
	raw := s.buf[start : s.r-1]
	if err := s.checkKey(raw, escaped, at); err != nil {
		return "", err
	}
	return s.top().last, nil
}

// str scans a string whose '"' is next. It returns the index in buf of
// its first byte (valid until the next step) and whether it has escapes.
func (s *scanner) str() (start int, escaped bool, err error) {
	at := s.off()
	s.r++
	first := s.off()
	n := 0 // bytes of the string as written, the closing quote included
	for {
		if s.r == s.w {
			if err := s.fill(); err != nil {
				return 0, false, err
			}
		}
		c := s.buf[s.r]
		if n++; n > MaxStringBytes {
			return 0, false, errorAt(at, "a string longer than %d bytes", MaxStringBytes)
		}
		switch {
		case c == '"':
			s.r++
			return int(first - s.base), escaped, nil
		case c == '\\':
			escaped = true
			s.r++
			k, err := s.escape()
			if err != nil {
				return 0, false, err
			}
			if n += k; n > MaxStringBytes {
				return 0, false, errorAt(at, "a string longer than %d bytes", MaxStringBytes)
			}
		case c < 0x20:
			return 0, false, syntaxError(c, "in string literal")
		default:
			s.r++
		}
	}
}

// escape scans the rest of an escape after its backslash and returns its
// length.
func (s *scanner) escape() (int, error) {
	c, err := s.peek()
	if err != nil {
		return 0, err
	}
	switch c {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		s.r++
		return 1, nil
	case 'u':
		s.r++
		for range 4 {
			c, err := s.peek()
			if err != nil {
				return 0, err
			}
			if !isHex(c) {
				return 0, syntaxError(c, `in \u hexadecimal character escape`)
			}
			s.r++
		}
		return 5, nil
	}
	return 0, syntaxError(c, "in string escape code")
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// literal scans true, false or null.
func (s *scanner) literal(word string) error {
	s.r++
	for i := 1; i < len(word); i++ {
		c, err := s.peek()
		if err != nil {
			return err
		}
		if c != word[i] {
			return syntaxError(c, fmt.Sprintf("in literal %s (expecting %s)", word, quoteChar(word[i])))
		}
		s.r++
	}
	return nil
}

// number scans a number. A number must be followed by something (a
// delimiter or whitespace) to be complete, as in encoding/json's decoder.
func (s *scanner) number() error {
	c, _ := s.peek()
	if c == '-' {
		s.r++
		if c, err := s.peek(); err != nil {
			return err
		} else if c < '0' || c > '9' {
			return syntaxError(c, "in numeric literal")
		}
	}
	c, _ = s.peek()
	s.r++
	if c != '0' {
		if err := s.digits(); err != nil {
			return err
		}
	}
	c, err := s.peek()
	if err != nil {
		return err
	}
	if c == '.' {
		s.r++
		if c, err = s.peek(); err != nil {
			return err
		}
		if c < '0' || c > '9' {
			return syntaxError(c, "after decimal point in numeric literal")
		}
		if err := s.digits(); err != nil {
			return err
		}
		if c, err = s.peek(); err != nil {
			return err
		}
	}
	if c == 'e' || c == 'E' {
		s.r++
		c, err := s.peek()
		if err != nil {
			return err
		}
		if c == '+' || c == '-' {
			s.r++
			if c, err = s.peek(); err != nil {
				return err
			}
		}
		if c < '0' || c > '9' {
			return syntaxError(c, "in exponent of numeric literal")
		}
		return s.digits()
	}
	return nil
}

// digits takes digits, and needs a byte after them.
func (s *scanner) digits() error {
	for {
		c, err := s.peek()
		if err != nil {
			return err
		}
		if c < '0' || c > '9' {
			return nil
		}
		s.r++
	}
}

// readErr turns what fill returned at a point where more input was
// needed into the error to report: io.ErrUnexpectedEOF for the end of the
// input.
func readErr(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}
