package policies

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Workspace layout written by WriteWorkspace, relative to a rules
// directory: what stock OPA tools and Regal need beside the rules.
const (
	// WorkspaceLibDir holds a copy of the embedded library (without its
	// own tests): data.recoverscan.lib.*, fixtures included.
	WorkspaceLibDir = "lib"
	// WorkspaceSchemaDir holds the input schemas, one per input kind, as
	// <kind>.schema files: `opa check --schema DIR/schemas` knows them as
	// schema.input.<kind>, and opa's loader does not load them as data.
	WorkspaceSchemaDir = "schemas"
	workspaceManifest  = ".manifest"
	workspaceRegal     = ".regal/config.yaml"
)

// libraryFiles returns the embedded library's non-test files by name.
func libraryFiles() (map[string][]byte, error) {
	entries, err := builtin.ReadDir("lib")
	if err != nil {
		return nil, fmt.Errorf("read built-in library: %w", err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".rego") || strings.HasSuffix(e.Name(), "_test.rego") {
			continue
		}
		b, err := builtin.ReadFile("lib/" + e.Name())
		if err != nil {
			return nil, err
		}
		out[e.Name()] = b
	}
	return out, nil
}

// LibraryVersion identifies the embedded library: a digest of its files,
// recorded in a workspace's .manifest.
func LibraryVersion() (string, error) {
	files, err := libraryFiles()
	if err != nil {
		return "", err
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(files[n]))
		h.Write(files[n])
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// WriteWorkspace writes into dir what stock tools need to work on
// recoverscan rules without recoverscan's repository: the library copy
// (lib/), the input schemas (schemas/input/<kind>.schema), a Regal
// configuration (.regal/config.yaml) and an OPA bundle manifest
// (.manifest). The library and schemas are always rewritten, which is
// how a stale copy is refreshed; an existing Regal configuration or
// manifest is kept. It returns the paths written.
func WriteWorkspace(dir string) ([]string, error) {
	lib, err := libraryFiles()
	if err != nil {
		return nil, err
	}
	version, err := LibraryVersion()
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for n, b := range lib {
		files[filepath.Join(WorkspaceLibDir, n)] = b
	}
	schemas, err := inputSchemas()
	if err != nil {
		return nil, err
	}
	for kind, b := range schemas {
		files[filepath.Join(WorkspaceSchemaDir, "input", kind+".schema")] = b
	}
	// Stale copies of library files this version no longer has would
	// define packages the embedded library lacks: remove them.
	if old, err := filepath.Glob(filepath.Join(dir, WorkspaceLibDir, "*.rego")); err == nil {
		for _, p := range old {
			if _, ok := lib[filepath.Base(p)]; !ok && isLibraryCopy(p) {
				if err := os.Remove(p); err != nil {
					return nil, fmt.Errorf("remove stale library file: %w", err)
				}
			}
		}
	}
	regal, err := scaffolds.ReadFile("scaffold/regal-config.yaml")
	if err != nil {
		return nil, err
	}
	manifest, err := json.MarshalIndent(map[string]any{
		// The roots of rules and of the library copy: `opa build DIR`
		// then makes a bundle recoverscan loads with --policy.
		"roots":    []string{"custom", "recoverscan/lib"},
		"metadata": map[string]any{"recoverscan_library": version},
	}, "", "  ")
	if err != nil {
		return nil, err
	}
	keep := map[string][]byte{workspaceRegal: regal, workspaceManifest: append(manifest, '\n')}

	var written []string
	write := func(rel string, b []byte) error {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", p, err)
		}
		written = append(written, p)
		return nil
	}
	for rel, b := range files {
		if err := write(rel, b); err != nil {
			return nil, err
		}
	}
	for rel, b := range keep {
		p := filepath.Join(dir, rel)
		if rel == workspaceManifest {
			if updated, ok := refreshManifest(p, version); ok {
				b = updated
			}
		} else if _, err := os.Stat(p); err == nil {
			continue
		} else if !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		if err := write(rel, b); err != nil {
			return nil, err
		}
	}
	sort.Strings(written)
	return written, nil
}

// refreshManifest returns an existing manifest with its library version
// updated, keeping what the author added (roots, revision, metadata).
func refreshManifest(p, version string) ([]byte, bool) {
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, false
	}
	var m map[string]any
	if json.Unmarshal(b, &m) != nil {
		return nil, false
	}
	meta, _ := m["metadata"].(map[string]any)
	if meta == nil {
		meta = map[string]any{}
	}
	meta["recoverscan_library"] = version
	m["metadata"] = meta
	out, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, false
	}
	return append(out, '\n'), true
}

// isLibraryCopy reports whether the Rego file at p declares a package of
// the built-in library, as a workspace's copy does.
func isLibraryCopy(p string) bool {
	b, err := os.ReadFile(p)
	if err != nil {
		return false
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if pkg, ok := strings.CutPrefix(line, "package "); ok {
			return strings.HasPrefix(strings.TrimSpace(pkg), "recoverscan.lib")
		}
	}
	return false
}

// libraryCopies removes from srcs the custom files that are copies of the
// built-in library (a workspace's lib/ written by WriteWorkspace, or the
// same files in a bundle): the engine always uses its embedded library.
// It returns the kept files and, for each directory holding a copy that
// differs from the embedded library, a warning naming the command that
// refreshes it.
func libraryCopies(srcs []*policyFile) ([]*policyFile, []string, error) {
	lib, err := libraryFiles()
	if err != nil {
		return nil, nil, err
	}
	pkgOf := map[string]string{}
	for n, b := range lib {
		for line := range strings.SplitSeq(string(b), "\n") {
			if pkg, ok := strings.CutPrefix(line, "package "); ok {
				pkgOf[n] = strings.TrimSpace(pkg)
				break
			}
		}
	}
	type copyDir struct {
		found map[string]bool
		stale bool
	}
	dirs := map[string]*copyDir{}
	var kept []*policyFile
	for _, s := range srcs {
		base := path.Base(filepath.ToSlash(s.name))
		if !s.custom || s.isTest || pkgOf[base] == "" || pkgOf[base] != s.pkgPath {
			kept = append(kept, s)
			continue
		}
		d := filepath.Dir(s.name)
		cd := dirs[d]
		if cd == nil {
			cd = &copyDir{found: map[string]bool{}}
			dirs[d] = cd
		}
		cd.found[base] = true
		if s.text != string(lib[base]) {
			cd.stale = true
		}
	}
	var warnings []string
	for d, cd := range dirs {
		if len(cd.found) != len(lib) {
			cd.stale = true
		}
		if cd.stale {
			warnings = append(warnings, fmt.Sprintf("%s: this copy of the recoverscan library differs from the one built into recoverscan, which rules are evaluated with; refresh it with: recoverscan policy init %s", d, workspaceRoot(d)))
		}
	}
	sort.Strings(warnings)
	return kept, warnings, nil
}

// workspaceRoot is the rules directory a library copy belongs to: the
// parent of its lib directory (or of a bundle's).
func workspaceRoot(libDir string) string {
	if i := strings.Index(libDir, ".tar.gz"); i >= 0 {
		return "<rules directory the bundle was built from>"
	}
	return filepath.Dir(libDir)
}
