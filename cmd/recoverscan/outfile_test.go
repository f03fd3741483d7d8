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
)

// demoSnapshotFile writes the demo snapshot into dir.
func demoSnapshotFile(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "demo.json")
	if code, _, stderr := runCLI(t, "demo", "--write-snapshot", path, "-o", filepath.Join(dir, "demo.txt")); code != exitOK {
		t.Fatalf("demo --write-snapshot: exit %d: %s", code, stderr)
	}
	return path
}

// TestOutputDash: -o - is standard output for every command that takes -o.
func TestOutputDash(t *testing.T) {
	dir := t.TempDir()
	snap := demoSnapshotFile(t, dir)
	t.Chdir(dir)
	for _, args := range [][]string{
		{"scan", "--snapshot", snap, "-f", "json", "-o", "-"},
		{"demo", "-f", "json", "-o", "-"},
	} {
		code, stdout, stderr := runCLI(t, args...)
		if code != exitOK && code != exitIncomplete {
			t.Errorf("%v: exit %d: %s", args, code, stderr)
		}
		if !strings.Contains(stdout, `"summary"`) {
			t.Errorf("%v: the report is not on stdout: %.200q", args, stdout)
		}
		if _, err := os.Stat(filepath.Join(dir, "-")); err == nil {
			t.Errorf("%v wrote a file named -", args)
			_ = os.Remove(filepath.Join(dir, "-"))
		}
	}
}

// TestOutputDirectory: -o naming a directory is a usage error everywhere,
// found before any work.
func TestOutputDirectory(t *testing.T) {
	dir := t.TempDir()
	snap := demoSnapshotFile(t, dir)
	for _, args := range [][]string{
		{"scan", "--snapshot", snap, "-o", dir},
		{"demo", "-o", dir},
		{"demo", "--write-snapshot", dir},
		{"collect", "--region", "us-east-1", "-o", dir},
		{"scan", "--region", "us-east-1", "-o", dir},
		{"scan", "--region", "us-east-1", "--save-snapshot", dir},
	} {
		code, _, stderr := runCLI(t, args...)
		if code != exitUsage || !strings.Contains(stderr, "is a directory") {
			t.Errorf("%v: exit %d, stderr %q; want %d naming the directory", args, code, stderr, exitUsage)
		}
	}
}

// TestOutputOverInput: -o naming the snapshot being read, or the snapshot
// being written alongside, is refused and the file is left alone.
func TestOutputOverInput(t *testing.T) {
	dir := t.TempDir()
	snap := demoSnapshotFile(t, dir)
	before, err := os.ReadFile(snap)
	if err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(snap, link); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for _, args := range [][]string{
		{"scan", "--snapshot", snap, "-o", snap},
		{"scan", "--snapshot", "demo.json", "-o", "./demo.json"},
		{"scan", "--snapshot", snap, "-o", link},
		{"demo", "--write-snapshot", "new.json", "-o", "new.json"},
		{"scan", "--region", "us-east-1", "--save-snapshot", "new.json", "-o", "./new.json"},
	} {
		code, _, stderr := runCLI(t, args...)
		if code != exitUsage || !strings.Contains(stderr, "same file") {
			t.Errorf("%v: exit %d, stderr %q; want %d, same file", args, code, stderr, exitUsage)
		}
	}
	after, err := os.ReadFile(snap)
	if err != nil || !bytes.Equal(before, after) {
		t.Errorf("the snapshot changed: %v", err)
	}
	if _, err := os.Stat("new.json"); err == nil {
		t.Error("new.json was written")
	}
}

// TestOutputDevice: a device, a FIFO, or a link to one is written
// directly, not replaced by a regular file. The device is a null device
// of the test's own (made when running as root), so that a failing run
// cannot replace the system's /dev/null.
func TestOutputDevice(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no device nodes")
	}
	dir := t.TempDir()
	var outs []string
	null := filepath.Join(dir, "null")
	if err := syscall.Mknod(null, syscall.S_IFCHR|0o666, 1<<8|3); err == nil {
		link := filepath.Join(dir, "null-link")
		if err := os.Symlink(null, link); err != nil {
			t.Fatal(err)
		}
		outs = append(outs, null, link)
	} else {
		t.Logf("no device of our own (%v): testing a FIFO only", err)
	}
	for _, out := range outs {
		if code, _, stderr := runCLI(t, "demo", "-f", "sarif", "-o", out); code != exitOK {
			t.Errorf("demo -o %s: exit %d: %s", out, code, stderr)
		}
		fi, err := os.Stat(out)
		if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
			t.Fatalf("%s is no longer a device: %v %v", out, fi, err)
		}
	}
	if len(outs) > 0 {
		if fi, err := os.Lstat(outs[1]); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("the link was replaced: %v %v", fi, err)
		}
	}

	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	got := make(chan []byte, 1)
	go func() {
		b, _ := os.ReadFile(fifo)
		got <- b
	}()
	if code, _, stderr := runCLI(t, "demo", "-f", "json", "-o", fifo); code != exitOK {
		t.Errorf("demo -o FIFO: exit %d: %s", code, stderr)
	}
	// Should the command not have written, let the reader go.
	if w, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
		_ = w.Close()
	}
	if b := <-got; !bytes.Contains(b, []byte(`"summary"`)) {
		t.Errorf("the FIFO's reader got %.100q", b)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v %v", fi, err)
	}
}

// TestOutputErrorNamesPath: an error names the file the user asked for,
// not the temporary file beside it.
func TestOutputErrorNamesPath(t *testing.T) {
	out := filepath.Join(t.TempDir(), "missing", "report.json")
	code, _, stderr := runCLI(t, "demo", "-o", out)
	if code != exitUsage || !strings.Contains(stderr, out) || strings.Contains(stderr, ".tmp-") {
		t.Errorf("exit %d, stderr %q; want %d naming %s only", code, stderr, exitUsage, out)
	}
}

// TestDemoWriteError: demo reports a report it could not write, as scan
// does, instead of exiting 0.
func TestDemoWriteError(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full:", err)
	}
	defer full.Close()
	for _, args := range [][]string{{"demo"}, {"demo", "-f", "json"}, {"demo", "-f", "sarif"}} {
		cmd := exec.Command(binary(t), args...)
		cmd.Stdout = full
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != exitIncomplete || !strings.Contains(stderr.String(), syscall.ENOSPC.Error()) {
			t.Errorf("%v >/dev/full: %v, stderr %q; want exit %d and the write error", args, err, stderr.String(), exitIncomplete)
		}
	}
}
