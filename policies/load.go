package policies

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/util"

	"github.com/recoverscan/recoverscan/collector/snapshot"
	"github.com/recoverscan/recoverscan/policies/internal/inputschema"
)

// builtin holds the shipped library, rules and input schemas.
//
//go:embed lib rules schemas
var builtin embed.FS

// Package roots rules are discovered under. Built-in rules live under
// recoverscan.rules; custom rules may use either root, so an organisation
// can keep its rules apart from ours.
var ruleRoots = []string{"recoverscan.rules.", "custom.rules."}

// kinds maps a package segment to the rule kind and the input schema its
// rules are type-checked against.
var kinds = map[string]Kind{
	"user":   KindUser,
	"pool":   KindPool,
	"client": KindClient,
	"sms":    KindSMS,
	"email":  KindEmail,
}

// inputSchema names the schema a kind's input is checked against.
func inputSchema(k Kind) string {
	switch k {
	case KindUser:
		return "schema.input.user"
	case KindClient:
		return "schema.input.client"
	default:
		return "schema.input.pool"
	}
}

// libSchemas type-checks the library packages that read input.
var libSchemas = map[string]string{
	"recoverscan.lib.recovery":  "schema.input.user",
	"recoverscan.lib.channel":   "schema.input.pool",
	"recoverscan.lib.recipient": "schema.input.user",
}

// policyFile is one Rego file (built-in, custom or from a bundle).
type policyFile struct {
	name    string // path shown in errors
	text    string
	custom  bool
	isTest  bool
	module  *ast.Module
	pkgPath string
	// meta is the package METADATA the author wrote (nil if none),
	// before the engine attached the input schema.
	meta *ast.Annotations
	// pkgModules are all the files of a rule package, set on the one
	// that stands for it in the catalogue.
	pkgModules []*ast.Module
}

// testsOf selects whose _test.rego files are loaded.
type testsOf struct{ builtin, custom bool }

// loadPolicyFiles reads the built-in files and every .rego file under dirs.
func loadPolicyFiles(dirs []string, tests testsOf) ([]*policyFile, error) {
	var out []*policyFile
	err := fs.WalkDir(builtin, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") {
			return err
		}
		isTest := strings.HasSuffix(p, "_test.rego")
		if isTest && !tests.builtin {
			return nil
		}
		b, err := builtin.ReadFile(p)
		if err != nil {
			return err
		}
		out = append(out, &policyFile{name: path.Join("policies", p), text: string(b), isTest: isTest})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read built-in policies: %w", err)
	}
	seen := map[string]bool{}
	for _, dir := range dirs {
		if isBundle(dir) {
			bs, err := bundlePolicyFiles(dir, tests)
			if err != nil {
				return nil, err
			}
			out = append(out, bs...)
			continue
		}
		files, err := regoFiles(dir)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			// A directory given twice (--policy and the config file) or
			// nested in another is loaded once.
			if abs, err := filepath.Abs(f); err == nil {
				if seen[abs] {
					continue
				}
				seen[abs] = true
			}
			isTest := strings.HasSuffix(f, "_test.rego")
			if isTest && !tests.custom {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				return nil, fmt.Errorf("read policy: %w", err)
			}
			out = append(out, &policyFile{name: f, text: string(b), custom: true, isTest: isTest})
		}
	}
	return out, nil
}

// regoFiles lists the .rego files under dir (or dir itself if it is a file).
func regoFiles(dir string) ([]string, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("policy path: %w", err)
	}
	if !info.IsDir() {
		if !strings.HasSuffix(dir, ".rego") {
			return nil, fmt.Errorf("policy path %s: not a directory, .rego file or bundle (.tar.gz)", dir)
		}
		return []string{dir}, nil
	}
	var files []string
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != dir && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".rego") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("policy path %s: %w", dir, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("policy path %s: no .rego files", dir)
	}
	sort.Strings(files)
	return files, nil
}

