package policies

import (
	"context"
	"sort"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/cover"
	"github.com/open-policy-agent/opa/v1/tester"
)

// TestOptions configures RunTests.
type TestOptions struct {
	// Filter is a regular expression selecting tests by name.
	Filter string
	// Timeout bounds each test.
	Timeout time.Duration
	// Coverage collects which lines of the rules under test ran.
	Coverage bool
	// Config, when set, adds its policy directories and is checked
	// against the loaded rules. Tests always see the rules' METADATA
	// defaults as parameters, so a rule's tests do not depend on a
	// deployment's configuration.
	Config *Config
}

// TestRun is the outcome of Test.
type TestRun struct {
	Results []*tester.Result
	// Coverage covers the rule and library files under test (the custom
	// directories' files when directories were given, else the built-in
	// ones); nil unless TestOptions.Coverage.
	Coverage *cover.Report
	// Rules is the catalogue of the loaded rules.
	Rules []Rule
}

// RunTests runs the _test.rego files of dirs, or of the built-in policies
// when dirs is empty, compiled exactly as the engine compiles rules (input
// schemas, sandboxed capabilities, parameters), and returns every result.
func RunTests(ctx context.Context, dirs []string, opts TestOptions) ([]*tester.Result, error) {
	run, err := Test(ctx, dirs, opts)
	if err != nil {
		return nil, err
	}
	return run.Results, nil
}

// Test is RunTests with coverage and the catalogue. The built-in library,
// rules and test fixtures (data.recoverscan.lib.fixtures) are always
// loaded; their tests run only when no directory is given.
func Test(ctx context.Context, dirs []string, opts TestOptions) (*TestRun, error) {
	if opts.Config != nil {
		dirs = append(append([]string(nil), dirs...), opts.Config.Policies...)
	}
	sel := testsOf{builtin: len(dirs) == 0, custom: true}
	c, modules, srcs, err := load(dirs, sel)
	if err != nil {
		return nil, err
	}
	c.WithEnablePrintStatements(true)
	// The catalogue is read before compiling so that METADATA problems
	// are reported even when a test does not compile.
	rules, err := catalogue(srcs)
	if err != nil {
		return nil, err
	}
	if opts.Config != nil {
		if err := opts.Config.apply(append([]Rule(nil), rules...)); err != nil {
			return nil, err
		}
	}
	timeout := opts.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	r := tester.NewRunner().
		SetCompiler(c).
		SetModules(modules).
		SetStore(paramsStore(rules)).
		SetTimeout(timeout).
		CapturePrintOutput(true).
		RaiseBuiltinErrors(true).
		Filter(opts.Filter)
	var cov *cover.Cover
	if opts.Coverage {
		cov = cover.New()
		r.SetCoverageQueryTracer(cov).SetCoverageRuns(nil)
	}
	ch, err := r.RunTests(ctx, nil)
	if err != nil {
		return nil, newLoadError(err)
	}
	run := &TestRun{Rules: rules}
	for res := range ch {
		run.Results = append(run.Results, res)
	}
	sort.SliceStable(run.Results, func(i, j int) bool {
		a, b := run.Results[i].Location, run.Results[j].Location
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Row < b.Row
	})
	if cov != nil {
		covered := map[string]*ast.Module{}
		for _, s := range srcs {
			if !s.isTest && s.custom == !sel.builtin && s.pkgPath != "recoverscan.lib.fixtures" {
				covered[s.name] = s.module
			}
		}
		run.Coverage = onlyFiles(cov.Report(covered), covered)
	}
	return run, nil
}

// onlyFiles restricts a coverage report to the files under test (the
// tracer also records the library the tests ran through).
func onlyFiles(rep cover.Report, modules map[string]*ast.Module) *cover.Report {
	out := &cover.Report{Files: map[string]*cover.FileReport{}}
	for name, fr := range rep.Files {
		if _, ok := modules[name]; !ok {
			continue
		}
		out.Files[name] = fr
		out.CoveredLines += fr.CoveredLines
		out.NotCoveredLines += fr.NotCoveredLines
	}
	if total := out.CoveredLines + out.NotCoveredLines; total > 0 {
		out.Coverage = 100 * float64(out.CoveredLines) / float64(total)
	}
	return out
}
