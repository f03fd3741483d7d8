// Command genschema writes the rule input schemas, one per rule kind
// (policies/schemas/input/{user,pool,client}.json), from the snapshot
// schema. Every $ref is inlined, so OPA's type checker reads each file on
// its own, and every description comes from the snapshot schema, so rule
// authors see the same wording everywhere.
//
// Run it through go generate from the repository root:
//
//	go generate ./collector/snapshot
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

func main() {
	out := flag.String("out", "", "directory to write the input schemas to (required)")
	flag.Parse()
	if *out == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: genschema -out DIR")
		os.Exit(2)
	}
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "genschema:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	files, err := generate(snapshot.Schema)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if err := os.WriteFile(filepath.Join(dir, name), files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}
