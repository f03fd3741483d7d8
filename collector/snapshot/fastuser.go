package snapshot

import (
	"encoding/binary"
	"hash/maphash"
	"math/bits"
	"time"
	"unicode/utf8"
)

// fastUser decodes users as the writer writes them, straight from the
// scanner's buffer: keys spelled as the model spells them, each once,
// strings without escapes, booleans, times, in any order and with any
// whitespace. It gives up on anything else (a null, a number, an escape,
// another key or type, a repeat, invalid UTF-8, a string at the bound),
// and the reader then reads the user the general way, with the same
// checks as every other value and encoding/json's decoding; so it
// accepts nothing the general way would refuse, and decodes what it
// accepts as encoding/json does.
type fastUser struct {
	b   []byte
	i   int
	st  fastStatus
	tab internTable
	// The user's own strings (username, sub, digest), in b until the
	// user is decoded, then copied into one string.
	own     [3][]byte
	scratch []byte
}

type fastStatus int

const (
	fastDone fastStatus = iota // decoded
	fastMore                   // the buffer ended first
	fastNo                     // not for the fast path
)

// decode decodes the user at the start of b (after whitespace) into u and
// returns how many bytes it took.
func (p *fastUser) decode(b []byte, u *User) (int, fastStatus) {
	p.b, p.i, p.st = b, 0, fastDone
	p.own = [3][]byte{}
	*u = User{}
	p.user(u)
	if p.st != fastDone {
		return 0, p.st
	}
	// One allocation for the three.
	p.scratch = append(append(append(p.scratch[:0], p.own[0]...), p.own[1]...), p.own[2]...)
	all := string(p.scratch)
	n0, n1 := len(p.own[0]), len(p.own[1])
	u.Username, u.Sub, u.UsernameDigest = all[:n0], all[n0:n0+n1], all[n0+n1:]
	return p.i, fastDone
}

func (p *fastUser) fail(st fastStatus) {
	if p.st == fastDone {
		p.st = st
	}
}

// space skips whitespace and returns the next byte (0 at the end, with
// fastMore set).
func (p *fastUser) space() byte {
	for p.i < len(p.b) {
		c := p.b[p.i]
		if c != ' ' && c != '\n' && c != '\t' && c != '\r' {
			return c
		}
		p.i++
	}
	p.fail(fastMore)
	return 0
}

// expect takes c after whitespace.
func (p *fastUser) expect(c byte) bool {
	if p.space() != c {
		p.fail(fastNo)
		return false
	}
	p.i++
	return true
}

// str takes a string and returns its content and the string as written,
// quotes included.
func (p *fastUser) str() (content, quoted []byte) {
	if p.space() != '"' {
		p.fail(fastNo)
		return nil, nil
	}
	start := p.i
	ascii := true
	j := start + 1
	for {
		// Eight bytes at a time while none is a quote, a backslash, a
		// control character or non-ASCII.
		for j+8 <= len(p.b) {
			if m := special(binary.LittleEndian.Uint64(p.b[j:])); m != 0 {
				j += bits.TrailingZeros64(m) / 8
				break
			}
			j += 8
		}
		if j-start > MaxStringBytes {
			p.fail(fastNo)
			return nil, nil
		}
		if j == len(p.b) {
			break
		}
		c := p.b[j]
		switch {
		case c == '"':
			if j-start >= MaxStringBytes {
				p.fail(fastNo)
				return nil, nil
			}
			content = p.b[start+1 : j]
			if !ascii && !utf8.Valid(content) {
				p.fail(fastNo)
				return nil, nil
			}
			p.i = j + 1
			return content, p.b[start : j+1]
		case c == '\\' || c < 0x20:
			p.fail(fastNo)
			return nil, nil
		case c >= utf8.RuneSelf:
			ascii = false
		}
		j++
	}
	p.fail(fastMore)
	return nil, nil
}

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// special is non-zero when a byte of x is a quote, a backslash, below 0x20
// or above 0x7f.
func special(x uint64) uint64 {
	quote := x ^ (ones * '"')
	backslash := x ^ (ones * '\\')
	return ((quote-ones) & ^quote | (backslash-ones) & ^backslash | (x-ones*0x20) & ^x | x) & highs
}

