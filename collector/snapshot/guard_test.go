package snapshot_test

import (
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// TestHostileSnapshots: repeated keys (case variants included: decoding
// matches keys to fields ignoring case, and the last one would win),
// pools whose users_listed disagrees with their users, identifiers longer
// than Cognito allows and inputs past the reader's bounds are refused, at
// the byte where the problem starts.
func TestHostileSnapshots(t *testing.T) {
	trailer := func(n int) string { return `,"users_read":` + src + `,"users_listed":` + string(rune('0'+n)) }
	inPool := func(users string, n int) string { return doc(account(region("", pool("", users, trailer(n))))) }
	tests := []struct {
		name string
		in   string
		at   string // the error's offset is where this first occurs in in
		want string
	}{
		{"case-variant user key",
			inPool(`{"username":"u","sub":"s","email":{"present":true,"verified":true},"Email":{"present":false}}`, 1),
			`"Email"`, `duplicate key "Email" in accounts[0].regions[0].pools[0].users[0] (keys match ignoring case`},
		{"repeated user key",
			inPool(user1+`,{"username":"v","status":"CONFIRMED","status":"UNCONFIRMED"}`, 2),
			`"status":"UNCONFIRMED"`, `duplicate key "status" in accounts[0].regions[0].pools[0].users[1]`},
		{"repeated key in a nested user object",
			inPool(`{"username":"u","email":{"verified":false,"VERIFIED":true}}`, 1),
			`"VERIFIED"`, `duplicate key "VERIFIED" in accounts[0].regions[0].pools[0].users[0].email`},
		{"escaped repeat",
			inPool(`{"username":"u","sub":"s","su\u0062":"t"}`, 1),
			`"su\u0062"`, `duplicate key "sub"`},
		{"repeated key in pool settings",
			doc(account(region("", pool(`,"clients":{"read":`+src+`,"items":[{"id":"c","has_secret":true,"Has_Secret":false}]}`, user1, trailer(1))))),
			`"Has_Secret"`, `duplicate key "Has_Secret" in accounts[0].regions[0].pools[0].clients.items[0]`},
		{"repeated key in the SMS state",
			doc(account(`{"name":"eu-west-1","pools_read":` + src + `,"sms":[{"region":"eu-west-1","Region":"us-east-1"}],"email":[],"pools":[]}`)),
			`"Region"`, `duplicate key "Region" in accounts[0].regions[0].sms[0]`},
		{"case-variant header key",
			`{"schema_version":1,"Schema_Version":1,"accounts":[]}`,
			`"Schema_Version"`, `duplicate key "Schema_Version" in the document`},
		{"more users than listed", inPool(user1+","+user1, 1), `:1}`, `users_listed is 1 but the pool holds 2 users`},
		{"fewer users than listed", inPool(user1, 3), `:3}`, `users_listed is 3 but the pool holds 1 users`},
		{"username too long", inPool(user1+`,{"username":"`+strings.Repeat("ü", 129)+`"}`, 2), `,{"username":"üü`, "username of 129 characters, more than Cognito's 128"},
		{"pool id too long", doc(account(region("", `{"id":"`+strings.Repeat("p", 56)+`","users":[],"users_read":`+src+`,"users_listed":0}`))), `{"id":"ppp`, "pool id of 56 characters"},
		{"string too long", inPool(`{"username":"u","status":"`+strings.Repeat("x", snapshot.MaxStringBytes)+`"}`, 1), `"xxx`, "a string longer than 65536 bytes"},
		{"too many keys", inPool(`{`+manyKeys(snapshot.MaxKeysPerObject+1)+`}`, 1), `"k1000"`, "an object with more than 1000 keys"},
		{"too deep", inPool(`{"username":`+strings.Repeat("[", 70)+strings.Repeat("]", 70)+`}`, 1), "[", "nested more than 64 levels deep"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := snapshot.Read(strings.NewReader(tt.in))
			var fe *snapshot.FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("Read: %v, want a *FormatError", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
			if fe.Offset < 0 || fe.Offset > int64(len(tt.in)) || !strings.HasPrefix(tt.in[fe.Offset:], tt.at) {
				t.Errorf("offset %d, want the offset of %.20q", fe.Offset, tt.at)
			}
			if werr := snapshot.Walk(strings.NewReader(tt.in), snapshot.Visitor{}); werr == nil || werr.Error() != err.Error() {
				t.Errorf("Walk: %v, Read: %v", werr, err)
			}
		})
	}
}

func manyKeys(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"k` + itoa(i) + `":0`)
	}
	return b.String()
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var d []byte
	for ; i > 0; i /= 10 {
		d = append([]byte{byte('0' + i%10)}, d...)
	}
	return string(d)
}

// repeat is an endless stream of one byte.
type repeat byte

func (r repeat) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// TestMemoryBounded: a 100 MB username, or a user of 100 MB of numbers,
// is refused without holding it: the reader allocates a small fraction
// of what it was given.
func TestMemoryBounded(t *testing.T) {
	const huge = 100 << 20
	prefix := doc(account(region("", pool("", "", "")))) // cut below
	prefix = prefix[:strings.Index(prefix, `"users":[`)+len(`"users":[`)]
	for _, tc := range []struct {
		name string
		in   io.Reader
		want string
	}{
		{"huge username", io.MultiReader(strings.NewReader(prefix+`{"username":"`), io.LimitReader(repeat('a'), huge), strings.NewReader(`"}]}]}]}]}`)), "string longer than"},
		{"huge user", io.MultiReader(strings.NewReader(prefix+`{"mfa":{"methods":[`), io.LimitReader(repeat(' '), huge), strings.NewReader(`]}}]}]}]}]}`)), "a value larger than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			err := snapshot.Walk(tc.in, snapshot.Visitor{})
			runtime.ReadMemStats(&after)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Walk: %v, want %q", err, tc.want)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 5*snapshot.MaxValueBytes {
				t.Errorf("reading allocated %d MiB for a %d MiB input", alloc>>20, huge>>20)
			}
		})
	}
}

// TestMisspelledKey: a key that decoding would take for a field although
// it is spelled in another case is refused, alone too.
func TestMisspelledKey(t *testing.T) {
	in := doc(account(region("", pool("", `{"usernAme":"u"}`, `,"users_read":`+src+`,"users_listed":1`))))
	_, err := snapshot.Read(strings.NewReader(in))
	var fe *snapshot.FormatError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), `key "usernAme"`) || fe.Offset != int64(strings.Index(in, `"usernAme"`)) {
		t.Errorf("Read: %v, want a *FormatError at the key", err)
	}
}