// parse parses every policy file as Rego v1 with annotations.
func parse(srcs []*policyFile) error {
	var errs ast.Errors
	for _, s := range srcs {
		m, err := ast.ParseModuleWithOpts(s.name, s.text, ast.ParserOptions{
			ProcessAnnotation: true,
			RegoVersion:       ast.RegoV1,
		})
		if err != nil {
			var aerrs ast.Errors
			if errors.As(err, &aerrs) {
				errs = append(errs, aerrs...)
				continue
			}
			return fmt.Errorf("parse %s: %w", s.name, err)
		}
		s.module = m
		s.pkgPath = strings.TrimPrefix(m.Package.Path.String(), "data.")
		s.meta = packageAnnotation(m)
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// ruleKind returns the kind of a rule package, or "" if the package is not
// a rule (library, test, helper).
func ruleKind(pkg string) (Kind, string, bool) {
	for _, root := range ruleRoots {
		rest, ok := strings.CutPrefix(pkg, root)
		if !ok {
			continue
		}
		seg, name, ok := strings.Cut(rest, ".")
		if !ok || name == "" || strings.Contains(name, ".") {
			return "", "", false
		}
		k, ok := kinds[seg]
		return k, name, ok
	}
	return "", "", false
}

// packageAnnotation returns the package-scoped METADATA of a module.
func packageAnnotation(m *ast.Module) *ast.Annotations {
	for _, a := range m.Annotations {
		if a.Scope == "package" {
			return a
		}
	}
	return nil
}

// attachSchema makes the type checker check input in the package against
// the named schema, so a typo in a field name is a compile error.
func attachSchema(s *policyFile, schema string, done map[string]bool) error {
	if done[s.pkgPath] {
		return nil
	}
	done[s.pkgPath] = true
	ref := ast.MustParseRef(schema)
	if a := packageAnnotation(s.module); a != nil {
		for _, sa := range a.Schemas {
			if sa.Path.Equal(ast.InputRootRef) {
				if sa.Schema.Equal(ref) {
					return nil // declared for stock tools (opa check --schema)
				}
				return fmt.Errorf("%s: METADATA schemas declares input: %s, but the rules of package %s are checked against %s", s.name, sa.Schema, s.pkgPath, schema)
			}
		}
		a.Schemas = append(a.Schemas, &ast.SchemaAnnotation{Path: ast.InputRootRef, Schema: ref})
		return nil
	}
	// No METADATA in this file: borrow an annotation parsed for the same
	// package path; the compiler keys package annotations by path.
	stub := fmt.Sprintf("# METADATA\n# schemas:\n#   - input: %s\npackage %s\n", schema, s.pkgPath)
	m, err := ast.ParseModuleWithOpts(s.name, stub, ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
	if err != nil {
		return fmt.Errorf("attach schema to %s: %w", s.name, err)
	}
	s.module.Annotations = append(s.module.Annotations, m.Annotations...)
	return nil
}

// schemaSet makes the input schemas the rules are checked against, as
// schemas/input holds them for the built-in rules, with under the pool's
// users the counts the loaded rules declare, custom ones included.
func schemaSet(counts []inputschema.Count) (*ast.SchemaSet, error) {
	schemas, err := inputschema.Generate(snapshot.Schema, counts)
	if err != nil {
		return nil, fmt.Errorf("input schemas: %w", err)
	}
	ss := ast.NewSchemaSet()
	for name, b := range schemas {
		kind := strings.TrimSuffix(name, ".json")
		var doc any
		if err := util.UnmarshalJSON(b, &doc); err != nil {
			return nil, fmt.Errorf("input schema %s.json: %w", kind, err)
		}
		ss.Put(ast.MustParseRef("schema.input."+kind), doc)
	}
	return ss, nil
}

// inputSchemas are the shipped input schemas (schemas/input/<kind>.json),
// by kind.
func inputSchemas() (map[string][]byte, error) {
	entries, err := builtin.ReadDir("schemas/input")
	if err != nil {
		return nil, fmt.Errorf("read input schemas: %w", err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		kind, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok {
			continue
		}
		b, err := builtin.ReadFile("schemas/input/" + e.Name())
		if err != nil {
			return nil, err
		}
		out[kind] = b
	}
	return out, nil
}

// capabilities is what policies may call: everything OPA offers except
// builtins that reach the network, the environment or the clock of the
// machine, so a custom rule can neither exfiltrate data nor depend on where
// or when it runs.
func capabilities() *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	caps.Builtins = slices.DeleteFunc(slices.Clone(caps.Builtins), func(b *ast.Builtin) bool { return deniedBuiltin(b.Name) != "" })
	caps.AllowNet = []string{}
	return caps
}

// deniedBuiltin says why a builtin is outside the sandbox, or "" if it is
// allowed.
func deniedBuiltin(name string) string {
	switch {
	case name == "http.send", strings.HasPrefix(name, "net."), name == "providers.aws.sign_req":
		return "policies have no network access"
	case name == "opa.runtime":
		return "policies cannot read the environment or OPA's runtime configuration"
	case name == "time.now_ns", strings.HasPrefix(name, "io.jwt.decode_verify"),
		name == "crypto.x509.parse_and_verify_certificates",
		name == "crypto.x509.parse_and_verify_certificates_with_options":
		return "verdicts refer to the snapshot's time, not the machine's clock: use input.snapshot.taken_at"
	case name == "rand.intn", name == "uuid.rfc4122":
		return "policies must be deterministic"
	}
	return ""
}
