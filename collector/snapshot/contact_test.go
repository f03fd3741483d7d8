package snapshot_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

func TestContactShaped(t *testing.T) {
	for in, want := range map[string]string{
		"alice@example.com": "email", "a@b": "email", "+15555550123": "phone", "+44 20 7946 0958": "phone",
		"(555) 555-0123": "phone", "5555550123": "phone",
		"alice": "", "user-00001": "", "1234567": "", "+12": "", "@handle": "", "a+b": "", "2026-11-01": "",
		"ab12cd34-5d1c-4f1e-9a7e-000000000001": "",
	} {
		if got := snapshot.ContactShaped(in); got != want {
			t.Errorf("ContactShaped(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestContactUsernamesMasked: a username shaped like an email address or
// phone number is never stored as it is: the writer and the reader mask
// it, keep a digest keyed with the sub, and the user is still found by
// the name.
func TestContactUsernamesMasked(t *testing.T) {
	s := sampleSnapshot()
	users := s.Accounts[0].Regions[0].Pools[0].Users
	users[0].Username, users[0].Sub = "Alice.Liddell@Example.com", "sub-a"
	users[1].Username, users[1].Sub = "+15555550123", "sub-b"
	data, err := snapshot.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	buf := bytes.NewBuffer(data)
	for _, raw := range []string{"Alice.Liddell", "Example.com", "5555550123"} {
		if strings.Contains(buf.String(), raw) {
			t.Errorf("the snapshot holds %q", raw)
		}
	}
	got, err := snapshot.Read(buf)
	if err != nil {
		t.Fatal(err)
	}
	u := got.Accounts[0].Regions[0].Pools[0].Users
	if u[0].Username != "A***@E***.com" || !u[0].UsernameMasked || u[1].Username != "+*******0123" {
		t.Errorf("masked: %q %v, %q", u[0].Username, u[0].UsernameMasked, u[1].Username)
	}
	if !u[0].HasUsername("alice.liddell@example.com") || !u[1].HasUsername("+15555550123") || u[0].HasUsername("bob@example.com") || u[1].HasUsername("+15555550124") {
		t.Error("HasUsername does not tell the typed names")
	}
	if u[0].CommandUsername() != "sub-a" {
		t.Errorf("CommandUsername = %q, want the sub", u[0].CommandUsername())
	}
	if users[0].Username != "Alice.Liddell@Example.com" {
		t.Error("the writer modified the caller's user")
	}

	// A snapshot written before usernames were masked is masked on reading.
	old := strings.Replace(okDoc, `"username":"u"`, `"username":"carol@example.com"`, 1)
	r, err := snapshot.Read(strings.NewReader(old))
	if err != nil {
		t.Fatal(err)
	}
	if cu := r.Accounts[0].Regions[0].Pools[0].Users[0]; cu.Username != "c***@e***.com" || !cu.HasUsername("carol@example.com") {
		t.Errorf("read %+v", cu)
	}
}
