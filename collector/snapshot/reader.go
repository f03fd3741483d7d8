package snapshot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Visitor receives a snapshot as Walk reads it. Any callback may be nil.
// Pointers passed to callbacks are only valid during the call.
type Visitor struct {
	Header func(h *Header) error
	// Account is called once per account, before its regions, with its id
	// and identity (Regions is nil). It is called for accounts without
	// regions too.
	Account func(a *Account) error
	// Region is called once per region, before its pools, with the
	// region's messaging state (Pools is nil).
	Region func(account *Account, region *Region) error
	// Pool is called with a pool's settings before its users.
	Pool func(p *PoolSettings) error
	User func(u *User) error
	// PoolEnd is called after a pool's users with how listing them ended.
	PoolEnd func(p *PoolSettings, usersRead Source, listed int64) error
}

// FormatError is a snapshot that cannot be read: not JSON, truncated, of
// another schema version, or not shaped as the schema says.
type FormatError struct {
	Offset int64 // byte offset in the input where reading stopped
	Msg    string
	Err    error
	// Compression is how the input was compressed; Offset then counts
	// bytes of the decompressed JSON.
	Compression Compression
}

func (e *FormatError) Error() string {
	where := fmt.Sprintf("at byte %d", e.Offset)
	if e.Compression != Uncompressed {
		where += " of the " + e.Compression.String() + "-decompressed JSON"
	}
	s := fmt.Sprintf("snapshot: %s (%s)", e.Msg, where)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *FormatError) Unwrap() error { return e.Err }

// ErrSchemaVersion is wrapped by the error for a snapshot of another
// schema version.
var ErrSchemaVersion = errors.New("unsupported schema_version")

// Walk reads a snapshot from r and calls v for each part, streaming users so
// that memory use does not depend on their number. It stops at the first
// error a callback returns and returns it unchanged. A snapshot compressed
// with gzip or zstd is decompressed as it is read: the first bytes tell.
func Walk(r io.Reader, v Visitor) error {
	in, c, err := decompress(r)
	if err != nil {
		return err
	}
	defer in.Close()
	d := &walker{s: newScanner(in), v: v}
	err = d.document()
	var fe *FormatError
	if c != Uncompressed && errors.As(err, &fe) && fe.Compression == Uncompressed {
		fe.Compression = c
	}
	return err
}

