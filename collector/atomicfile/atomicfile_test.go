package atomicfile_test

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/recoverscan/recoverscan/collector/atomicfile"
)

// entries lists the names in dir.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func assertOnly(t *testing.T, dir string, want ...string) {
	t.Helper()
	got := entries(t, dir)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("%s holds %q, want %q (no temporary file left behind)", dir, got, want)
	}
}

func assertContent(t *testing.T, path, want string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != want {
		t.Errorf("%s = %q, want %q", path, b, want)
	}
}

func assertPerm(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	if runtime.GOOS == "windows" {
		return
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s has mode %v, want %v", path, got, want)
	}
}

func TestCommit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "snap.json")
	f, err := atomicfile.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Abort()
	if _, err := f.WriteString("partial"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the target exists before Commit: %v", err)
	}
	tmp := entries(t, dir)
	if len(tmp) != 1 {
		t.Fatalf("%s holds %q, want one temporary file", dir, tmp)
	}
	assertPerm(t, filepath.Join(dir, tmp[0]), 0o600)
	if _, err := f.WriteString(" and the rest"); err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	assertContent(t, path, "partial and the rest")
	assertPerm(t, path, 0o600)
	assertOnly(t, dir, "snap.json")

	f.Abort() // deferred Abort after Commit does nothing
	assertContent(t, path, "partial and the rest")
	if err := f.Commit(); err == nil {
		t.Error("a second Commit succeeded")
	}
}

func TestCommitReplaces(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.sarif")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := atomicfile.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("new"); err != nil {
		t.Fatal(err)
	}
	assertContent(t, path, "old") // readers see the old file until Commit
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	assertContent(t, path, "new")
	assertPerm(t, path, 0o600) // the new file is private even where the old one was not
	assertOnly(t, dir, "report.sarif")
}

func TestAbort(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "snap.json")
	if err := os.WriteFile(path, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := atomicfile.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("discard me"); err != nil {
		t.Fatal(err)
	}
	f.Abort()
	f.Abort() // twice is fine
	assertContent(t, path, "keep me")
	assertOnly(t, dir, "snap.json")
	if err := f.Commit(); err == nil {
		t.Error("Commit after Abort succeeded")
	}
	assertContent(t, path, "keep me")

	// Aborting a file that never had a target leaves nothing.
	other := filepath.Join(dir, "new.json")
	g, err := atomicfile.Create(other)
	if err != nil {
		t.Fatal(err)
	}
	g.Abort()
	assertOnly(t, dir, "snap.json")
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.json")
	if err := atomicfile.WriteFile(path, []byte(`{"ok":true}`)); err != nil {
		t.Fatal(err)
	}
	assertContent(t, path, `{"ok":true}`)
	assertPerm(t, path, 0o600)
	assertOnly(t, dir, "out.json")
}

func TestRelativePath(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := atomicfile.WriteFile("plain.json", []byte("x")); err != nil {
		t.Fatal(err)
	}
	assertContent(t, filepath.Join(dir, "plain.json"), "x")
	assertOnly(t, dir, "plain.json")
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "no", "such", "dir", "snap.json")
	if _, err := atomicfile.Create(missing); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("Create in a missing directory: %v, want an error naming the path", err)
	}
	if err := atomicfile.WriteFile(missing, []byte("x")); err == nil {
		t.Error("WriteFile in a missing directory succeeded")
	}

	// Renaming over a directory fails; the temporary file must not stay.
	target := filepath.Join(dir, "taken")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(target, "inside"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := atomicfile.WriteFile(target, []byte("x")); err == nil || !strings.Contains(err.Error(), target) {
		t.Errorf("WriteFile over a directory: %v, want an error naming the path", err)
	}
	assertOnly(t, dir, "taken")
}

