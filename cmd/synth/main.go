// Command synth writes a synthetic snapshot of any size, for benchmarks and
// load tests:
//
//	go run ./cmd/synth -users 1000000 -seed 1 -o big.json
//	go run ./cmd/synth -users 1000000 -o big.json.zst   # compressed: .gz or .zst
//
// The same seed and size always give the same file. Every name, address and
// number in it is invented.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/recoverscan/recoverscan/collector/atomicfile"
	"github.com/recoverscan/recoverscan/collector/snapshot"
	"github.com/recoverscan/recoverscan/collector/synth"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "synth:", err)
		os.Exit(2)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("synth", flag.ContinueOnError)
	users := fs.Int("users", 10000, "number of users, spread over the demo pools")
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same snapshot")
	out := fs.String("o", "", "write the snapshot to this file (default: standard output)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if *users < 0 {
		return fmt.Errorf("-users must not be negative, got %d", *users)
	}
	opts := synth.Options{Users: *users, Seed: *seed}
	if *out == "" {
		bw := bufio.NewWriterSize(stdout, 1<<20)
		if err := synth.Write(bw, opts); err != nil {
			return err
		}
		return bw.Flush()
	}
	f, err := atomicfile.Create(*out)
	if err != nil {
		return err
	}
	defer f.Abort()
	// Compressed as the name says: .gz or .zst.
	cw := snapshot.NewCompressor(f, snapshot.CompressionFor(*out))
	bw := bufio.NewWriterSize(cw, 1<<20)
	if err := synth.Write(bw, opts); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	if err := cw.Close(); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	return f.Commit()
}
