package snapshot

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Writer writes a snapshot as a stream: header, then for each account and
// region the region's messaging state, then each pool's settings followed
// by its users one at a time. Calls must nest properly:
//
//	Begin → (BeginAccount → (BeginRegion → (BeginPool → WriteUser* → EndPool)* → EndRegion)* → EndAccount)* → Close
//
// Memory use does not depend on the number of users.
type Writer struct {
	w   *bufio.Writer
	err error
	// depth tracks what is open and whether a comma is needed before the
	// next element at that level.
	stack []level
	// begun is set by Begin, so a second document cannot follow the
	// first.
	begun bool
	// closer ends the compressed stream of NewFileWriter, if any.
	closer io.Closer
}

type level struct {
	kind  string // "doc", "account", "region", "pool"
	items int
}

// NewWriter returns a Writer on w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: bufio.NewWriterSize(w, 256<<10)}
}

// Begin writes the header. SchemaVersion is filled in.
func (w *Writer) Begin(h Header) error {
	if w.begun {
		return w.fail(errors.New("snapshot: Begin called twice"))
	}
	w.begun = true
	h.SchemaVersion = SchemaVersion
	b, err := json.Marshal(h)
	if err != nil {
		return w.fail(err)
	}
	w.raw(b[:len(b)-1])
	w.str(`,"accounts":[`)
	w.stack = append(w.stack, level{kind: "doc"})
	return w.err
}

// BeginAccount opens an account.
func (w *Writer) BeginAccount(id string, identity Source) error {
	if err := w.open("doc", "account"); err != nil {
		return err
	}
	b, err := json.Marshal(struct {
		ID       string `json:"id"`
		Identity Source `json:"identity_read"`
	}{id, identity})
	if err != nil {
		return w.fail(err)
	}
	w.raw(b[:len(b)-1])
	w.str(`,"regions":[`)
	return w.err
}

// BeginRegion opens a region with the SMS and email state its pools use.
func (w *Writer) BeginRegion(r Region) error {
	if err := w.open("account", "region"); err != nil {
		return err
	}
	r.Pools = nil
	b, err := json.Marshal(struct {
		Name      string       `json:"name"`
		PoolsRead Source       `json:"pools_read"`
		SMS       []SMSState   `json:"sms"`
		Email     []EmailState `json:"email"`
	}{r.Name, r.PoolsRead, normalizeSMS(r.SMS), normalizeEmail(r.Email)})
	if err != nil {
		return w.fail(err)
	}
	w.raw(b[:len(b)-1])
	w.str(`,"pools":[`)
	return w.err
}

// BeginPool opens a pool; its users follow.
func (w *Writer) BeginPool(p PoolSettings) error {
	if err := w.open("region", "pool"); err != nil {
		return err
	}
	p.normalize()
	b, err := json.Marshal(p)
	if err != nil {
		return w.fail(err)
	}
	w.raw(b[:len(b)-1])
	w.str(`,"users":[`)
	return w.err
}

// WriteUser appends one user to the open pool.
func (w *Writer) WriteUser(u *User) error {
	if w.err != nil {
		return w.err
	}
	top := w.top()
	if top == nil || top.kind != "pool" {
		return w.fail(errors.New("snapshot: WriteUser outside a pool"))
	}
	if u.MFA.Methods == nil || !u.UsernameMasked && ContactShaped(u.Username) != "" {
		c := *u
		c.normalize()
		c.MaskContactUsername()
		u = &c
	}
	b, err := json.Marshal(u)
	if err != nil {
		return w.fail(err)
	}
	if top.items > 0 {
		w.str(",")
	}
	top.items++
	w.raw(b)
	return w.err
}

