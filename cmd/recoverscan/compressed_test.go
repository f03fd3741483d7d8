package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompressedSnapshots: a snapshot written to .json.gz or .json.zst is
// compressed, and every command that reads snapshots reads it as the plain
// one (the first bytes tell); one cut short is bad input, named by file.
func TestCompressedSnapshots(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "demo.json")
	if code, _, stderr := runCLI(t, "demo", "--write-snapshot", plain); code != exitOK {
		t.Fatalf("demo: exit %d: %s", code, stderr)
	}
	code, wantScan, stderr := runCLI(t, "scan", "--snapshot", plain, "--format", "json")
	if code != exitIncomplete && code != exitOK {
		t.Fatalf("scan: exit %d: %s", code, stderr)
	}
	plainBytes, err := os.ReadFile(plain)
	if err != nil {
		t.Fatal(err)
	}
	for ext, magic := range map[string]string{".json.gz": "\x1f\x8b", ".json.zst": "\x28\xb5\x2f\xfd"} {
		t.Run(ext, func(t *testing.T) {
			path := filepath.Join(dir, "demo"+ext)
			if code, _, stderr := runCLI(t, "demo", "--write-snapshot", path); code != exitOK {
				t.Fatalf("demo: exit %d: %s", code, stderr)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(string(b), magic) || len(b) >= len(plainBytes) {
				t.Fatalf("%s: %d bytes starting % x, want %s data smaller than the plain %d", path, len(b), b[:4], ext, len(plainBytes))
			}
			code, out, stderr := runCLI(t, "validate", path)
			if code != exitOK || !strings.Contains(out, "users 24") {
				t.Errorf("validate: exit %d, out %q, stderr %q", code, out, stderr)
			}
			code, got, stderr := runCLI(t, "scan", "--snapshot", path, "--format", "json")
			if code != exitIncomplete && code != exitOK {
				t.Fatalf("scan: exit %d: %s", code, stderr)
			}
			if got != wantScan {
				t.Errorf("scan of %s differs from the plain snapshot's", ext)
			}
			if code, out, stderr := runCLI(t, "diff", plain, path, "--format", "json"); code != exitOK || !strings.Contains(out, `"new"`) {
				t.Errorf("diff plain %s: exit %d, out %.200q, stderr %q", ext, code, out, stderr)
			}
			cut := filepath.Join(dir, "cut"+ext)
			if err := os.WriteFile(cut, b[:len(b)*2/3], 0o600); err != nil {
				t.Fatal(err)
			}
			for _, args := range [][]string{{"validate", cut}, {"scan", "--snapshot", cut}} {
				code, _, stderr := runCLI(t, args...)
				if code != exitUsage || !strings.Contains(stderr, "truncated") || !strings.Contains(stderr, cut) {
					t.Errorf("%s of a cut %s: exit %d, stderr %q; want bad input naming the file", args[0], ext, code, stderr)
				}
			}
		})
	}
}
