package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestEvalMemory runs a custom rule that builds a billion-element array
// under --eval-memory 200MiB: the scan stops with exit code 3, names the
// rule, and the process's peak memory (its own maximum resident set, as
// the kernel measured it) stays near the bound. Should the bound fail, the
// test stops the process well before it can exhaust the machine.
func TestEvalMemory(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("measures /proc and rusage")
	}
	const bound = 200 << 20
	dir, file := writeCustomRule(t, "ACME-USER-001", "report contains report.fail(\"big\", {}) if {\n\tinput.user.enabled\n"+
		"\tcount(numbers.range(1, 1000000000)) > 0\n}\n")
	cmd := exec.Command(binary(t), "demo", "--policy", dir, "--eval-memory", "200MiB", "--eval-timeout", "0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	killed := false
wait:
	for {
		select {
		case err = <-done:
			break wait
		case <-time.After(20 * time.Millisecond):
			if rss := residentBytes(cmd.Process.Pid); rss > 4*bound {
				killed = true
				_ = cmd.Process.Kill()
			}
		}
	}
	if killed {
		t.Fatalf("the process passed %d MiB with a bound of %d MiB and was killed", 4*bound>>20, bound>>20)
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitIncomplete {
		t.Fatalf("exit: %v, want %d; stderr:\n%s", err, exitIncomplete, stderr.String())
	}
	for _, want := range []string{"--eval-memory 200MiB", "ACME-USER-001 (" + file + ")"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr does not say %q:\n%s", want, stderr.String())
		}
	}
	peak := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10 // KiB on Linux
	t.Logf("peak resident memory %d MiB for a bound of %d MiB", peak>>20, bound>>20)
	if peak > bound+bound/2 {
		t.Errorf("peak resident memory %d MiB, more than 1.5 times the bound of %d MiB", peak>>20, bound>>20)
	}
}

// residentBytes is a process's resident memory now, from /proc.
func residentBytes(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"2GiB": 2 << 30, "512MiB": 512 << 20, "100MB": 100e6, "0": 0, "1.5G": 3 << 29, "20971520": 20 << 20} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"-1GiB", "lots", "1MiB", ""} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) succeeded", in)
		}
	}
}
