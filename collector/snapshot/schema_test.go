package snapshot_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/recoverscan/recoverscan/collector/demo"
	"github.com/recoverscan/recoverscan/collector/snapshot"
)

const draft07 = "http://json-schema.org/draft-07/schema#"

// schemaDoc is the snapshot schema as plain JSON values.
func schemaDoc(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(snapshot.Schema, &doc); err != nil {
		t.Fatalf("snapshot.schema.json: %v", err)
	}
	return doc
}

// compileSchema compiles the snapshot schema, validating it against the
// draft-07 meta-schema, with formats (date-time) asserted.
func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(snapshot.Schema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	c.AssertFormat()
	if err := c.AddResource("snapshot.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("snapshot.schema.json")
	if err != nil {
		t.Fatalf("compile snapshot.schema.json: %v", err)
	}
	return sch
}

func validate(sch *jsonschema.Schema, b []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

func TestSchemaIsDraft07(t *testing.T) {
	if got := schemaDoc(t)["$schema"]; got != draft07 {
		t.Errorf("$schema = %v, want %s (OPA's type checker reads draft-07)", got, draft07)
	}
	compileSchema(t)
}

// TestWriterOutputMatchesSchema validates snapshots written by the Writer
// against the schema.
func TestWriterOutputMatchesSchema(t *testing.T) {
	sch := compileSchema(t)
	for name, s := range map[string]*snapshot.Snapshot{
		"sample": sampleSnapshot(),
		"demo":   demo.Snapshot(),
		"empty":  {Header: snapshot.Header{TakenAt: takenAt}},
	} {
		t.Run(name, func(t *testing.T) {
			b := marshal(t, s)
			if err := validate(sch, b); err != nil {
				t.Errorf("%v", err)
			}
		})
	}
}

// TestSchemaRejects checks that the schema is strict: each change to a
// valid snapshot must fail validation.
func TestSchemaRejects(t *testing.T) {
	sch := compileSchema(t)
	valid := string(marshal(t, sampleSnapshot()))
	if err := validate(sch, []byte(valid)); err != nil {
		t.Fatal(err)
	}
	for name, change := range map[string][2]string{
		"unknown user key":      {`"username":"alice",`, `"username":"alice","email_address":"a@example.com",`},
		"unknown header key":    {`"pseudonymized":false`, `"pseudonymized":false,"owner":"me"`},
		"unknown source status": {`"status":"denied"`, `"status":"forbidden"`},
		"missing required":      {`"users_listed":3`, `"users_listed_x":3`},
		"null list":             {`"alias_attributes":["preferred_username"]`, `"alias_attributes":null`},
		"wrong type":            {`"enabled":true`, `"enabled":"true"`},
		"other schema_version":  {`"schema_version":1`, `"schema_version":2`},
		"bad date-time":         {`"taken_at":"2026-11-01T09:30:00Z"`, `"taken_at":"1 November 2026"`},
		"bad country":           {`"country":"GB"`, `"country":"United Kingdom"`},
		"bad account id":        {`"id":"111122223333"`, `"id":"1111"`},
		"bad mechanism":         {`"name":"verified_email"`, `"name":"email"`},
		"username too long":     {`"username":"alice"`, `"username":"` + strings.Repeat("a", snapshot.MaxUsernameLen+1) + `"`},
	} {
		t.Run(name, func(t *testing.T) {
			if !strings.Contains(valid, change[0]) {
				t.Fatalf("the sample has no %s", change[0])
			}
			if err := validate(sch, []byte(strings.Replace(valid, change[0], change[1], 1))); err == nil {
				t.Errorf("replacing %s with %s still validates", change[0], change[1])
			}
		})
	}
}

// TestSchemaMatchesModel keeps the schema and the Go model in step: every
// json-tagged field of every model struct is a property of the matching
// definition (the root for Snapshot) with a compatible type, required
// unless omitempty, and every property is such a field.
func TestSchemaMatchesModel(t *testing.T) {
	doc := schemaDoc(t)
	defs, _ := doc["definitions"].(map[string]any)
	if defs == nil {
		t.Fatal("no definitions")
	}
	m := &modelCheck{t: t, doc: doc, structs: map[string]reflect.Type{}}
	m.object("(root)", doc, reflect.TypeFor[snapshot.Snapshot]())
	// PoolSettings is only embedded in Pool, yet it is what rules get as
	// input.pool, so it has a definition of its own.
	m.collect(reflect.TypeFor[snapshot.PoolSettings]())

	for name, typ := range m.structs {
		if name == "Snapshot" || name == "Header" {
			continue // the root; Header is only ever embedded in it
		}
		def, ok := defs[name].(map[string]any)
		if !ok {
			t.Errorf("model type %s has no definition in the schema", name)
			continue
		}
		m.object(name, def, typ)
	}
	for name := range defs {
		if _, ok := m.structs[name]; !ok {
			t.Errorf("definition %s matches no model type", name)
		}
	}
}

type modelCheck struct {
	t       *testing.T
	doc     map[string]any
	structs map[string]reflect.Type // every struct type reached, by name
}

// jsonField is a struct field as encoding/json sees it.
type jsonField struct {
	name      string
	typ       reflect.Type
	omitempty bool
}

// fields lists t's JSON fields, with embedded structs' fields promoted as
// encoding/json promotes them.
func fields(t reflect.Type) []jsonField {
	var out []jsonField
	for f := range t.Fields() {
		tag, hasTag := f.Tag.Lookup("json")
		if f.Anonymous && !hasTag {
			out = append(out, fields(f.Type)...)
			continue
		}
		if !f.IsExported() || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		out = append(out, jsonField{name: name, typ: f.Type, omitempty: slices.Contains(strings.Split(opts, ","), "omitempty")})
	}
	return out
}

// collect records t and the struct types it refers to.
func (m *modelCheck) collect(t reflect.Type) {
	switch t.Kind() {
	case reflect.Slice, reflect.Pointer, reflect.Map:
		m.collect(t.Elem())
	case reflect.Struct:
		if t == reflect.TypeFor[time.Time]() {
			return
		}
		if _, seen := m.structs[t.Name()]; seen {
			return
		}
		m.structs[t.Name()] = t
		for f := range t.Fields() {
			m.collect(f.Type)
		}
	}
}

// object checks an object schema against a struct type.
func (m *modelCheck) object(where string, s map[string]any, t reflect.Type) {
	m.collect(t)
	if s["type"] != "object" {
		m.t.Errorf("%s: type %v, want object", where, s["type"])
	}
	if s["additionalProperties"] != false {
		m.t.Errorf("%s: additionalProperties must be false", where)
	}
	props, _ := s["properties"].(map[string]any)
	var required []string
	for _, r := range asSlice(s["required"]) {
		required = append(required, r.(string))
	}
	seen := map[string]bool{}
	for _, f := range fields(t) {
		seen[f.name] = true
		where := where + "." + f.name
		p, ok := props[f.name]
		if !ok {
			m.t.Errorf("%s: field %s.%s is not in the schema", where, t.Name(), f.name)
			continue
		}
		m.compatible(where, p, f.typ)
		if isRequired := slices.Contains(required, f.name); isRequired == f.omitempty {
			m.t.Errorf("%s: required is %v, but the writer %s", where, isRequired,
				map[bool]string{true: "omits it when empty", false: "always emits it"}[f.omitempty])
		}
	}
	for name := range props {
		if !seen[name] {
			m.t.Errorf("%s: property %q is no field of %s", where, name, t.Name())
		}
	}
	for _, r := range required {
		if !seen[r] {
			m.t.Errorf("%s: required %q is no field of %s", where, r, t.Name())
		}
	}
}

// compatible checks that the schema s describes values of type t.
func (m *modelCheck) compatible(where string, s any, t reflect.Type) {
	node, def := m.resolve(where, s)
	if node == nil {
		return
	}
	want := ""
	switch {
	case t == reflect.TypeFor[time.Time]():
		if node["type"] != "string" || node["format"] != "date-time" {
			m.t.Errorf("%s: time.Time needs a string of format date-time, got %v", where, node)
		}
		return
	case t.Kind() == reflect.Struct:
		if def != t.Name() {
			m.t.Errorf("%s: %s should refer to #/definitions/%s, refers to %q", where, t, t.Name(), def)
		}
		return // the definition itself is checked on its own
	case t.Kind() == reflect.Slice:
		if node["type"] != "array" {
			m.t.Errorf("%s: %s needs type array, got %v", where, t, node["type"])
			return
		}
		m.compatible(where+"[]", node["items"], t.Elem())
		return
	case t.Kind() == reflect.String:
		want = "string"
	case t.Kind() == reflect.Bool:
		want = "boolean"
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		want = "integer"
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		want = "number"
	default:
		m.t.Errorf("%s: no schema mapping for Go type %s", where, t)
		return
	}
	if node["type"] != want {
		m.t.Errorf("%s: %s needs type %s, got %v", where, t, want, node["type"])
	}
}

// resolve follows $refs from s and returns the schema they lead to and the
// name of the last definition referred to.
func (m *modelCheck) resolve(where string, s any) (map[string]any, string) {
	node, _ := s.(map[string]any)
	def := ""
	for range 10 {
		if node == nil {
			m.t.Errorf("%s: schema is %v, not an object", where, s)
			return nil, ""
		}
		ref, ok := node["$ref"].(string)
		if !ok {
			return node, def
		}
		if name, ok := strings.CutPrefix(ref, "#/definitions/"); ok && !strings.Contains(name, "/") {
			def = name
		}
		node = pointer(m.doc, ref)
	}
	m.t.Errorf("%s: $ref chain too long", where)
	return nil, ""
}

// pointer resolves a local JSON pointer such as "#/definitions/User".
func pointer(doc map[string]any, ref string) map[string]any {
	path, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil
	}
	var cur any = doc
	for tok := range strings.SplitSeq(path, "/") {
		obj, _ := cur.(map[string]any)
		cur = obj[tok]
	}
	node, _ := cur.(map[string]any)
	return node
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

// TestSchemaDescriptions checks that every definition and every property
// says what it is, directly or through the schema it refers to: rule
// authors read these.
func TestSchemaDescriptions(t *testing.T) {
	doc := schemaDoc(t)
	m := &modelCheck{t: t, doc: doc}
	check := func(where string, obj map[string]any) {
		if d, _ := obj["description"].(string); strings.TrimSpace(d) == "" {
			t.Errorf("%s has no description", where)
		}
		props, _ := obj["properties"].(map[string]any)
		for name, p := range props {
			node, _ := p.(map[string]any)
			if d, _ := node["description"].(string); d != "" {
				continue
			}
			if target, _ := m.resolve(where+"."+name, p); target != nil {
				if d, _ := target["description"].(string); d != "" {
					continue
				}
			}
			t.Errorf("%s.%s has no description", where, name)
		}
	}
	check("(root)", doc)
	for name, def := range doc["definitions"].(map[string]any) {
		check(name, def.(map[string]any))
	}
}

// TestSchemaEnums checks the enums of values the model names as constants.
func TestSchemaEnums(t *testing.T) {
	doc := schemaDoc(t)
	enum := func(ref string) []string {
		var out []string
		for _, v := range asSlice(pointer(doc, ref)["enum"]) {
			out = append(out, v.(string))
		}
		return out
	}
	statuses := []string{}
	for _, s := range []snapshot.SourceStatus{
		snapshot.SourceOK, snapshot.SourceDenied, snapshot.SourceUnavailable, snapshot.SourceThrottled,
		snapshot.SourceError, snapshot.SourceSkipped, snapshot.SourceNotApplicable,
	} {
		statuses = append(statuses, string(s))
	}
	for _, tt := range []struct {
		ref   string
		model []string
		exact bool // the enum lists exactly the model's values
	}{
		{"#/definitions/Source/properties/status", statuses, true},
		{"#/definitions/RecoveryMechanism/properties/name", []string{snapshot.MechanismEmail, snapshot.MechanismPhone, snapshot.MechanismAdminOnly}, true},
		{"#/definitions/UserMFA/properties/methods/items", []string{snapshot.MFASMS, snapshot.MFAEmail, snapshot.MFATOTP}, true},
		{"#/definitions/UserMFA/properties/preferred", []string{snapshot.MFASMS, snapshot.MFAEmail, snapshot.MFATOTP, ""}, true},
		{"#/definitions/EmailConfig/properties/sending_account", []string{snapshot.EmailCognitoDefault, snapshot.EmailDeveloper, ""}, true},
		{"#/definitions/User/properties/status", []string{
			snapshot.StatusConfirmed, snapshot.StatusUnconfirmed, snapshot.StatusForceChangePassword,
			snapshot.StatusResetRequired, snapshot.StatusExternalProvider,
		}, false},
	} {
		got := enum(tt.ref)
		for _, v := range tt.model {
			if !slices.Contains(got, v) {
				t.Errorf("%s: enum %q lacks the model's %q", tt.ref, got, v)
			}
		}
		if tt.exact && len(got) != len(tt.model) {
			t.Errorf("%s: enum %q, want exactly %q", tt.ref, got, tt.model)
		}
	}
}