// Read reads a whole snapshot into memory. Use it for small snapshots only.
func Read(r io.Reader) (*Snapshot, error) {
	s := &Snapshot{Accounts: []Account{}}
	var (
		acct *Account
		reg  *Region
		pool *Pool
	)
	err := Walk(r, Visitor{
		Header: func(h *Header) error { s.Header = *h; return nil },
		Account: func(a *Account) error {
			s.Accounts = append(s.Accounts, Account{ID: a.ID, Identity: a.Identity, Regions: []Region{}})
			acct = &s.Accounts[len(s.Accounts)-1]
			return nil
		},
		Region: func(_ *Account, rg *Region) error {
			r := *rg
			r.Pools = []Pool{}
			acct.Regions = append(acct.Regions, r)
			reg = &acct.Regions[len(acct.Regions)-1]
			return nil
		},
		Pool: func(p *PoolSettings) error {
			reg.Pools = append(reg.Pools, Pool{PoolSettings: *p, Users: []User{}})
			pool = &reg.Pools[len(reg.Pools)-1]
			return nil
		},
		User: func(u *User) error { pool.Users = append(pool.Users, *u); return nil },
		PoolEnd: func(_ *PoolSettings, read Source, n int64) error {
			pool.UsersRead, pool.UsersListed = read, n
			return nil
		},
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// walker reads the structure of a snapshot (document, accounts, regions,
// pools, users) from the scanner and hands its parts to the visitor.
type walker struct {
	s    *scanner
	v    Visitor
	u    User // the user handed to v.User, reused
	fast fastUser
}

func (d *walker) errorf(err error, format string, args ...any) error {
	return d.errorAt(d.s.off(), err, format, args...)
}

func (d *walker) errorAt(off int64, err error, format string, args ...any) error {
	var fe *FormatError
	if errors.As(err, &fe) {
		return err
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		err = io.ErrUnexpectedEOF
		format = "truncated: " + format
	}
	return &FormatError{Offset: off, Msg: fmt.Sprintf(format, args...), Err: err}
}

// describe names the value that starts with c, for errors.
func describe(c byte) string {
	switch {
	case c == '{' || c == '[' || c == '}' || c == ']' || c == ',' || c == ':':
		return string(c)
	case c == '"':
		return "a string"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	case c == '-' || '0' <= c && c <= '9':
		return "a number"
	}
	return quoteChar(c)
}

// open takes the '{' or '[' that must come next and opens it.
func (d *walker) open(want byte, what string) error {
	d.s.step()
	c, err := d.s.skipSpace()
	if err != nil {
		return d.errorf(err, "reading %s", what)
	}
	if c != want {
		return d.errorf(nil, "%s: expected %q, found %s", what, string(want), describe(c))
	}
	if err := d.s.push(want == '{', d.s.off()); err != nil {
		return err
	}
	d.s.r++
	return nil
}

// objectKeys iterates over the keys of an object that open has opened;
// each must read the member's value.
func (d *walker) objectKeys(what string, each func(key string) error) error {
	for first := true; ; first = false {
		d.s.step()
		c, err := d.s.skipSpace()
		if err != nil {
			return d.errorf(err, "reading %s", what)
		}
		if c == '}' {
			d.s.r++
			d.s.pop()
			return nil
		}
		if !first {
			if c != ',' {
				return d.errorf(syntaxError(c, "after object key:value pair"), "reading %s", what)
			}
			d.s.r++
			if c, err = d.s.skipSpace(); err != nil {
				return d.errorf(err, "reading %s", what)
			}
		}
		if c != '"' {
			return d.errorf(syntaxError(c, "looking for beginning of object key string"), "reading %s", what)
		}
		k, err := d.s.key()
		if err != nil {
			return d.errorf(err, "reading %s", what)
		}
		if err := d.s.colon(); err != nil {
			return d.errorf(err, "reading %s", what)
		}
		if err := each(k); err != nil {
			return err
		}
	}
}

// array iterates over the elements of an array; each must read one
// element. start is where the element begins: after the previous one,
// before the comma.
func (d *walker) array(what string, each func(start int64) error) error {
	if err := d.open('[', what); err != nil {
		return err
	}
	for i := 0; ; i++ {
		start := d.s.off()
		d.s.step()
		c, err := d.s.skipSpace()
		if err != nil {
			return d.errorf(err, "reading %s", what)
		}
		if c == ']' {
			d.s.r++
			d.s.pop()
			return nil
		}
		if i > 0 {
			if c != ',' {
				return d.errorf(syntaxError(c, "after array element"), "reading %s", what)
			}
			d.s.r++
		}
		d.s.top().index = i
		if err := each(start); err != nil {
			return err
		}
	}
}

// raw scans the next value and returns its bytes, valid until the next
// step.
func (d *walker) raw(what string) ([]byte, error) {
	d.s.step()
	if _, err := d.s.skipSpace(); err != nil {
		return nil, d.errorf(err, "decoding %s", what)
	}
	d.s.mark = d.s.r
	if err := d.s.value(); err != nil {
		return nil, d.errorf(readErr(err), "decoding %s", what)
	}
	return d.s.buf[d.s.mark:d.s.r], nil
}

// value decodes the next value into dst as encoding/json does, unknown
// fields refused.
func (d *walker) value(dst any, what string) error {
	b, err := d.raw(what)
	if err != nil {
		return err
	}
	if err := strictUnmarshal(b, dst); err != nil {
		return d.errorf(err, "decoding %s", what)
	}
	return nil
}

func (d *walker) document() error {
	d.s.step()
	c, err := d.s.skipSpace()
	switch {
	case errors.Is(err, io.EOF):
		return &FormatError{Msg: "empty input: not a snapshot"}
	case err != nil:
		return d.errorf(err, "not a snapshot")
	case c != '{':
		if describe(c) == quoteChar(c) {
			return d.errorf(syntaxError(c, "looking for beginning of value"), "not a snapshot")
		}
		return d.errorf(nil, "not a snapshot: expected a JSON object, found %s", describe(c))
	}
	if err := d.s.push(true, d.s.off()); err != nil {
		return err
	}
	d.s.r++
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
			m, err := d.raw(k)
			if err != nil {
				return err
			}
			raw.add(k, bytes.Clone(m))
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
		return d.array("accounts", func(int64) error { return d.account() })
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
	d.s.step()
	if _, err := d.s.skipSpace(); !errors.Is(err, io.EOF) {
		if err != nil {
			return d.errorf(err, "reading after the snapshot")
		}
		return d.errorf(nil, "unexpected data after the snapshot")
	}
	return nil
}

func (d *walker) header(raw *members) (*Header, error) {
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

func (d *walker) account() error {
	if err := d.open('{', "account"); err != nil {
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
			return d.array("regions", func(int64) error { return d.region(acct) })
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

func (d *walker) region(acct *Account) error {
	if err := d.open('{', "region"); err != nil {
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
			return d.array("pools", func(int64) error { return d.pool() })
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

func (d *walker) pool() error {
	if err := d.open('{', "pool"); err != nil {
		return err
	}
	start := d.s.off() - 1
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
			return d.array("users", func(start int64) error {
				u, err := d.user(start)
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
			listedAt = d.s.off() - 1 // the colon: where the count's key ends
			return d.value(&listed, "pool users_listed")
		default:
			if sawUsers {
				return d.errorf(nil, "pool key %q after users: pool settings must come before users", k)
			}
			if raw.has(k) {
				return d.errorf(nil, "duplicate pool key %q", k)
			}
			m, err := d.raw("pool " + k)
			if err != nil {
				return err
			}
			raw.add(k, bytes.Clone(m))
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

// user reads one user, which starts at offset start (before the comma
// that separates it from the one before). A user as the writer writes it
// is decoded by the fast path; anything else (escapes, nulls, keys or
// types the model does not have, repeats, other spellings) is scanned and
// decoded the general way, with encoding/json, as any other value.
func (d *walker) user(start int64) (*User, error) {
	u, err := d.fastUser()
	if err != nil {
		return nil, err
	}
	if u == nil {
		// Decoding into a pointer tells a JSON null, which would
		// otherwise pass as a user with no contact data, from an object.
		b, err := d.raw("user")
		if err != nil {
			return nil, err
		}
		if err := strictUnmarshal(b, &u); err != nil {
			return nil, d.errorf(err, "decoding user")
		}
		if u == nil {
			return nil, d.errorf(nil, "user is null")
		}
	}
	if err := u.checkBounds(); err != nil {
		return nil, &FormatError{Offset: start, Msg: "user: " + err.Error()}
	}
	u.normalize()
	// Snapshots written before usernames were masked, or by hand.
	u.MaskContactUsername()
	return u, nil
}

// fastUser decodes the next user with the fast path, into d.u. It returns
// nil, and has taken nothing, when the user must be read the general way.
func (d *walker) fastUser() (*User, error) {
	s := d.s
	for {
		if s.w-s.r < 64<<10 && s.rerr == nil {
			// Most users then fit in what is buffered. An error stays
			// in s for the general way to report.
			_ = s.fill()
		}
		n, st := d.fast.decode(s.buf[s.r:s.w], &d.u)
		switch {
		case st == fastDone && s.off()+int64(n)-s.stepStart <= MaxValueBytes:
			s.r += n
			return &d.u, nil
		case st == fastMore && s.rerr == nil && s.w-s.r <= MaxValueBytes:
			// Buffer at least twice as much before trying again, so
			// that a long user is not decoded over and over.
			for want := 2 * (s.w - s.r); s.w-s.r < want; {
				if err := s.fill(); err != nil {
					return nil, nil
				}
			}
		default:
			return nil, nil
		}
	}
}

// members holds the members of an object collected before it can be
// decoded, in input order, so that decoding is deterministic.
type members struct {
	keys []string
	vals map[string]json.RawMessage
	size int64
}

func (m *members) has(k string) bool { _, ok := m.vals[k]; return ok }

func (m *members) add(k string, v json.RawMessage) {
	if m.vals == nil {
		m.vals = map[string]json.RawMessage{}
	}
	m.keys = append(m.keys, k)
	m.vals[k] = v
	m.size += int64(len(k) + len(v))
}

// tooLarge reports whether the members hold more than MaxValueBytes.
func (m *members) tooLarge() bool { return m.size > MaxValueBytes }

// object reassembles the object from its members.
func (m *members) object() []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range m.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		b.Write(m.vals[k])
	}
	b.WriteByte('}')
	return b.Bytes()
}

func strictUnmarshal(data []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(dst)
}
