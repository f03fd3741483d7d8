package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestFIFOSnapshotSignals: a snapshot named pipe that nobody writes to, or
// whose writer stalls half way, does not hang the program: SIGTERM and
// SIGINT stop it promptly with exit code 3, and the temporary files (the
// JSON report's findings spill file) are gone.
func TestFIFOSnapshotSignals(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no FIFOs")
	}
	dir := t.TempDir()
	snap := demoSnapshotFile(t, dir)
	data, err := os.ReadFile(snap)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		sig     os.Signal
		args    []string
		written int // bytes the writer writes before stalling; -1: no writer
	}{
		{"no writer, SIGTERM", syscall.SIGTERM, []string{"scan", "-f", "json"}, -1},
		{"no writer, SIGINT", os.Interrupt, []string{"validate"}, -1},
		{"stalled writer, SIGTERM", syscall.SIGTERM, []string{"scan", "-f", "json"}, len(data) / 2},
		{"stalled writer, SIGINT", os.Interrupt, []string{"explain", "--pool", "us-east-1_DemoCust1", "--user", "grace"}, len(data) / 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			fifo := filepath.Join(tmp, "snap.fifo")
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Fatal(err)
			}
			args := append([]string{}, tc.args...)
			switch args[0] {
			case "validate":
				args = append(args, fifo)
			default:
				args = append(args, "--snapshot", fifo)
			}
			if args[0] == "scan" {
				args = append(args, "-o", filepath.Join(tmp, "report.json"))
			}
			cmd := exec.Command(binary(t), args...)
			cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			if tc.written >= 0 {
				w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
				if err != nil {
					t.Fatal(err)
				}
				defer w.Close() // held open: the writer stalls
				if _, err := w.Write(data[:tc.written]); err != nil {
					t.Fatal(err)
				}
			}
			time.Sleep(500 * time.Millisecond)
			start := time.Now()
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err = <-done:
			case <-time.After(10 * time.Second):
				_ = cmd.Process.Kill()
				<-done
				t.Fatalf("%v still running 10 s after %v", args, tc.sig)
			}
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != exitIncomplete {
				t.Errorf("%v: %v after %v, want exit %d; stderr: %s", args, err, tc.sig, exitIncomplete, stderr.String())
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v to stop", d)
			}
			entries, _ := os.ReadDir(tmp)
			for _, e := range entries {
				if e.Name() != "snap.fifo" {
					t.Errorf("left behind: %s", e.Name())
				}
			}
			if !strings.Contains(stderr.String(), "signal received") {
				t.Errorf("stderr does not say why it stopped: %s", stderr.String())
			}
		})
	}
}
