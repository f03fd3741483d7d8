// Command recoverscan finds the Amazon Cognito users who could not receive a
// password-recovery code, and the settings that stop or endanger delivery.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/recoverscan/recoverscan/collector/atomicfile"
	"github.com/recoverscan/recoverscan/output"
)

// Exit codes. Documented in the README and in `scan --help`; scripts
// depend on them.
const (
	exitOK         = 0 // complete, nothing at or above --fail-on
	exitFindings   = 1 // findings at or above --fail-on
	exitUsage      = 2 // bad usage or input: flags, snapshot, policies
	exitIncomplete = 3 // could not evaluate everything: unread sources, AWS errors
)

// exitCodesHelp ends the help of the commands that report findings.
const exitCodesHelp = `

Exit codes:
  0  the scan is complete and nothing is at or above --fail-on
  1  findings at or above --fail-on (shown ones: --severity filters first)
  2  bad usage or input: flags, configuration, snapshot, policies
  3  the scan is incomplete: a source could not be read (the report names the
     permission), AWS failed, or --timeout / --eval-timeout was reached
When findings at or above --fail-on and an incomplete scan coincide, the code
is 1 and the report says the scan is incomplete.`

// exitError carries an exit code with an error worth printing.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// interruptGrace is how long the program has, after SIGINT or SIGTERM, to
// stop by itself before it removes its temporary files and exits.
const interruptGrace = 3 * time.Second

func main() {
	ctx, cancel := context.WithCancelCause(context.Background())
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-signals
		// Stop the work; its own clean-up runs as it unwinds.
		cancel(fmt.Errorf("%v signal received", sig))
		// A second signal, or work that does not stop in time, ends the
		// program here, without leaving temporary files behind.
		select {
		case <-signals:
		case <-time.After(interruptGrace):
		}
		atomicfile.RemoveTemporary()
		fmt.Fprintf(os.Stderr, "recoverscan: stopped by the %v signal; temporary files removed\n", sig)
		os.Exit(exitIncomplete)
	}()
	hardStop = exitNow
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	os.Exit(code)
}

// run executes the command line and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRootCommand(stdout, stderr)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	// A usage mistake points to the help of the command it was made in.
	hint := func() {
		for _, line := range fromEnv(cmd, err.Error()) {
			fmt.Fprintln(stderr, line)
		}
		fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && !errors.Is(ee.err, errSilent) {
			fmt.Fprintln(stderr, "recoverscan: "+output.Terminal(ee.err.Error()))
		}
		if ee.code == exitUsage && isFlagError(ee.err) {
			hint()
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "recoverscan: "+output.Terminal(err.Error()))
	if isFlagError(err) {
		hint()
		return exitUsage
	}
	return exitIncomplete
}

// errSilent marks an exit whose reason was already reported.
var errSilent = errors.New("silent")
