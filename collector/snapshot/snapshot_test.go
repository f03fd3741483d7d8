package snapshot_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

func marshal(t testing.TB, s *snapshot.Snapshot) []byte {
	t.Helper()
	b, err := snapshot.Marshal(s)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	return b
}

func TestRoundTrip(t *testing.T) {
	want := sampleSnapshot()
	b := marshal(t, want)
	if !json.Valid(b) {
		t.Fatalf("Marshal wrote invalid JSON:\n%s", b)
	}
	got, err := snapshot.Read(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		gb, _ := json.MarshalIndent(got, "", " ")
		wb, _ := json.MarshalIndent(want, "", " ")
		t.Fatalf("Read(Marshal(s)) != s\ngot:\n%s\nwant:\n%s", gb, wb)
	}
	// The encoding is canonical: writing what was read gives the same bytes.
	if again := marshal(t, got); !bytes.Equal(again, b) {
		t.Errorf("Marshal(Read(b)) != b\n%s\n%s", again, b)
	}
}

// TestRoundTripMatchesEncodingJSON checks that the streaming writer and
// encoding/json agree on the document, field for field.
func TestRoundTripMatchesEncodingJSON(t *testing.T) {
	s := sampleSnapshot()
	var fromWriter, fromJSON any
	if err := json.Unmarshal(marshal(t, s), &fromWriter); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &fromJSON); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromWriter, fromJSON) {
		t.Errorf("the Writer and encoding/json disagree:\nwriter: %v\njson:   %v", fromWriter, fromJSON)
	}
}

// event is one Visitor call, as recorded by recorder.
func recorder(events *[]string) snapshot.Visitor {
	add := func(format string, args ...any) { *events = append(*events, fmt.Sprintf(format, args...)) }
	return snapshot.Visitor{
		Header: func(h *snapshot.Header) error {
			add("header v%d", h.SchemaVersion)
			return nil
		},
		Account: func(a *snapshot.Account) error {
			add("account %q %s", a.ID, a.Identity.Status)
			return nil
		},
		Region: func(a *snapshot.Account, r *snapshot.Region) error {
			if r.Pools != nil {
				return errors.New("Region callback got pools")
			}
			add("region %q/%s sms=%d email=%d", a.ID, r.Name, len(r.SMS), len(r.Email))
			return nil
		},
		Pool: func(p *snapshot.PoolSettings) error {
			add("pool %s clients=%d", p.ID, len(p.Clients.Items))
			return nil
		},
		User: func(u *snapshot.User) error {
			add("user %s", u.Username)
			return nil
		},
		PoolEnd: func(p *snapshot.PoolSettings, read snapshot.Source, listed int64) error {
			add("end %s %s %d", p.ID, read.Status, listed)
			return nil
		},
	}
}

func TestWalkOrder(t *testing.T) {
	var events []string
	if err := snapshot.Walk(bytes.NewReader(marshal(t, sampleSnapshot())), recorder(&events)); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"header v1",
		`account "111122223333" ok`,
		`region "111122223333"/us-east-1 sms=2 email=1`,
		"pool us-east-1_Customers clients=2",
		"user alice",
		"user bob",
		"user carol",
		"end us-east-1_Customers ok 3",
		"pool us-east-1_Empty clients=2",
		"end us-east-1_Empty ok 0",
		"pool us-east-1_Locked clients=0",
		"end us-east-1_Locked denied 0",
		`region "111122223333"/eu-west-1 sms=1 email=0`,
		"pool eu-west-1_Staff clients=2",
		"user dave",
		"end eu-west-1_Staff throttled 1",
		`account "" error`,
		`region ""/ap-southeast-2 sms=0 email=0`,
		`account "444455556666" ok`,
	}
	if !reflect.DeepEqual(events, want) {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(events, "\n"), strings.Join(want, "\n"))
	}
}

// TestWalkStreams checks that Walk hands out users before it has read the
// rest of the pool: a reader that fails after the first user still delivers
// that user.
func TestWalkStreams(t *testing.T) {
	b := marshal(t, sampleSnapshot())
	cut := bytes.Index(b, []byte(`"username":"bob"`))
	var events []string
	err := snapshot.Walk(io.MultiReader(bytes.NewReader(b[:cut]), errReader{}), recorder(&events))
	if !errors.Is(err, errBroken) {
		t.Fatalf("err = %v, want the reader's error", err)
	}
	if last := events[len(events)-1]; last != "user alice" {
		t.Errorf("last event before the failure = %q, want user alice", last)
	}
}

