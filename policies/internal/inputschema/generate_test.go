package inputschema

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/recoverscan/recoverscan/collector/demo"
	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// counts stand for the rules' declared counts; policies'
// TestInputSchemasUpToDate generates the committed files with the real ones.
var counts = []Count{{Name: "confirmed_without_verified_contact", Description: "CONFIRMED users with neither a verified email address nor a verified phone number."}}

func TestGenerateIsDeterministic(t *testing.T) {
	a, err := Generate(snapshot.Schema, counts)
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		b, err := Generate(snapshot.Schema, counts)
		if err != nil {
			t.Fatal(err)
		}
		for name := range a {
			if !bytes.Equal(a[name], b[name]) {
				t.Fatalf("%s differs between runs", name)
			}
		}
	}
}

// TestInputSchemaShapes checks each kind's top-level keys and that every
// reference was inlined.
func TestInputSchemaShapes(t *testing.T) {
	files, err := Generate(snapshot.Schema, counts)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"user":   {"account", "delivery", "email", "pool", "sms", "sms_alternate", "snapshot", "user"},
		"pool":   {"account", "email", "pool", "sms", "snapshot", "users"},
		"client": {"account", "client", "pool", "snapshot"},
	}
	for kind, keys := range want {
		b := files[kind+".json"]
		if bytes.Contains(b, []byte(`"$ref"`)) || bytes.Contains(b, []byte(`"definitions"`)) {
			t.Errorf("%s.json still has references", kind)
		}
		var doc struct {
			Schema     string                     `json:"$schema"`
			Properties map[string]json.RawMessage `json:"properties"`
			Required   []string                   `json:"required"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		var got []string
		for k := range doc.Properties {
			got = append(got, k)
		}
		slices.Sort(got)
		if !slices.Equal(got, keys) || !slices.Equal(doc.Required, keys) {
			t.Errorf("%s input: properties %v, required %v, want %v", kind, got, doc.Required, keys)
		}
		if doc.Schema != "http://json-schema.org/draft-07/schema#" {
			t.Errorf("%s input: $schema %q", kind, doc.Schema)
		}
	}
}

func TestInlineRejectsRecursion(t *testing.T) {
	root := node{"definitions": node{"A": node{"type": "object", "properties": node{"a": node{"$ref": "#/definitions/A"}}}}}
	if _, err := inline(root, node{"$ref": "#/definitions/A"}, nil); err == nil || !strings.Contains(err.Error(), "recursive") {
		t.Errorf("err = %v, want a recursion error", err)
	}
	if _, err := inline(root, node{"$ref": "#/definitions/B"}, nil); err == nil {
		t.Error("a dangling $ref was accepted")
	}
	if _, err := inline(root, node{"$ref": "other.json#/x"}, nil); err == nil {
		t.Error("a remote $ref was accepted")
	}
}

// compile compiles one generated input schema.
func compile(t *testing.T, files map[string][]byte, kind string) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(files[kind+".json"]))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(kind+".json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(kind + ".json")
	if err != nil {
		t.Fatalf("compile %s.json: %v", kind, err)
	}
	return s
}

func check(t *testing.T, s *jsonschema.Schema, in map[string]any) error {
	t.Helper()
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return s.Validate(v)
}

// TestInputSchemasAcceptInputs builds rule inputs the way the policies
// engine does (policies/README.md, "Inputs") from the demo snapshot and
// validates them against the generated schemas.
func TestInputSchemasAcceptInputs(t *testing.T) {
	files, err := Generate(snapshot.Schema, counts)
	if err != nil {
		t.Fatal(err)
	}
	userSchema, poolSchema, clientSchema := compile(t, files, "user"), compile(t, files, "pool"), compile(t, files, "client")

	// Go through the snapshot's JSON form, as the engine's rules see it.
	b, err := snapshot.Marshal(demo.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	s, err := snapshot.Read(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var users, clients, pools int
	var lastUser map[string]any
	for _, a := range s.Accounts {
		for _, r := range a.Regions {
			for _, p := range r.Pools {
				base := func() map[string]any {
					return map[string]any{
						"snapshot": map[string]any{"taken_at": s.TakenAt},
						"account":  map[string]any{"id": a.ID, "region": r.Name},
						"pool":     p.PoolSettings,
					}
				}
				withChannels := func() map[string]any {
					in := base()
					in["sms"] = smsFor(r, p.PoolSettings)
					in["email"] = emailFor(r, p.PoolSettings)
					return in
				}
				byStatus := map[string]int{}
				for _, u := range p.Users {
					in := withChannels()
					in["user"] = u
					alt := p.PoolSettings
					alt.SMS.Region = alt.SMS.AlternateRegion
					in["sms_alternate"] = smsFor(r, alt)
					none := map[string]any{"blocks": []any{}, "endangers": []any{}, "unread": []any{}}
					in["delivery"] = map[string]any{"sms": none, "email": none}
					if err := check(t, userSchema, in); err != nil {
						t.Errorf("user %s of pool %s: %v", u.Username, p.ID, err)
					}
					byStatus[u.Status]++
					users++
					lastUser = in
				}
				for _, c := range p.Clients.Items {
					in := base()
					in["client"] = c
					if err := check(t, clientSchema, in); err != nil {
						t.Errorf("client %s of pool %s: %v", c.ID, p.ID, err)
					}
					clients++
				}
				in := withChannels()
				in["users"] = map[string]any{
					"listed":         p.UsersListed,
					"read":           p.UsersRead,
					"by_status":      byStatus,
					"by_channel":     map[string]int{"email": 1, "sms": 2, "none": 0, "unknown": 0},
					"sms_by_country": map[string]int{"US": 2},

					"confirmed_without_verified_contact": 1,
				}
				if err := check(t, poolSchema, in); err != nil {
					t.Errorf("pool %s: %v", p.ID, err)
				}
				pools++
			}
		}
	}
	if users == 0 || clients == 0 || pools == 0 {
		t.Fatalf("the demo snapshot gave %d users, %d clients, %d pools", users, clients, pools)
	}

	// The schemas are closed: a misspelt field does not validate.
	var u map[string]any
	ub, _ := json.Marshal(lastUser["user"])
	_ = json.Unmarshal(ub, &u)
	u["emial_verified"] = true
	lastUser["user"] = u
	if err := check(t, userSchema, lastUser); err == nil {
		t.Error("a user with an unknown field validates")
	}
}

// smsFor and emailFor pick a pool's channel state as the engine does, or
// make the "not collected" stand-in it makes.
func smsFor(r snapshot.Region, p snapshot.PoolSettings) snapshot.SMSState {
	want := p.SMS.Region
	if want == "" {
		want = p.Region
	}
	for _, s := range r.SMS {
		if s.Region == want {
			return s
		}
	}
	missing := snapshot.Source{Status: snapshot.SourceError, Action: "sns:GetSMSAttributes", Error: "not collected for this pool"}
	return snapshot.SMSState{
		Region:             want,
		Attributes:         snapshot.SMSAttributes{Read: missing},
		Sandbox:            snapshot.SMSSandbox{Read: missing, DestinationsRead: missing},
		OriginationNumbers: snapshot.OriginationNumbers{Read: missing, Numbers: []snapshot.OriginationNumber{}},
		OptOuts:            snapshot.OptOuts{Read: missing},
		Spend:              snapshot.SMSSpend{Read: missing},
		EUMS: snapshot.EUMSState{
			Account:      snapshot.EUMSAccount{Read: missing},
			SpendLimit:   snapshot.EUMSSpendLimit{Read: missing},
			PhoneNumbers: snapshot.OriginationNumbers{Read: missing, Numbers: []snapshot.OriginationNumber{}},
			SenderIDs:    snapshot.SenderIDs{Read: missing, Items: []snapshot.SenderID{}},
		},
	}
}

func emailFor(r snapshot.Region, p snapshot.PoolSettings) snapshot.EmailState {
	for _, s := range r.Email {
		if p.Email.SourceARN != "" && s.Region == p.Email.SESRegion {
			return s
		}
	}
	na := snapshot.Source{Status: snapshot.SourceNotApplicable, Action: "ses:GetAccount"}
	return snapshot.EmailState{
		Account:            snapshot.SESAccount{Read: na},
		Identities:         []snapshot.EmailIdentity{},
		ConfigurationSets:  []snapshot.ConfigurationSet{},
		Suppression:        snapshot.Suppression{Read: na},
		VerifiedIdentities: snapshot.VerifiedIdentities{Read: na},
	}
}
