package policies

import (
	"bytes"
	"context"
	"os"
	"testing"
)

// TestRulesDocIsCurrent fails when RULES.md no longer matches the rules'
// METADATA.
func TestRulesDocIsCurrent(t *testing.T) {
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := WriteMarkdown(&want, e.Rules()); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("RULES.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Fatal("policies/RULES.md is stale; regenerate it with:\n  go run ./cmd/recoverscan rules --format markdown > policies/RULES.md")
	}
}
