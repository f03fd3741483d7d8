package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"time"

	"github.com/recoverscan/recoverscan/collector/atomicfile"
)

// defaultEvalMemory is the default of --eval-memory: far above the 50 MiB a
// scan of millions of users takes, far below what runs a machine out of
// memory.
const defaultEvalMemory = 2 << 30

// errEvalMemory is the cause of an evaluation stopped by --eval-memory.
var errEvalMemory = errors.New("--eval-memory reached")

// memorySample is how often the memory in use is measured while rules run.
const memorySample = 5 * time.Millisecond

// hardStop, when set (by main), ends the program when an evaluation
// stopped for memory does not end by itself: a rule's builtin that does
// not look at the context could otherwise go on allocating.
var hardStop func(msg string)

// watchMemory cancels the evaluation with errEvalMemory once the program
// holds more than limit bytes, until done closes. It also makes the
// garbage collector keep the heap under the limit while it can, so that
// only memory a rule really holds stops it.
func watchMemory(ctx context.Context, done <-chan struct{}, limit int64, cancel context.CancelCauseFunc) {
	old := debug.SetMemoryLimit(limit)
	defer debug.SetMemoryLimit(old)
	tick := time.NewTicker(memorySample)
	defer tick.Stop()
	var stoppedAt time.Time
	for {
		select {
		case <-done:
			return
		case <-tick.C:
		}
		used := memoryInUse()
		if stoppedAt.IsZero() {
			if used > limit {
				stoppedAt = time.Now()
				cancel(errEvalMemory)
			}
			continue
		}
		// Stopped, but still running: give it a moment to unwind.
		if hardStop != nil && (used > limit+limit/2 || time.Since(stoppedAt) > 2*time.Second) {
			hardStop(fmt.Sprintf("rule evaluation held more than --eval-memory %s and did not stop: a custom rule may build too much (or raise --eval-memory)", formatSize(limit)))
		}
	}
}

// memoryInUse is the memory the Go runtime holds from the system, less
// what it has returned: what the memory limit bounds.
func memoryInUse() int64 {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64()) - int64(s[1].Value.Uint64())
}

// exitNow is hardStop for the real program: it says why, removes the
// temporary files and exits with code 3.
func exitNow(msg string) {
	atomicfile.RemoveTemporary()
	fmt.Fprintln(os.Stderr, "recoverscan: "+msg)
	os.Exit(exitIncomplete)
}

// sizeValue is a flag of a byte size: 2GiB, 512MiB, 100MB, 4096, or 0.
type sizeValue int64

func (s *sizeValue) String() string { return formatSize(int64(*s)) }

func (s *sizeValue) Type() string { return "size" }

func (s *sizeValue) Set(v string) error {
	n, err := parseSize(v)
	if err != nil {
		return err
	}
	*s = sizeValue(n)
	return nil
}

var sizeUnits = []struct {
	suffix string
	factor int64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
	{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
	{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"T", 1 << 40}, {"B", 1},
}

// parseSize reads a byte size; 0 means no limit.
func parseSize(v string) (int64, error) {
	s := strings.TrimSpace(v)
	factor := int64(1)
	for _, u := range sizeUnits {
		if strings.HasSuffix(strings.ToUpper(s), strings.ToUpper(u.suffix)) {
			s, factor = strings.TrimSpace(s[:len(s)-len(u.suffix)]), u.factor
			break
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f*float64(factor) > 1<<62 {
		return 0, fmt.Errorf("%q: want a size such as 2GiB, 512MiB or 0 (no limit)", v)
	}
	n := int64(f * float64(factor))
	if n > 0 && n < 16<<20 {
		return 0, fmt.Errorf("%q: below 16MiB the program itself does not fit", v)
	}
	return n, nil
}

// formatSize writes a byte size in the largest binary unit that divides it.
func formatSize(n int64) string {
	for _, u := range []struct {
		suffix string
		factor int64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.factor && n%u.factor == 0 {
			return strconv.FormatInt(n/u.factor, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}
