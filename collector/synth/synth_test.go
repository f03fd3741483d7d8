package synth

import (
	"bytes"
	"testing"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

func generate(t *testing.T, opts Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, opts); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestDeterministic: the same seed gives the same bytes, another seed
// other users.
func TestDeterministic(t *testing.T) {
	a := generate(t, Options{Users: 2000, Seed: 42})
	b := generate(t, Options{Users: 2000, Seed: 42})
	c := generate(t, Options{Users: 2000, Seed: 43})
	if !bytes.Equal(a, b) {
		t.Error("the same seed gave different snapshots")
	}
	if bytes.Equal(a, c) {
		t.Error("different seeds gave the same snapshot")
	}
}

// TestShape: a generated snapshot is valid, holds exactly the users asked
// for with consistent counts, and mixes statuses, channels and MFA.
func TestShape(t *testing.T) {
	const n = 10007
	s, err := snapshot.Read(bytes.NewReader(generate(t, Options{Users: n, Seed: 1})))
	if err != nil {
		t.Fatalf("generated snapshot does not read back: %v", err)
	}
	total := 0
	statuses := map[string]int{}
	var phones, emails, mfa int
	names := map[string]bool{}
	for _, a := range s.Accounts {
		for _, r := range a.Regions {
			for _, p := range r.Pools {
				if p.EstimatedUsers != int64(len(p.Users)) || p.UsersListed != int64(len(p.Users)) {
					t.Errorf("pool %s: estimated %d, listed %d, holds %d", p.ID, p.EstimatedUsers, p.UsersListed, len(p.Users))
				}
				for _, u := range p.Users {
					total++
					statuses[u.Status]++
					if names[u.Username] {
						t.Fatalf("username %s used twice", u.Username)
					}
					names[u.Username] = true
					if u.Phone.Present {
						phones++
					}
					if u.Email.Present {
						emails++
					}
					if len(u.MFA.Methods) > 0 {
						mfa++
					}
					if u.LastModifiedAt.Before(u.CreatedAt) || u.LastModifiedAt.After(s.TakenAt) {
						t.Fatalf("user %s: modified %v, created %v, snapshot %v", u.Username, u.LastModifiedAt, u.CreatedAt, s.TakenAt)
					}
				}
			}
		}
	}
	if total != n {
		t.Errorf("%d users, want %d", total, n)
	}
	if len(statuses) < 6 || phones == 0 || emails == 0 || mfa == 0 {
		t.Errorf("too little variety: statuses %v, %d phones, %d emails, %d with MFA", statuses, phones, emails, mfa)
	}
	if float64(statuses[snapshot.StatusConfirmed])/n < 0.8 {
		t.Errorf("most users should be CONFIRMED: %v", statuses)
	}
}
