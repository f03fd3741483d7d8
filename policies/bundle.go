package policies

import (
	"fmt"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/bundle"
)

// isBundle reports whether a --policy path names an OPA bundle, as built
// by `opa build` (a gzipped tarball).
func isBundle(p string) bool {
	return strings.HasSuffix(p, ".tar.gz") || strings.HasSuffix(p, ".tgz")
}

// bundlePolicyFiles reads the Rego files of an OPA bundle. They are custom
// policy files like those of a directory: discovered by package, type
// checked and sandboxed alike. The bundle's data documents are not used
// (rules read only their input and parameters), so a bundle with data is
// refused rather than half used.
func bundlePolicyFiles(file string, tests testsOf) ([]*policyFile, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("policy bundle: %w", err)
	}
	defer f.Close()
	b, err := bundle.NewCustomReader(bundle.NewTarballLoader(f)).
		WithRegoVersion(ast.RegoV1).
		WithSkipBundleVerification(true).
		Read()
	if err != nil {
		return nil, fmt.Errorf("policy bundle %s: %w", file, err)
	}
	if hasData(b.Data) {
		return nil, fmt.Errorf("policy bundle %s: it holds data documents, which recoverscan rules cannot use: build it from the rules directory alone", file)
	}
	var out []*policyFile
	for _, m := range b.Modules {
		name := path.Join(file, strings.TrimPrefix(m.Path, "/"))
		isTest := strings.HasSuffix(name, "_test.rego")
		if isTest && !tests.custom {
			continue
		}
		out = append(out, &policyFile{name: name, text: string(m.Raw), custom: true, isTest: isTest})
	}
	if len(out) == 0 && !tests.custom {
		return nil, fmt.Errorf("policy bundle %s: no .rego files", file)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, nil
}

// hasData reports whether a bundle's data holds any value: opa build
// writes an empty object when there is none.
func hasData(d map[string]any) bool {
	for k, v := range d {
		if k == ".regal" {
			continue // the Regal configuration, loaded by opa build without -b
		}
		if m, ok := v.(map[string]any); !ok || hasData(m) {
			return true
		}
	}
	return false
}
