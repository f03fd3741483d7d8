package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/recoverscan/recoverscan/policies"
)

// defaultEvalTimeout is the default of --eval-timeout.
const defaultEvalTimeout = 10 * time.Minute

// errEvalTimeout is the cause of an evaluation stopped by --eval-timeout.
var errEvalTimeout = errors.New("--eval-timeout reached")

// evalLimits bound an evaluation: the time the rules take and the memory
// the program holds while they run (none when <= 0).
type evalLimits struct {
	time   time.Duration
	memory int64
}

// evaluate evaluates the snapshot r within the limits, handing each finding
// to emit.
// The time limit counts the time the rules take, not the time spent waiting
// for the snapshot: in a live scan, users arrive as fast as AWS lists them.
// A rule that runs too long, or makes the program hold more memory than
// the memory limit, stops the evaluation with an error that says so and
// names the custom rules that were running; a live scan's collection then
// stops too.
func evaluate(ctx context.Context, e *policies.Engine, r io.Reader, limits evalLimits, emit func(*policies.Finding) error) (*policies.Report, error) {
	limit := limits.time
	if limit <= 0 && limits.memory <= 0 {
		return e.Stream(ctx, r, emit)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	done := make(chan struct{})
	defer close(done)
	if limits.memory > 0 {
		go watchMemory(ctx, done, limits.memory, cancel)
	}
	b := &budgetReader{r: r, start: time.Now()}
	if limit > 0 {
		go func() {
			tick := time.NewTicker(min(max(limit/20, time.Millisecond), time.Second))
			defer tick.Stop()
			for {
				select {
				case <-done:
					return
				case <-ctx.Done():
					return
				case now := <-tick.C:
					if b.used(now) >= limit {
						cancel(errEvalTimeout)
						return
					}
				}
			}
		}()
	}
	report, err := e.Stream(ctx, b, emit)
	switch cause := context.Cause(ctx); {
	case err == nil:
	case errors.Is(cause, errEvalTimeout):
		return nil, fmt.Errorf("rule evaluation took longer than --eval-timeout %s, a custom rule may be too slow (or raise --eval-timeout for a very large snapshot): %w", limit, err)
	case errors.Is(cause, errEvalMemory):
		return nil, fmt.Errorf("rule evaluation held more than --eval-memory %s, a custom rule may build too much (or raise --eval-memory): %w", formatSize(limits.memory), err)
	}
	return report, err
}

// budgetReader measures how long its reader keeps the evaluation waiting.
type budgetReader struct {
	r     io.Reader
	start time.Time

	mu      sync.Mutex
	waited  time.Duration
	readAt  time.Time // start of the Read in progress, if any
	reading bool
}

func (b *budgetReader) Read(p []byte) (int, error) {
	b.mu.Lock()
	b.readAt, b.reading = time.Now(), true
	b.mu.Unlock()
	n, err := b.r.Read(p)
	b.mu.Lock()
	b.waited += time.Since(b.readAt)
	b.reading = false
	b.mu.Unlock()
	return n, err
}

// used is the time the evaluation has taken by now, waiting excluded.
func (b *budgetReader) used(now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	waited := b.waited
	if b.reading {
		waited += now.Sub(b.readAt)
	}
	return now.Sub(b.start) - waited
}
