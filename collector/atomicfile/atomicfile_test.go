package atomicfile_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
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
	assertPerm(t, f.Name(), 0o600)
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
