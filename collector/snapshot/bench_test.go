package snapshot_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/recoverscan/recoverscan/collector/snapshot"
	"github.com/recoverscan/recoverscan/collector/synth"
)

// benchFile returns a synthetic snapshot of n users (seed 1), written as
// name says (plain, .gz or .zst), generated once into
// $RECOVERSCAN_BENCH_DIR (default: the OS temporary directory).
func benchFile(b *testing.B, n int, ext string) string {
	b.Helper()
	dir := os.Getenv("RECOVERSCAN_BENCH_DIR")
	if dir == "" {
		dir = os.TempDir()
	}
	path := filepath.Join(dir, fmt.Sprintf("recoverscan-bench-%d-seed1-v%d.json%s", n, snapshot.SchemaVersion, ext))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp, err := os.CreateTemp(dir, "recoverscan-bench-*.tmp")
	if err != nil {
		b.Fatal(err)
	}
	defer os.Remove(tmp.Name())
	cw := snapshot.NewCompressor(tmp, snapshot.CompressionFor(path))
	w := bufio.NewWriterSize(cw, 1<<20)
	if err := synth.Write(w, synth.Options{Users: n, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := cw.Close(); err != nil {
		b.Fatal(err)
	}
	if err := tmp.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		b.Fatal(err)
	}
	return path
}

var benchUsers = []struct {
	name  string
	users int
}{{"10k", 10_000}, {"100k", 100_000}, {"1M", 1_000_000}}

// BenchmarkWalk reads synthetic snapshots from disk with the reader
// (scanner) and, side by side, with the reader as it was (encoding/json),
// plain and compressed, counting users as validate does:
//
//	go test ./collector/snapshot -run '^$' -bench 'Walk/1M' -benchtime 3x
func BenchmarkWalk(b *testing.B) {
	readers := []struct {
		name string
		walk func(io.Reader, snapshot.Visitor) error
	}{{"scanner", snapshot.Walk}, {"encoding-json", snapshot.WalkEncodingJSON}}
	for _, size := range benchUsers {
		for _, ext := range []string{"", ".gz", ".zst"} {
			for _, rd := range readers {
				if ext != "" && rd.name != "scanner" {
					continue
				}
				b.Run(size.name+"/"+rd.name+ext, func(b *testing.B) {
					path := benchFile(b, size.users, ext)
					fi, err := os.Stat(path)
					if err != nil {
						b.Fatal(err)
					}
					b.SetBytes(fi.Size())
					b.ReportAllocs()
					for b.Loop() {
						f, err := os.Open(path)
						if err != nil {
							b.Fatal(err)
						}
						users := 0
						err = rd.walk(f, snapshot.Visitor{User: func(*snapshot.User) error { users++; return nil }})
						f.Close()
						if err != nil {
							b.Fatal(err)
						}
						if users != size.users {
							b.Fatalf("%d users, want %d", users, size.users)
						}
					}
					b.ReportMetric(float64(size.users)*float64(b.N)/b.Elapsed().Seconds(), "users/s")
				})
			}
		}
	}
}

// BenchmarkWrite writes a synthetic snapshot of 100,000 users, plain and
// compressed, to memory.
func BenchmarkWrite(b *testing.B) {
	for _, ext := range []string{"", ".gz", ".zst"} {
		b.Run("100k"+ext, func(b *testing.B) {
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				cw := snapshot.NewCompressor(&buf, snapshot.CompressionFor("s.json"+ext))
				if err := synth.Write(cw, synth.Options{Users: 100_000, Seed: 1}); err != nil {
					b.Fatal(err)
				}
				if err := cw.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(buf.Len()), "bytes")
		})
	}
}
