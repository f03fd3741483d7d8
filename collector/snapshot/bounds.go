package snapshot

import (
	"fmt"
	"unicode/utf8"
)

// Cognito's own bounds on identifiers, in characters. The reader refuses a
// snapshot that exceeds them, and the JSON Schema says them as maxLength.
const (
	MaxUsernameLen   = 128 // a username (and a sub, a UUID)
	MaxPoolIDLen     = 55  // a user pool id
	MaxPoolNameLen   = 128 // a user pool name
	MaxClientIDLen   = 128 // an app client id
	MaxClientNameLen = 128 // an app client name
)

// bound is one identifier and its limit.
type bound struct {
	name  string
	value string
	max   int
}

func checkAll(bs ...bound) error {
	for _, b := range bs {
		if n := utf8.RuneCountInString(b.value); n > b.max {
			return fmt.Errorf("%s of %d characters, more than Cognito's %d", b.name, n, b.max)
		}
	}
	return nil
}

// checkBounds checks the user's identifiers against Cognito's bounds.
func (u *User) checkBounds() error {
	return checkAll(
		bound{"username", u.Username, MaxUsernameLen},
		bound{"sub", u.Sub, MaxUsernameLen},
	)
}

// checkBounds checks the pool's and its clients' identifiers.
func (p *PoolSettings) checkBounds() error {
	if err := checkAll(
		bound{"pool id", p.ID, MaxPoolIDLen},
		bound{"pool name", p.Name, MaxPoolNameLen},
	); err != nil {
		return err
	}
	for i := range p.Clients.Items {
		c := &p.Clients.Items[i]
		if err := checkAll(
			bound{"app client id", c.ID, MaxClientIDLen},
			bound{"app client name", c.Name, MaxClientNameLen},
		); err != nil {
			return err
		}
	}
	return nil
}
