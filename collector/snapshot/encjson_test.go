package snapshot

// The reader as it was before the streaming scanner: encoding/json's
// Token and Decode behind a byte guard. Tests compare the scanner with it
// (FuzzWalk, as an oracle) and benchmarks measure against it.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// walkEncodingJSON is Walk as encoding/json reads a snapshot.
func walkEncodingJSON(r io.Reader, v Visitor) error {
	g := newJSONGuard(bufio.NewReaderSize(r, 256<<10))
	d := &jsonWalker{dec: json.NewDecoder(g), g: g, v: v}
	d.dec.DisallowUnknownFields()
	return d.document()
}

type jsonWalker struct {
	dec *json.Decoder
	g   *jsonGuard
	v   Visitor
}

// token reads the next token within a fresh budget of the guard.
func (d *jsonWalker) token() (json.Token, error) {
	d.g.reset()
	return d.dec.Token()
}

// more reports whether the current object or array has more elements.
func (d *jsonWalker) more() bool {
	d.g.reset()
	return d.dec.More()
}

func (d *jsonWalker) errorf(err error, format string, args ...any) error {
	var fe *FormatError
	if errors.As(err, &fe) {
		return err
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		err = io.ErrUnexpectedEOF
		format = "truncated: " + format
	}
	return &FormatError{Offset: d.dec.InputOffset(), Msg: fmt.Sprintf(format, args...), Err: err}
}

func (d *jsonWalker) delim(want json.Delim, what string) error {
	t, err := d.token()
	if err != nil {
		return d.errorf(err, "reading %s", what)
	}
	if got, ok := t.(json.Delim); !ok || got != want {
		return d.errorf(nil, "%s: expected %q, found %v", what, want, t)
	}
	return nil
}

func (d *jsonWalker) key(what string) (string, error) {
	t, err := d.token()
	if err != nil {
		return "", d.errorf(err, "reading %s", what)
	}
	k, ok := t.(string)
	if !ok {
		return "", d.errorf(nil, "%s: expected a key, found %v", what, t)
	}
	return k, nil
}

// objectKeys iterates over the keys of an object whose '{' has been read.
func (d *jsonWalker) objectKeys(what string, each func(key string) error) error {
	for d.more() {
		k, err := d.key(what)
		if err != nil {
			return err
		}
		if err := each(k); err != nil {
			return err
		}
	}
	return d.delim('}', what)
}

// array iterates over the elements of an array.
func (d *jsonWalker) array(what string, each func() error) error {
	if err := d.delim('[', what); err != nil {
		return err
	}
	for d.more() {
		if err := each(); err != nil {
			return err
		}
	}
	return d.delim(']', what)
}

func (d *jsonWalker) value(dst any, what string) error {
	d.g.reset()
	if err := d.dec.Decode(dst); err != nil {
		return d.errorf(err, "decoding %s", what)
	}
	return nil
}

func (d *jsonWalker) document() error {
	t, err := d.token()
	switch {
	case errors.Is(err, io.EOF):
		return &FormatError{Msg: "empty input: not a snapshot"}
	case err != nil:
		return d.errorf(err, "not a snapshot")
	case t != json.Delim('{'):
		return d.errorf(nil, "not a snapshot: expected a JSON object, found %v", t)
	}
	var (
		raw         = &members{}
		headerDone  bool
		sawAccounts bool
	)
	err = d.objectKeys("snapshot", func(k string) error {
		if k != "accounts" {
			if headerDone {
				return d.errorf(nil, "key %q after accounts: header fields must come first", k)
			}
			if raw.has(k) {
				return d.errorf(nil, "duplicate key %q", k)
			}
			var m json.RawMessage
			if err := d.value(&m, k); err != nil {
				return err
			}
			raw.add(k, m)
			if raw.tooLarge() {
				return d.errorf(nil, "a header larger than %d bytes", MaxValueBytes)
			}
			return nil
		}
		if sawAccounts {
			return d.errorf(nil, "duplicate key %q", k)
		}
		sawAccounts = true
		h, err := d.header(raw)
		if err != nil {
			return err
		}
		headerDone = true
		if d.v.Header != nil {
			if err := d.v.Header(h); err != nil {
				return err
			}
		}
		return d.array("accounts", d.account)
	})
	if err != nil {
		return err
	}
	if !sawAccounts {
		if _, err := d.header(raw); err != nil {
			return err
		}
		return d.errorf(nil, "missing accounts")
	}
	if _, err := d.token(); !errors.Is(err, io.EOF) {
		return d.errorf(nil, "unexpected data after the snapshot")
	}
	return nil
}