var errBroken = errors.New("broken pipe")

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errBroken }

func TestWalkCallbackErrorUnchanged(t *testing.T) {
	stop := errors.New("stop here")
	b := marshal(t, sampleSnapshot())
	for _, v := range []snapshot.Visitor{
		{Header: func(*snapshot.Header) error { return stop }},
		{Account: func(*snapshot.Account) error { return stop }},
		{Region: func(*snapshot.Account, *snapshot.Region) error { return stop }},
		{Pool: func(*snapshot.PoolSettings) error { return stop }},
		{User: func(*snapshot.User) error { return stop }},
		{PoolEnd: func(*snapshot.PoolSettings, snapshot.Source, int64) error { return stop }},
	} {
		if err := snapshot.Walk(bytes.NewReader(b), v); err != stop {
			t.Errorf("Walk returned %v, want the callback's error unchanged", err)
		}
	}
}

// TestNeverNull writes a snapshot whose lists are all nil and checks that
// no list comes out as null, and that the caller's values are left alone.
func TestNeverNull(t *testing.T) {
	s := &snapshot.Snapshot{
		Header: snapshot.Header{TakenAt: takenAt},
		Accounts: []snapshot.Account{{
			ID: "111122223333",
			Regions: []snapshot.Region{
				{Name: "us-east-1"}, // nil SMS, Email, Pools
				{
					Name:  "eu-west-1",
					SMS:   []snapshot.SMSState{{Region: "eu-west-1"}},   // nil Numbers
					Email: []snapshot.EmailState{{Region: "eu-west-1"}}, // nil Identities
					Pools: []snapshot.Pool{{
						PoolSettings: snapshot.PoolSettings{
							ID:      "eu-west-1_A",
							Clients: snapshot.Clients{Items: []snapshot.Client{{ID: "c"}}}, // nil flows and attributes
						},
						Users: []snapshot.User{{Username: "u"}}, // nil MFA methods
					}},
				},
			},
		}, {ID: "444455556666"}}, // nil Regions
	}
	b := marshal(t, s)
	if bytes.Contains(b, []byte("null")) {
		t.Errorf("the writer emitted null:\n%s", b)
	}
	r1 := &s.Accounts[0].Regions[1]
	if r1.SMS[0].OriginationNumbers.Numbers != nil || r1.Email[0].Identities != nil ||
		r1.Pools[0].Clients.Items[0].ExplicitAuthFlows != nil || r1.Pools[0].Users[0].MFA.Methods != nil {
		t.Error("the writer modified the caller's values")
	}

	// Whatever wrote it, Read never returns nil lists.
	got, err := snapshot.Read(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	assertNoNilSlices(t, reflect.ValueOf(got), "snapshot")

	withNulls := strings.NewReplacer(`[]`, `null`).Replace(string(b))
	// The structural arrays must stay arrays; every other list may be null.
	for _, k := range []string{"accounts", "regions", "pools", "users"} {
		withNulls = strings.ReplaceAll(withNulls, `"`+k+`":null`, `"`+k+`":[]`)
	}
	got, err = snapshot.Read(strings.NewReader(withNulls))
	if err != nil {
		t.Fatalf("Read of a snapshot with null lists: %v\n%s", err, withNulls)
	}
	assertNoNilSlices(t, reflect.ValueOf(got), "snapshot")
}

func assertNoNilSlices(t *testing.T, v reflect.Value, path string) {
	t.Helper()
	switch v.Kind() {
	case reflect.Pointer:
		assertNoNilSlices(t, v.Elem(), path)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				assertNoNilSlices(t, v.Field(i), path+"."+v.Type().Field(i).Name)
			}
		}
	case reflect.Slice:
		if v.IsNil() {
			t.Errorf("%s is nil", path)
		}
		for i := range v.Len() {
			assertNoNilSlices(t, v.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	}
}

func TestWriterMisuse(t *testing.T) {
	src := snapshot.Source{Status: snapshot.SourceOK}
	tests := []struct {
		name string
		run  func(w *snapshot.Writer) error
		want string
	}{
		{"account before Begin", func(w *snapshot.Writer) error { return w.BeginAccount("1", src) }, "cannot open account"},
		{"Begin twice", func(w *snapshot.Writer) error {
			_ = w.Begin(snapshot.Header{})
			return w.Begin(snapshot.Header{})
		}, "Begin called twice"},
		{"Begin after Close", func(w *snapshot.Writer) error {
			_ = w.Begin(snapshot.Header{})
			_ = w.Close()
			return w.Begin(snapshot.Header{})
		}, "Begin called twice"},
		{"region outside an account", func(w *snapshot.Writer) error {
			_ = w.Begin(snapshot.Header{})
			return w.BeginRegion(snapshot.Region{Name: "us-east-1"})
		}, "cannot open region"},
		{"user outside a pool", func(w *snapshot.Writer) error {
			_ = w.Begin(snapshot.Header{})
			return w.WriteUser(&snapshot.User{})
		}, "WriteUser outside a pool"},
		{"close with a pool open", func(w *snapshot.Writer) error {
			_ = w.Begin(snapshot.Header{})
			_ = w.BeginAccount("1", src)
			_ = w.BeginRegion(snapshot.Region{Name: "us-east-1"})
			_ = w.BeginPool(snapshot.PoolSettings{ID: "p"})
			return w.Close()
		}, "no open doc"},
		{"errors stick", func(w *snapshot.Writer) error {
			_ = w.EndPool(src, 0)
			_ = w.Begin(snapshot.Header{})
			return w.Close()
		}, "no open pool"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run(snapshot.NewWriter(io.Discard))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}

func TestWriterReportsWriteErrors(t *testing.T) {
	s := sampleSnapshot()
	for range 10 {
		s.Accounts = append(s.Accounts, s.Accounts...)
	}
	if err := snapshot.Write(failingWriter{}, s); !errors.Is(err, errBroken) {
		t.Errorf("Write to a failing writer: %v, want its error", err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errBroken }

// Small documents for the error cases.
const (
	header = `"schema_version":1,"taken_at":"2026-11-01T09:00:00Z","tool":{"name":"recoverscan","version":"test"},"pseudonymized":false`
	src    = `{"status":"ok","action":"x:Y"}`
	user1  = `{"username":"u","sub":"s","status":"CONFIRMED","enabled":true}`
)

func pool(settings, users, trailer string) string {
	return `{"id":"eu-west-1_A","read":` + src + settings + `,"users":[` + users + `]` + trailer + `}`
}

func region(state, pools string) string {
	return `{"name":"eu-west-1","pools_read":` + src + `,"sms":[],"email":[]` + state + `,"pools":[` + pools + `]}`
}

func account(regions string) string {
	return `{"id":"111122223333","identity_read":` + src + `,"regions":[` + regions + `]}`
}

func doc(accounts string) string { return `{` + header + `,"accounts":[` + accounts + `]}` }

var (
	okPool    = pool("", user1, `,"users_read":`+src+`,"users_listed":1`)
	okRegion  = region("", okPool)
	okAccount = account(okRegion)
	okDoc     = doc(okAccount)
)

func TestReadSmallDocs(t *testing.T) {
	for name, in := range map[string]string{
		"one user":          okDoc,
		"trailing newlines": okDoc + "\n\n",
		"no accounts":       doc(""),
		"no regions":        doc(account("")),
		"no pools":          doc(account(region("", ""))),
		"no users":          doc(account(region("", pool("", "", `,"users_read":`+src+`,"users_listed":0`)))),
		"header reordered":  `{"tool":{"name":"x","version":"1"},"pseudonymized":true,"taken_at":"2026-11-01T09:00:00Z","schema_version":1,"accounts":[]}`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := snapshot.Read(strings.NewReader(in)); err != nil {
				t.Errorf("Read: %v\n%s", err, in)
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	usersRead := `,"users_read":` + src
	trailer := usersRead + `,"users_listed":1`
	tests := []struct {
		name string
		in   string
		want string // in the error message
		is   error  // wrapped by the error, when set
	}{
		{"empty input", "", "empty input", nil},
		{"blank input", " \n\t", "empty input", nil},
		{"not JSON", "hello", "not a snapshot", nil},
		{"binary", "\x00\x01\x02", "not a snapshot", nil},
		{"JSON array", "[]", "not a snapshot", nil},
		{"JSON string", `"snapshot"`, "not a snapshot", nil},
		{"empty object", "{}", "missing schema_version", nil},
		{"missing schema_version", `{"taken_at":"2026-11-01T09:00:00Z","accounts":[]}`, "missing schema_version", nil},
		{"older schema_version", `{"schema_version":0,"accounts":[]}`, "older recoverscan", snapshot.ErrSchemaVersion},
		{"newer schema_version", `{"schema_version":2,"accounts":[]}`, "newer recoverscan; upgrade", snapshot.ErrSchemaVersion},
		{"string schema_version", `{"schema_version":"1","accounts":[]}`, `schema_version "1"`, snapshot.ErrSchemaVersion},
		{"fractional schema_version", `{"schema_version":1.5,"accounts":[]}`, "schema_version 1.5", snapshot.ErrSchemaVersion},
		{"null schema_version", `{"schema_version":null,"accounts":[]}`, "schema_version null", snapshot.ErrSchemaVersion},
		{"missing accounts", `{` + header + `}`, "missing accounts", nil},
		{"accounts not an array", `{` + header + `,"accounts":{}}`, `expected "["`, nil},
		{"unknown header key", `{` + header + `,"owner":"me","accounts":[]}`, `unknown field "owner"`, nil},
		{"wrong header type", `{"schema_version":1,"pseudonymized":"yes","accounts":[]}`, "header", nil},
		{"bad taken_at", `{"schema_version":1,"taken_at":"yesterday","accounts":[]}`, "header", nil},
		{"header after accounts", `{"schema_version":1,"accounts":[],"tool":{}}`, `key "tool" after accounts`, nil},
		{"duplicate header key", `{"schema_version":1,"schema_version":2,"accounts":[]}`, `duplicate key "schema_version"`, nil},
		{"duplicate accounts", `{` + header + `,"accounts":[],"accounts":[]}`, `duplicate key "accounts"`, nil},
		{"unknown account key", doc(`{"id":"1","owner":"me","identity_read":` + src + `,"regions":[]}`), `unknown account key "owner"`, nil},
		{"account key after regions", doc(`{"identity_read":` + src + `,"regions":[],"id":"1"}`), `account key "id" after regions`, nil},
		{"duplicate account id", doc(`{"id":"1","id":"2","identity_read":` + src + `,"regions":[]}`), `duplicate key "id" in accounts[0]`, nil},
		{"account without identity_read", doc(`{"id":"1","regions":[]}`), "missing identity_read", nil},
		{"account without regions", doc(`{"id":"1","identity_read":` + src + `}`), "no regions array", nil},
		{"account not an object", doc(`[]`), `account: expected "{"`, nil},
		{"unknown region key", doc(account(region(`,"zone":"a"`, ""))), `unknown region key "zone"`, nil},
		{"region without a name", doc(account(`{"pools_read":` + src + `,"sms":[],"email":[],"pools":[]}`)), "region without a name", nil},
		{"region without sms", doc(account(`{"name":"eu-west-1","pools_read":` + src + `,"email":[],"pools":[]}`)), "missing sms", nil},
		{"region without pools", doc(account(`{"name":"eu-west-1","pools_read":` + src + `,"sms":[],"email":[]}`)), "no pools array", nil},
		{"region state after pools", doc(account(`{"name":"eu-west-1","pools_read":` + src + `,"sms":[],"email":[],"pools":[],"zone":"a"}`)), "region state must come before pools", nil},
		{"duplicate region key", doc(account(region(`,"sms":[]`, ""))), `duplicate key "sms" in accounts[0].regions[0]`, nil},
		{"unknown SMS state key", doc(account(`{"name":"eu-west-1","pools_read":` + src + `,"sms":[{"region":"eu-west-1","carrier":"x"}],"email":[],"pools":[]}`)), `unknown field "carrier"`, nil},
		{"unknown pool key", doc(account(region("", pool(`,"colour":"blue"`, user1, trailer)))), `unknown field "colour"`, nil},
		{"pool without an id", doc(account(region("", `{"name":"x","users":[],"users_read":`+src+`,"users_listed":0}`))), "pool without an id", nil},
		{"pool settings after users", doc(account(region("", pool("", user1, `,"name":"late"`+trailer)))), "pool settings must come before users", nil},
		{"users_read before users", doc(account(region("", `{"id":"p","users_read":`+src+`,"users":[],"users_listed":0}`))), `pool key "users_read" before users`, nil},
		{"duplicate pool key", doc(account(region("", pool(`,"id":"again"`, user1, trailer)))), `duplicate key "id" in accounts[0].regions[0].pools[0]`, nil},
		{"duplicate users", doc(account(region("", pool("", user1, `,"users":[]`+trailer)))), `duplicate key "users"`, nil},
		{"duplicate users_read", doc(account(region("", pool("", user1, usersRead+trailer)))), `duplicate key "users_read"`, nil},
		{"pool without users", doc(account(region("", `{"id":"p"}`))), "has no users array", nil},
		{"pool without users_read", doc(account(region("", pool("", user1, `,"users_listed":1`)))), "missing users_read", nil},
		{"pool without users_listed", doc(account(region("", pool("", user1, usersRead)))), "missing users_listed", nil},
		{"users not an array", doc(account(region("", `{"id":"p","users":{}}`))), `users: expected "["`, nil},
		{"users_listed not a number", doc(account(region("", pool("", user1, usersRead+`,"users_listed":"1"`)))), "users_listed", nil},
		{"unknown user key", doc(account(region("", pool("", `{"username":"u","email_address":"u@example.com"}`, trailer)))), `unknown field "email_address"`, nil},
		{"user of the wrong type", doc(account(region("", pool("", `["u"]`, trailer)))), "decoding user", nil},
		{"null user", doc(account(region("", pool("", `null`, trailer)))), "user is null", nil},
		{"user field of the wrong type", doc(account(region("", pool("", `{"enabled":"yes"}`, trailer)))), "decoding user", nil},
		{"trailing garbage", okDoc + "garbage", "unexpected data after the snapshot", nil},
		{"second document", okDoc + okDoc, "unexpected data after the snapshot", nil},
		{"trailing bracket", okDoc + "]", "unexpected data after the snapshot", nil},
		{"unclosed", okDoc[:len(okDoc)-1], "truncated", io.ErrUnexpectedEOF},
		{"unterminated string", `{"schema_version`, "truncated", io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := snapshot.Read(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("Read succeeded on\n%s", tt.in)
			}
			var fe *snapshot.FormatError
			if !errors.As(err, &fe) {
				t.Errorf("error %v (%T) is not a *FormatError", err, err)
			}
			if !strings.HasPrefix(err.Error(), "snapshot: ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v does not wrap %v", err, tt.is)
			}
			t.Log(err)
			// Walk agrees with Read.
			if werr := snapshot.Walk(strings.NewReader(tt.in), snapshot.Visitor{}); werr == nil || werr.Error() != err.Error() {
				t.Errorf("Walk: %v, Read: %v", werr, err)
			}
		})
	}
}

// TestTruncated cuts valid documents short at many points: every strict
// prefix of a document must fail to read, as truncated, never succeed.
func TestTruncated(t *testing.T) {
	docs := []struct {
		name string
		b    []byte
		step int
	}{
		{"small", []byte(okDoc), 1},
		{"sample", marshal(t, sampleSnapshot()), 7},
	}
	for _, d := range docs {
		t.Run(d.name, func(t *testing.T) {
			full := bytes.TrimRight(d.b, " \n")
			cuts := 0
			for n := 0; n < len(full); n += d.step {
				cuts++
				_, err := snapshot.Read(bytes.NewReader(full[:n]))
				if err == nil {
					t.Fatalf("Read succeeded on a document cut at byte %d of %d: ...%s", n, len(full), tail(full[:n]))
				}
				want := "truncated"
				if n == 0 {
					want = "empty input"
				}
				if !strings.Contains(err.Error(), want) {
					t.Errorf("cut at byte %d (...%s): %v, want it to say %s", n, tail(full[:n]), err, want)
				}
			}
			if cuts < 100 {
				t.Errorf("only %d cuts", cuts)
			}
		})
	}
}

func tail(b []byte) string {
	if len(b) > 40 {
		b = b[len(b)-40:]
	}
	return string(b)
}

func TestFormatError(t *testing.T) {
	_, err := snapshot.Read(strings.NewReader(`{"schema_version":7,"accounts":[]}`))
	var fe *snapshot.FormatError
	if !errors.As(err, &fe) {
		t.Fatalf("%v is not a *FormatError", err)
	}
	if fe.Offset <= 0 {
		t.Errorf("Offset = %d, want where reading stopped", fe.Offset)
	}
	if want := "snapshot: schema_version 7, this build reads 1 (written by a newer recoverscan; upgrade to read it)"; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("message %q, want it to start %q", err, want)
	}
}

// TestFastAndGeneralPathsAgree reads users written as the writer writes
// them (the fast path) and the same users spelled otherwise (whitespace,
// escapes, nulls, other key orders: the general path), and checks that
// both read the same, and as the encoding/json reader does.
func TestFastAndGeneralPathsAgree(t *testing.T) {
	base := marshal(t, sampleSnapshot())
	variants := map[string]func(string) string{
		"as written": func(s string) string { return s },
		"indented": func(s string) string {
			var b bytes.Buffer
			if err := json.Indent(&b, []byte(s), "", "\t"); err != nil {
				t.Fatal(err)
			}
			return b.String()
		},
		"escaped":       strings.NewReplacer(`"username":"`, `"username":"\u0020`, `"status":"CONFIRMED"`, `"status":"CONFIRM\u0045D"`).Replace,
		"escaped slash": strings.NewReplacer(`:"s`, `:"\/s`).Replace,
		"keys reordered": strings.NewReplacer(`"enabled":true,"created_at":`, `"created_at":`,
			`,"email":{"present":true`, `,"enabled":true,"email":{"present":true`).Replace,
		"null lists":  strings.NewReplacer(`"methods":[]`, `"methods":null`).Replace,
		"null time":   strings.NewReplacer(`"created_at":"2`, `"created_at":null,"last_modified_at":"2`).Replace,
		"unknown key": strings.NewReplacer(`"sub":`, `"x":1,"sub":`).Replace,
	}
	for name, variant := range variants {
		t.Run(name, func(t *testing.T) {
			in := []byte(variant(string(base)))
			got, err := snapshot.Read(bytes.NewReader(in))
			oldErr := snapshot.WalkEncodingJSON(bytes.NewReader(in), snapshot.Visitor{})
			if (err == nil) != (oldErr == nil) {
				t.Fatalf("Read: %v, the encoding/json reader: %v", err, oldErr)
			}
			if err != nil {
				return
			}
			want := readVia(snapshot.WalkEncodingJSON, in)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("the reader and the encoding/json reader disagree:\n%+v\n%+v", got, want)
			}
		})
	}
}

// TestNumbers: every form of JSON number reads where the model has one,
// as the encoding/json reader reads it, and malformed ones are refused.
func TestNumbers(t *testing.T) {
	spend := func(n string) string {
		return doc(account(`{"name":"eu-west-1","pools_read":` + src + `,"sms":[{"region":"eu-west-1","spend":{"month_to_date_usd":` + n + `}}],"email":[],"pools":[]}`))
	}
	for _, n := range []string{"0", "-0", "12", "1.5", "-1.25", "1e3", "1.5e3", "1.5E+3", "2e-2", "0.0", "-0.5e-1"} {
		in := spend(n)
		got, err := snapshot.Read(strings.NewReader(in))
		if err != nil {
			t.Errorf("%s: %v", n, err)
			continue
		}
		if want := readVia(snapshot.WalkEncodingJSON, []byte(in)); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: read differently from the encoding/json reader", n)
		}
	}
	for _, n := range []string{"01", "1.", ".5", "1e", "1e+", "+1", "-", "1.e3", "0x1", "1_000", "--1"} {
		if _, err := snapshot.Read(strings.NewReader(spend(n))); err == nil {
			t.Errorf("%s: accepted", n)
		}
		if err := snapshot.WalkEncodingJSON(strings.NewReader(spend(n)), snapshot.Visitor{}); err == nil {
			t.Errorf("%s: the encoding/json reader accepts it", n)
		}
	}
}
