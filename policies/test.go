package policies

import (
	"context"
	"time"

	"github.com/open-policy-agent/opa/v1/tester"
)

// TestOptions configures RunTests.
type TestOptions struct {
	// Filter is a regular expression selecting tests by name.
	Filter string
	// Timeout bounds each test.
	Timeout time.Duration
}

// RunTests runs the _test.rego files of the built-in policies and of dirs,
// compiled exactly as the engine compiles rules (input schemas, sandboxed
// capabilities), and returns every result.
func RunTests(ctx context.Context, dirs []string, opts TestOptions) ([]*tester.Result, error) {
	c, modules, _, err := load(dirs, true)
	if err != nil {
		return nil, err
	}
	timeout := opts.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	r := tester.NewRunner().
		SetCompiler(c).
		SetModules(modules).
		SetTimeout(timeout).
		CapturePrintOutput(true).
		RaiseBuiltinErrors(true).
		Filter(opts.Filter)
	ch, err := r.RunTests(ctx, nil)
	if err != nil {
		return nil, &LoadError{err}
	}
	var out []*tester.Result
	for res := range ch {
		out = append(out, res)
	}
	return out, nil
}