func (d *jsonWalker) header(raw *members) (*Header, error) {
	v, ok := raw.vals["schema_version"]
	if !ok {
		return nil, d.errorf(nil, "missing schema_version: not a recoverscan snapshot")
	}
	var vp *int // nil for null
	if err := json.Unmarshal(v, &vp); err != nil || vp == nil {
		return nil, d.errorf(ErrSchemaVersion, "schema_version %s, this build reads %d", v, SchemaVersion)
	}
	if version := *vp; version != SchemaVersion {
		hint := "written by an older recoverscan"
		if version > SchemaVersion {
			hint = "written by a newer recoverscan; upgrade to read it"
		}
		return nil, d.errorf(ErrSchemaVersion, "schema_version %d, this build reads %d (%s)", version, SchemaVersion, hint)
	}
	h := &Header{}
	if err := strictUnmarshal(raw.object(), h); err != nil {
		return nil, d.errorf(err, "header")
	}
	return h, nil
}

func (d *jsonWalker) account() error {
	if err := d.delim('{', "account"); err != nil {
		return err
	}
	acct := &Account{}
	seen := map[string]bool{}
	err := d.objectKeys("account", func(k string) error {
		if seen["regions"] {
			return d.errorf(nil, "account key %q after regions: id and identity_read must come first", k)
		}
		if seen[k] {
			return d.errorf(nil, "duplicate account key %q", k)
		}
		seen[k] = true
		switch k {
		case "id":
			return d.value(&acct.ID, "account id")
		case "identity_read":
			return d.value(&acct.Identity, "account identity_read")
		case "regions":
			if !seen["identity_read"] {
				return d.errorf(nil, "account %q: missing identity_read", acct.ID)
			}
			if d.v.Account != nil {
				if err := d.v.Account(acct); err != nil {
					return err
				}
			}
			return d.array("regions", func() error { return d.region(acct) })
		default:
			return d.errorf(nil, "unknown account key %q", k)
		}
	})
	if err != nil {
		return err
	}
	if !seen["regions"] {
		return d.errorf(nil, "account %q has no regions array", acct.ID)
	}
	return nil
}

func (d *jsonWalker) region(acct *Account) error {
	if err := d.delim('{', "region"); err != nil {
		return err
	}
	reg := &Region{}
	seen := map[string]bool{}
	err := d.objectKeys("region", func(k string) error {
		if seen["pools"] {
			return d.errorf(nil, "region key %q after pools: region state must come before pools", k)
		}
		if seen[k] {
			return d.errorf(nil, "duplicate region key %q", k)
		}
		seen[k] = true
		switch k {
		case "name":
			return d.value(&reg.Name, "region name")
		case "pools_read":
			return d.value(&reg.PoolsRead, "region pools_read")
		case "sms":
			return d.value(&reg.SMS, "region sms")
		case "email":
			return d.value(&reg.Email, "region email")
		case "pools":
			if reg.Name == "" {
				return d.errorf(nil, "region without a name")
			}
			for _, want := range []string{"pools_read", "sms", "email"} {
				if !seen[want] {
					return d.errorf(nil, "region %q: missing %s", reg.Name, want)
				}
			}
			reg.SMS = normalizeSMS(reg.SMS)
			reg.Email = normalizeEmail(reg.Email)
			upgradeSMS(reg.SMS)
			upgradeEmail(reg.Email)
			if d.v.Region != nil {
				if err := d.v.Region(acct, reg); err != nil {
					return err
				}
			}
			return d.array("pools", d.pool)
		default:
			return d.errorf(nil, "unknown region key %q", k)
		}
	})
	if err != nil {
		return err
	}
	if !seen["pools"] {
		return d.errorf(nil, "region %q has no pools array", reg.Name)
	}
	return nil
}

