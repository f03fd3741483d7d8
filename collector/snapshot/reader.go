package snapshot

import (
	"bufio"
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
}

func (e *FormatError) Error() string {
	s := fmt.Sprintf("snapshot: %s (at byte %d)", e.Msg, e.Offset)
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
// error a callback returns and returns it unchanged.
func Walk(r io.Reader, v Visitor) error {
	g := newGuard(bufio.NewReaderSize(r, 256<<10))
	d := &walker{dec: json.NewDecoder(g), g: g, v: v}
	d.dec.DisallowUnknownFields()
	return d.document()
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

type walker struct {
	dec *json.Decoder
	g   *guard
	v   Visitor
}

// token reads the next token within a fresh budget of the guard.
func (d *walker) token() (json.Token, error) {
	d.g.reset()
	return d.dec.Token()
}

// more reports whether the current object or array has more elements.
func (d *walker) more() bool {
	d.g.reset()
	return d.dec.More()
}

func (d *walker) errorf(err error, format string, args ...any) error {
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

func (d *walker) delim(want json.Delim, what string) error {
	t, err := d.token()
	if err != nil {
		return d.errorf(err, "reading %s", what)
	}
	if got, ok := t.(json.Delim); !ok || got != want {
		return d.errorf(nil, "%s: expected %q, found %v", what, want, t)
	}
	return nil
}

func (d *walker) key(what string) (string, error) {
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
func (d *walker) objectKeys(what string, each func(key string) error) error {
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
func (d *walker) array(what string, each func() error) error {
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

func (d *walker) value(dst any, what string) error {
	d.g.reset()
	if err := d.dec.Decode(dst); err != nil {
		return d.errorf(err, "decoding %s", what)
	}
	return nil
}

func (d *walker) document() error {
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

func (d *walker) region(acct *Account) error {
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

func (d *walker) pool() error {
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
func (d *walker) user() (*User, error) {
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
