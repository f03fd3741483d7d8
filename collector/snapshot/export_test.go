package snapshot

// WalkEncodingJSON is the reader as it was before the scanner, for tests
// and benchmarks that compare with it.
var WalkEncodingJSON = walkEncodingJSON
