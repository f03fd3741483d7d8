package policies

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/recoverscan/recoverscan/collector/snapshot"
	"github.com/recoverscan/recoverscan/collector/synth"
)

// benchSizes are the snapshot sizes the evaluation benchmarks run on.
var benchSizes = []struct {
	name  string
	users int
}{{"10k", 10_000}, {"100k", 100_000}, {"1M", 1_000_000}}

// benchSnapshot returns the path of a synthetic snapshot of n users,
// generating it once into the OS temporary directory (or
// $RECOVERSCAN_BENCH_DIR) and reusing it after.
func benchSnapshot(b *testing.B, n int) string {
	b.Helper()
	dir := os.Getenv("RECOVERSCAN_BENCH_DIR")
	if dir == "" {
		dir = os.TempDir()
	}
	path := filepath.Join(dir, fmt.Sprintf("recoverscan-bench-%d-seed1-v%d.json", n, snapshot.SchemaVersion))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp, err := os.CreateTemp(dir, "recoverscan-bench-*.tmp")
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(tmp, 1<<20)
	if err := synth.Write(w, synth.Options{Users: n, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	tmp.Close()
	if err := os.Rename(tmp.Name(), path); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkEvaluate measures evaluating every built-in rule over synthetic
// snapshots read from disk, findings streamed and counted, as a scan does.
// It reports users per second, bytes allocated per user and the process's
// peak resident memory (run one size at a time for a clean figure:
// -bench 'Evaluate/1M').
func BenchmarkEvaluate(b *testing.B) {
	e, err := New(context.Background(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, size := range benchSizes {
		b.Run(size.name, func(b *testing.B) {
			path := benchSnapshot(b, size.users)
			var findings int
			b.ReportAllocs()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for b.Loop() {
				findings = 0
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				_, err = e.Stream(context.Background(), f, func(*Finding) error { findings++; return nil })
				f.Close()
				if err != nil {
					b.Fatal(err)
				}
			}
			runtime.ReadMemStats(&after)
			users := float64(size.users) * float64(b.N)
			b.ReportMetric(users/b.Elapsed().Seconds(), "users/s")
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/users, "B/user")
			b.ReportMetric(float64(findings), "findings")
			b.ReportMetric(peakRSS(), "peak-RSS-MiB")
		})
	}
}

// BenchmarkMemo measures what the plan's memo saves: the same evaluation
// as BenchmarkEvaluate, with the memo and without, alternating in one run
// (-bench 'Memo/1M' -count 3).
func BenchmarkMemo(b *testing.B) {
	e, err := New(context.Background(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, size := range benchSizes[1:] {
		path := benchSnapshot(b, size.users)
		for _, memo := range []bool{true, false} {
			name := size.name + "/memo"
			if !memo {
				name = size.name + "/none"
			}
			b.Run(name, func(b *testing.B) {
				e.noMemo = !memo
				defer func() { e.noMemo = false }()
				for b.Loop() {
					f, err := os.Open(path)
					if err != nil {
						b.Fatal(err)
					}
					_, err = e.Stream(context.Background(), f, func(*Finding) error { return nil })
					f.Close()
					if err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(size.users)*float64(b.N)/b.Elapsed().Seconds(), "users/s")
			})
		}
	}
}

// BenchmarkDecode measures the floor: reading the same snapshots with the
// snapshot reader and doing nothing with the users.
func BenchmarkDecode(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(size.name, func(b *testing.B) {
			path := benchSnapshot(b, size.users)
			for b.Loop() {
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				err = snapshot.Walk(f, snapshot.Visitor{User: func(*snapshot.User) error { return nil }})
				f.Close()
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(size.users)*float64(b.N)/b.Elapsed().Seconds(), "users/s")
		})
	}
}

// peakRSS is the process's peak resident set size in MiB, from
// /proc/self/status where there is one (Linux), else 0.
func peakRSS() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	b, _ := io.ReadAll(f)
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return kb / 1024
		}
	}
	return 0
}

// BenchmarkTemporaryPasswords measures the users each evaluated on their
// own: those with a temporary password (FORCE_CHANGE_PASSWORD), whose
// expiry the plan's cut query reads from their last modification time.
// The users are the 100k snapshot's with that status, about 3,000, read
// from memory.
func BenchmarkTemporaryPasswords(b *testing.B) {
	f, err := os.Open(benchSnapshot(b, 100_000))
	if err != nil {
		b.Fatal(err)
	}
	s, err := snapshot.Read(f)
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	users := 0
	for ai := range s.Accounts {
		for ri := range s.Accounts[ai].Regions {
			for pi := range s.Accounts[ai].Regions[ri].Pools {
				p := &s.Accounts[ai].Regions[ri].Pools[pi]
				p.Users = slices.DeleteFunc(p.Users, func(u snapshot.User) bool { return u.Status != "FORCE_CHANGE_PASSWORD" })
				users += len(p.Users)
			}
		}
	}
	data, err := snapshot.Marshal(s)
	if err != nil {
		b.Fatal(err)
	}
	e, err := New(context.Background(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := e.Stream(context.Background(), bytes.NewReader(data), func(*Finding) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(users), "users")
	b.ReportMetric(b.Elapsed().Seconds()*1e6/float64(users*b.N), "µs/user")
}
