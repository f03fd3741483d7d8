package inputschema

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

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