func (d *jsonWalker) pool() error {
	if err := d.delim('{', "pool"); err != nil {
		return err
	}
	start := d.dec.InputOffset() - 1
	var (
		raw       = &members{}
		settings  = &PoolSettings{}
		sawUsers  bool
		usersRead Source
		listed    int64
		count     int64 // users in the file
		listedAt  int64
		trailer   = map[string]bool{}
	)
	err := d.objectKeys("pool", func(k string) error {
		switch {
		case k == "users":
			if sawUsers {
				return d.errorf(nil, "duplicate key %q", k)
			}
			sawUsers = true
			if err := strictUnmarshal(raw.object(), settings); err != nil {
				return d.errorf(err, "pool settings")
			}
			if settings.ID == "" {
				return d.errorf(nil, "pool without an id")
			}
			if err := settings.checkBounds(); err != nil {
				return &FormatError{Offset: start, Msg: "pool settings: " + err.Error()}
			}
			settings.normalize()
			settings.upgrade()
			if d.v.Pool != nil {
				if err := d.v.Pool(settings); err != nil {
					return err
				}
			}
			return d.array("users", func() error {
				u, err := d.user()
				if err != nil {
					return err
				}
				count++
				if d.v.User != nil {
					return d.v.User(u)
				}
				return nil
			})
		case k == "users_read" || k == "users_listed":
			if !sawUsers {
				return d.errorf(nil, "pool key %q before users", k)
			}
			if trailer[k] {
				return d.errorf(nil, "duplicate key %q", k)
			}
			trailer[k] = true
			if k == "users_read" {
				return d.value(&usersRead, "pool users_read")
			}
			listedAt = d.dec.InputOffset()
			return d.value(&listed, "pool users_listed")
		default:
			if sawUsers {
				return d.errorf(nil, "pool key %q after users: pool settings must come before users", k)
			}
			if raw.has(k) {
				return d.errorf(nil, "duplicate pool key %q", k)
			}
			var m json.RawMessage
			if err := d.value(&m, "pool "+k); err != nil {
				return err
			}
			raw.add(k, m)
			if raw.tooLarge() {
				return d.errorf(nil, "pool settings larger than %d bytes", MaxValueBytes)
			}
			return nil
		}
	})
	if err != nil {
		return err
	}
	if !sawUsers {
		var id string
		_ = json.Unmarshal(raw.vals["id"], &id)
		return d.errorf(nil, "pool %q has no users array", id)
	}
	for _, want := range []string{"users_read", "users_listed"} {
		if !trailer[want] {
			return d.errorf(nil, "pool %q: missing %s", settings.ID, want)
		}
	}
	if listed != count {
		// The collector records how many users it wrote; a file that
		// disagrees was cut or edited, and its pool cannot be complete.
		return &FormatError{Offset: listedAt, Msg: fmt.Sprintf("pool %q: users_listed is %d but the pool holds %d users", settings.ID, listed, count)}
	}
	if d.v.PoolEnd != nil {
		return d.v.PoolEnd(settings, usersRead, listed)
	}
	return nil
}

// user decodes one user. Decoding into a pointer tells a JSON null, which
// would otherwise pass as a user with no contact data, from an object.
func (d *jsonWalker) user() (*User, error) {
	var u *User
	start := d.dec.InputOffset()
	if err := d.value(&u, "user"); err != nil {
		return nil, err
	}
	if u == nil {
		return nil, d.errorf(nil, "user is null")
	}
	if err := u.checkBounds(); err != nil {
		return nil, &FormatError{Offset: start, Msg: "user: " + err.Error()}
	}
	u.normalize()
	// Snapshots written before usernames were masked, or by hand.
	u.MaskContactUsername()
	return u, nil
}

// guard scans the bytes of a snapshot as the JSON decoder reads them and
// stops the reading at the first repeated key (encoding/json matches keys
// to fields ignoring case, so "Email" after "email" is a repeat: the last
// one would win), the first string longer than MaxStringBytes, object
// with more than MaxKeysPerObject keys, nesting deeper than MaxDepth, or
// value larger than MaxValueBytes. Its error is a *FormatError with the
// offset of the offending byte. It holds a few bytes per open container;
// syntax errors are left to the decoder.
type jsonGuard struct {
	r   io.Reader
	off int64 // offset of the next byte from r
	err error // returned once the bytes before it are delivered

	stack []jsonFrame
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

// jsonFrame is one open object or array.
type jsonFrame struct {
	object  bool
	wantKey bool // object: the next string is a key
	index   int  // array: the current element
	keys    []byte
	ends    []int  // keys[ends[i-1]:ends[i]] is the i-th key, folded
	last    string // object: the key of the current member, for paths
}

func newJSONGuard(r io.Reader) *jsonGuard {
	return &jsonGuard{r: r, budget: MaxValueBytes}
}

// reset gives the decoder a new budget for the reader's next step.
func (g *jsonGuard) reset() { g.budget = MaxValueBytes }

// maxRead keeps each read small, so that the budget counts closely what
// the decoder holds.
const maxRead = 64 << 10

func (g *jsonGuard) Read(p []byte) (int, error) {
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
func (g *jsonGuard) scan(c byte) error {
	if g.inString {
		return g.stringByte(c)
	}
	var top *jsonFrame
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
			g.stack = append(g.stack, jsonFrame{})
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

func (g *jsonGuard) stringByte(c byte) error {
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
func (g *jsonGuard) endKey() error {
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
func (g *jsonGuard) original(i int) string {
	f := &g.stack[g.depth-1]
	start := 0
	if i > 0 {
		start = f.ends[i-1]
	}
	return string(f.keys[start:f.ends[i]])
}

// path names the open containers, e.g. accounts[0].regions[1].pools[0].
func (g *jsonGuard) path() string {
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

func (g *jsonGuard) errorAt(off int64, format string, args ...any) error {
	return &FormatError{Offset: off, Msg: fmt.Sprintf(format, args...)}
}