// EndPool closes the open pool, recording how listing its users ended.
// listed must be the number of users written: readers refuse a pool whose
// count disagrees with its users.
func (w *Writer) EndPool(usersRead Source, listed int64) error {
	if top := w.top(); w.err == nil && top != nil && top.kind == "pool" && int64(top.items) != listed {
		return w.fail(fmt.Errorf("snapshot: EndPool with %d users listed, but %d were written", listed, top.items))
	}
	if err := w.close("pool"); err != nil {
		return err
	}
	b, err := json.Marshal(usersRead)
	if err != nil {
		return w.fail(err)
	}
	w.str(`],"users_read":`)
	w.raw(b)
	fmt.Fprintf(w.w, `,"users_listed":%d}`, listed)
	return w.err
}

// EndRegion closes the open region.
func (w *Writer) EndRegion() error {
	if err := w.close("region"); err != nil {
		return err
	}
	w.str("]}")
	return w.err
}

// EndAccount closes the open account.
func (w *Writer) EndAccount() error {
	if err := w.close("account"); err != nil {
		return err
	}
	w.str("]}")
	return w.err
}

// Close finishes the document and flushes it, and ends the compressed
// stream of a Writer from NewFileWriter. It does not close the underlying
// writer.
func (w *Writer) Close() error {
	if err := w.close("doc"); err != nil {
		return err
	}
	w.str("]}\n")
	if w.err == nil {
		w.err = w.w.Flush()
	}
	if w.err == nil && w.closer != nil {
		w.err = w.closer.Close()
	}
	return w.err
}

// Write writes a whole in-memory snapshot.
func Write(out io.Writer, s *Snapshot) error {
	return NewWriter(out).writeAll(s)
}

// writeAll writes a whole in-memory snapshot with w and closes w.
func (w *Writer) writeAll(s *Snapshot) error {
	if err := w.Begin(s.Header); err != nil {
		return err
	}
	for _, a := range s.Accounts {
		if err := w.BeginAccount(a.ID, a.Identity); err != nil {
			return err
		}
		for _, r := range a.Regions {
			if err := w.BeginRegion(r); err != nil {
				return err
			}
			for i := range r.Pools {
				p := &r.Pools[i]
				if err := w.BeginPool(p.PoolSettings); err != nil {
					return err
				}
				for j := range p.Users {
					if err := w.WriteUser(&p.Users[j]); err != nil {
						return err
					}
				}
				// UsersListed of a snapshot built in memory may be unset;
				// what was written is what was listed.
				if err := w.EndPool(p.UsersRead, int64(len(p.Users))); err != nil {
					return err
				}
			}
			if err := w.EndRegion(); err != nil {
				return err
			}
		}
		if err := w.EndAccount(); err != nil {
			return err
		}
	}
	return w.Close()
}

// Marshal returns the JSON encoding of a whole in-memory snapshot.
func Marshal(s *Snapshot) ([]byte, error) {
	var buf bytes.Buffer
	if err := Write(&buf, s); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (w *Writer) top() *level {
	if len(w.stack) == 0 {
		return nil
	}
	return &w.stack[len(w.stack)-1]
}

func (w *Writer) open(parent, kind string) error {
	if w.err != nil {
		return w.err
	}
	top := w.top()
	if top == nil || top.kind != parent {
		return w.fail(fmt.Errorf("snapshot: cannot open %s here", kind))
	}
	if top.items > 0 {
		w.str(",")
	}
	top.items++
	w.stack = append(w.stack, level{kind: kind})
	return nil
}

func (w *Writer) close(kind string) error {
	if w.err != nil {
		return w.err
	}
	top := w.top()
	if top == nil || top.kind != kind {
		return w.fail(fmt.Errorf("snapshot: no open %s to end", kind))
	}
	w.stack = w.stack[:len(w.stack)-1]
	return nil
}

func (w *Writer) fail(err error) error {
	if w.err == nil {
		w.err = err
	}
	return w.err
}

func (w *Writer) str(s string) {
	if w.err == nil {
		_, w.err = w.w.WriteString(s)
	}
}

func (w *Writer) raw(b []byte) {
	if w.err == nil {
		_, w.err = w.w.Write(b)
	}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
