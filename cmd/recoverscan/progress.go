package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/recoverscan/recoverscan/collector"
	"github.com/recoverscan/recoverscan/output"
	"github.com/recoverscan/recoverscan/policies"
)

// showProgress is false under --quiet.
var showProgress = true

// newProgress returns a progress callback that keeps one status line on w
// while users are listed, or nil when w is not a terminal (logs and CI get
// no carriage-return noise) or --quiet asked for silence.
func newProgress(w io.Writer) func(collector.ProgressEvent) {
	f, ok := w.(*os.File)
	if !ok || !showProgress || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	p := &progress{w: w}
	return p.update
}

// evalProgress is newProgress for evaluating a saved snapshot: the same
// status line, counting users evaluated.
func evalProgress(w io.Writer) func(policies.Progress) {
	show := newProgress(w)
	if show == nil {
		return nil
	}
	return func(p policies.Progress) {
		show(collector.ProgressEvent{
			Account: p.Account, Region: p.Region, PoolID: p.PoolID,
			UsersDone: p.UsersDone, EstimatedTotal: p.EstimatedUsers, Done: p.Done,
		})
	}
}

type progress struct {
	mu    sync.Mutex
	w     io.Writer
	pool  string
	start time.Time
	last  time.Time
}

func (p *progress) update(ev collector.ProgressEvent) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if ev.PoolID != p.pool {
		p.pool, p.start = ev.PoolID, now
	}
	if !ev.Done && now.Sub(p.last) < 200*time.Millisecond {
		return
	}
	p.last = now
	rate := ""
	if secs := now.Sub(p.start).Seconds(); secs > 1 {
		rate = fmt.Sprintf(", %.0f/s", float64(ev.UsersDone)/secs)
	}
	total := ""
	if ev.EstimatedTotal > 0 {
		total = fmt.Sprintf(" of ~%d", ev.EstimatedTotal)
	}
	fmt.Fprintf(p.w, "\r\x1b[K%s %s: %d%s users%s", output.Terminal(ev.Region), output.Terminal(ev.PoolID), ev.UsersDone, total, rate)
	if ev.Done {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