// TestErrorsNameTheTarget: an error is about the file the user named, not
// the temporary file beside it.
func TestErrorsNameTheTarget(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no", "snap.json")
	_, err := atomicfile.Create(missing)
	if err == nil || !strings.Contains(err.Error(), missing) || strings.Contains(err.Error(), ".tmp-") {
		t.Errorf("Create in a missing directory: %v, want an error naming %s and no temporary file", err, missing)
	}
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	err = atomicfile.WriteFile("/dev/full", []byte("x"))
	if err == nil || !strings.Contains(err.Error(), "/dev/full") || !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("WriteFile /dev/full: %v, want ENOSPC naming /dev/full", err)
	}
}

// TestNonRegularTargets: a device, a FIFO or a link to one is written
// directly; renaming over it would replace the node with a regular file.
func TestNonRegularTargets(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no device nodes or FIFOs")
	}
	dir := t.TempDir()
	isNode := func(path string, want os.FileMode) {
		t.Helper()
		fi, err := os.Lstat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Type() != want {
			t.Errorf("%s is now %v, want type %v", path, fi.Mode().Type(), want)
		}
	}

	// A null device of the test's own, so that a failing run cannot
	// replace the system's /dev/null.
	null := filepath.Join(dir, "null")
	if err := syscall.Mknod(null, syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
		t.Logf("no device of our own (%v): testing a FIFO only", err)
		null = ""
	}
	want := []string{"fifo"}
	if null != "" {
		if err := atomicfile.WriteFile(null, []byte("gone")); err != nil {
			t.Fatalf("WriteFile to a null device: %v", err)
		}
		isNode(null, os.ModeDevice|os.ModeCharDevice)
		link := filepath.Join(dir, "null-link")
		if err := os.Symlink(null, link); err != nil {
			t.Fatal(err)
		}
		if err := atomicfile.WriteFile(link, []byte("gone")); err != nil {
			t.Fatalf("WriteFile through a link to a device: %v", err)
		}
		isNode(link, os.ModeSymlink)
		isNode(null, os.ModeDevice|os.ModeCharDevice)
		want = append(want, "null", "null-link")
	}

	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 1)
	go func() {
		b, err := os.ReadFile(fifo)
		if err != nil {
			got <- err.Error()
			return
		}
		got <- string(b)
	}()
	if err := atomicfile.WriteFile(fifo, []byte("through the pipe")); err != nil {
		t.Fatalf("WriteFile to a FIFO: %v", err)
	}
	if s := <-got; s != "through the pipe" {
		t.Errorf("the FIFO's reader got %q", s)
	}
	isNode(fifo, os.ModeNamedPipe)
	assertOnly(t, dir, want...)
}

// TestLinkToRegularFile: the file a link names is replaced; the link stays.
func TestLinkToRegularFile(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.json")
	if err := os.WriteFile(real, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink("real.json", link); err != nil {
		t.Skip(err)
	}
	if err := atomicfile.WriteFile(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(link)
	if err != nil || fi.Mode().Type() != os.ModeSymlink {
		t.Errorf("the link was replaced: %v %v", fi, err)
	}
	assertContent(t, real, "new")
	assertOnly(t, dir, "link.json", "real.json")
}

// TestDirectoryTarget: a directory is refused before anything is written.
func TestDirectoryTarget(t *testing.T) {
	dir := t.TempDir()
	if _, err := atomicfile.Create(dir); !errors.Is(err, atomicfile.ErrIsDir) {
		t.Errorf("Create of a directory: %v, want ErrIsDir", err)
	}
	assertOnly(t, dir)
}

// TestRemoveTemporary: what an interrupted program leaves is removed.
func TestRemoveTemporary(t *testing.T) {
	dir := t.TempDir()
	f, err := atomicfile.Create(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	spill, err := atomicfile.CreateTemp(dir, "spill-*")
	if err != nil {
		t.Fatal(err)
	}
	defer spill.Close()
	if _, err := f.WriteString("half"); err != nil {
		t.Fatal(err)
	}
	if n := len(entries(t, dir)); n != 2 {
		t.Fatalf("%d files, want the two temporary ones", n)
	}
	atomicfile.RemoveTemporary()
	assertOnly(t, dir)
}