// boolean takes true or false.
func (p *fastUser) boolean() bool {
	switch p.space() {
	case 't':
		if len(p.b)-p.i < 4 {
			p.fail(fastMore)
			return false
		}
		if string(p.b[p.i:p.i+4]) == "true" {
			p.i += 4
			return true
		}
	case 'f':
		if len(p.b)-p.i < 5 {
			p.fail(fastMore)
			return false
		}
		if string(p.b[p.i:p.i+5]) == "false" {
			p.i += 5
			return false
		}
	}
	p.fail(fastNo)
	return false
}

// object takes an object whose keys are keys (each quoted, in the order
// the writer writes them, at most 32), calling member with each key's
// index to read its value. The key the writer would write next is tried
// first, with one comparison.
func (p *fastUser) object(keys []string, member func(i int)) {
	if !p.expect('{') {
		return
	}
	if p.space() == '}' {
		p.i++
		return
	}
	var seen uint32
	next := 0
	for p.st == fastDone {
		i := -1
		if p.space() == '"' && next < len(keys) && len(p.b)-p.i >= len(keys[next]) && string(p.b[p.i:p.i+len(keys[next])]) == keys[next] {
			i = next
			p.i += len(keys[next])
		} else {
			_, q := p.str()
			if p.st != fastDone {
				return
			}
			for j, k := range keys {
				if k == string(q) {
					i = j
					break
				}
			}
		}
		if i < 0 || seen&(1<<i) != 0 || !p.expect(':') {
			p.fail(fastNo)
			return
		}
		seen |= 1 << i
		next = i + 1
		member(i)
		switch p.space() {
		case ',':
			p.i++
		case '}':
			p.i++
			return
		default:
			p.fail(fastNo)
			return
		}
	}
}

// quoted returns the names as JSON strings.
func quoted(names ...string) []string {
	for i, n := range names {
		names[i] = `"` + n + `"`
	}
	return names
}

var (
	userKeys = quoted("username", "username_masked", "username_digest", "sub", "status", "enabled",
		"created_at", "last_modified_at", "email", "phone", "mfa")
	emailKeys = quoted("present", "verified", "masked", "suppressed", "suppression_reason", "recipient_verified")
	phoneKeys = quoted("present", "verified", "masked", "calling_code", "country", "opted_out",
		"sandbox_verified", "alternate_opted_out", "alternate_sandbox_verified")
	mfaKeys    = quoted("read", "methods", "preferred")
	sourceKeys = quoted("status", "action", "error")
)

func (p *fastUser) user(u *User) {
	p.object(userKeys, func(i int) {
		switch i {
		case 0:
			p.own[0] = p.unique()
		case 1:
			u.UsernameMasked = p.boolean()
		case 2:
			p.own[2] = p.unique()
		case 3:
			p.own[1] = p.unique()
		case 4:
			u.Status = p.common(slotStatus)
		case 5:
			u.Enabled = p.boolean()
		case 6:
			p.time(&u.CreatedAt)
		case 7:
			p.time(&u.LastModifiedAt)
		case 8:
			p.email(&u.Email)
		case 9:
			p.phone(&u.Phone)
		case 10:
			p.mfa(&u.MFA)
		}
	})
}

func (p *fastUser) email(e *Email) {
	p.object(emailKeys, func(i int) {
		switch i {
		case 0:
			e.Present = p.boolean()
		case 1:
			e.Verified = p.boolean()
		case 2:
			e.Masked = p.common(slotEmailMasked)
		case 3:
			e.Suppressed = p.boolean()
		case 4:
			e.SuppressionReason = p.common(slotReason)
		case 5:
			e.RecipientVerified = p.boolean()
		}
	})
}

func (p *fastUser) phone(ph *Phone) {
	p.object(phoneKeys, func(i int) {
		switch i {
		case 0:
			ph.Present = p.boolean()
		case 1:
			ph.Verified = p.boolean()
		case 2:
			ph.Masked = p.common(slotPhoneMasked)
		case 3:
			ph.CallingCode = p.common(slotCallingCode)
		case 4:
			ph.Country = p.common(slotCountry)
		case 5:
			ph.OptedOut = p.boolean()
		case 6:
			ph.SandboxVerified = p.boolean()
		case 7:
			ph.AlternateOptedOut = p.boolean()
		case 8:
			ph.AlternateSandboxVerified = p.boolean()
		}
	})
}

