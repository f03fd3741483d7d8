package snapshot

// WalkEncodingJSON is the reader as it was before the scanner, for tests
// and benchmarks that compare with it.
var WalkEncodingJSON = walkEncodingJSON

// WriteAll writes a whole in-memory snapshot with w and closes it, the
// path Write takes, for a Writer that Write does not make (a file's).
var WriteAll = (*Writer).writeAll
