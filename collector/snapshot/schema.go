package snapshot

import _ "embed"

// Schema is the JSON Schema (draft-07) of the snapshot document, with a
// definition per model type and a description on every property. Rule
// authors read it as the reference of the snapshot model; the per-kind rule
// input schemas under policies/schemas/input are generated from it by the
// policies, which own the rules' input (go generate ./policies).
//
//go:embed snapshot.schema.json
var Schema []byte