func (p *fastUser) mfa(m *UserMFA) {
	p.object(mfaKeys, func(i int) {
		switch i {
		case 0:
			p.source(&m.Read)
		case 1:
			m.Methods = p.methods()
		case 2:
			m.Preferred = p.common(slotMethod)
		}
	})
}

func (p *fastUser) source(s *Source) {
	p.object(sourceKeys, func(i int) {
		switch i {
		case 0:
			s.Status = SourceStatus(p.common(slotSourceStatus))
		case 1:
			s.Action = p.common(slotAction)
		case 2:
			s.Error = p.common(slotError)
		}
	})
}

// methods takes an array of strings.
func (p *fastUser) methods() []string {
	if !p.expect('[') {
		return nil
	}
	if p.space() == ']' {
		p.i++
		return []string{}
	}
	var out []string
	for p.st == fastDone {
		out = append(out, p.common(slotMethod))
		switch p.space() {
		case ',':
			p.i++
		case ']':
			p.i++
			return out
		default:
			p.fail(fastNo)
		}
	}
	return nil
}

// time takes a time as time.Time's UnmarshalJSON reads it, which is what
// encoding/json calls. The form the writer writes for UTC times with a
// day of the month up to 28 is parsed here, to the same value.
func (p *fastUser) time(t *time.Time) {
	c, q := p.str()
	if p.st != fastDone {
		return
	}
	if len(c) == 20 && c[4] == '-' && c[7] == '-' && c[10] == 'T' && c[13] == ':' && c[16] == ':' && c[19] == 'Z' {
		y, ok1 := digits4(c[0:4])
		mo, ok2 := digits2(c[5:7])
		d, ok3 := digits2(c[8:10])
		h, ok4 := digits2(c[11:13])
		mi, ok5 := digits2(c[14:16])
		sec, ok6 := digits2(c[17:19])
		if ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && mo >= 1 && mo <= 12 && d >= 1 && d <= 28 && h < 24 && mi < 60 && sec < 60 {
			*t = time.Date(y, time.Month(mo), d, h, mi, sec, 0, time.UTC)
			return
		}
	}
	if t.UnmarshalJSON(q) != nil {
		p.fail(fastNo)
	}
}

func digits2(b []byte) (int, bool) {
	d0, d1 := b[0]-'0', b[1]-'0'
	return int(d0)*10 + int(d1), d0 <= 9 && d1 <= 9
}

func digits4(b []byte) (int, bool) {
	hi, ok1 := digits2(b[0:2])
	lo, ok2 := digits2(b[2:4])
	return hi*100 + lo, ok1 && ok2
}

// unique takes a string that differs from user to user.
func (p *fastUser) unique() []byte {
	s, _ := p.str()
	return s
}

// common takes a string that many users share (a status, a country, a
// masked address): the same string is handed out again instead of a copy.
func (p *fastUser) common(slot int) string {
	s, _ := p.str()
	if p.st != fastDone || len(s) == 0 {
		return ""
	}
	return p.tab.get(slot, s)
}

// Slots of internTable: fields whose values repeat.
const (
	slotStatus = iota
	slotEmailMasked
	slotReason
	slotPhoneMasked
	slotCallingCode
	slotCountry
	slotMethod
	slotSourceStatus
	slotAction
	slotError
	slots
)

// internTable hands out one string for equal values: per slot the last
// value, then a direct-mapped cache shared by the slots, so that memory
// stays bounded whatever the input.
type internTable struct {
	last  [slots]string
	cache [1 << 12]string
	seed  maphash.Seed
}

func (t *internTable) get(slot int, b []byte) string {
	if t.last[slot] == string(b) {
		return t.last[slot]
	}
	if t.seed == (maphash.Seed{}) {
		t.seed = maphash.MakeSeed()
	}
	e := &t.cache[maphash.Bytes(t.seed, b)%uint64(len(t.cache))]
	if *e != string(b) {
		*e = string(b)
	}
	t.last[slot] = *e
	return *e
}
