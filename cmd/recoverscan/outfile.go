package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/recoverscan/recoverscan/collector/atomicfile"
)

// stdoutName is the -o value that means standard output.
const stdoutName = "-"

// toStdout reports whether the -o value path means standard output.
func toStdout(path string) bool { return path == "" || path == stdoutName }

// outTarget is where a command writes its product: standard output, or a file
// written atomically (directly, when it is a device or a FIFO).
type outTarget struct {
	io.Writer
	file *atomicfile.File
}

// createOutput opens path for writing, or stdout for "" and "-". A directory
// is a usage error.
func createOutput(path string, stdout io.Writer) (*outTarget, error) {
	if toStdout(path) {
		return &outTarget{Writer: stdout}, nil
	}
	f, err := atomicfile.Create(path)
	if err != nil {
		return nil, outputError(err)
	}
	return &outTarget{Writer: f, file: f}, nil
}

// commit puts the file in place; a no-op for stdout.
func (o *outTarget) commit() error {
	if o.file == nil {
		return nil
	}
	if err := o.file.Commit(); err != nil {
		return &exitError{code: exitIncomplete, err: err}
	}
	return nil
}

// abort discards an uncommitted file; safe to defer.
func (o *outTarget) abort() {
	if o.file != nil {
		o.file.Abort()
	}
}

// outputError classifies an error creating an output file: a directory or
// a path that cannot be created is bad usage.
func outputError(err error) error {
	return &exitError{code: exitUsage, err: err}
}

// checkOutputs refuses, before any work is done, -o values that name a
// directory, and outputs that would overwrite an input or each other.
// Each named path is "flag=value"; empty values and "-" are skipped.
func checkOutputs(outputs, inputs []namedPath) error {
	for _, o := range outputs {
		if toStdout(o.path) {
			continue
		}
		if fi, err := os.Stat(o.path); err == nil && fi.IsDir() {
			return &flagError{fmt.Errorf("%s %s: %w", o.flag, o.path, atomicfile.ErrIsDir)}
		}
	}
	all := append(append([]namedPath{}, inputs...), outputs...)
	for i, o := range outputs {
		if toStdout(o.path) {
			continue
		}
		for j, other := range all {
			if other.path == "" || j == len(inputs)+i {
				continue
			}
			if samePath(o.path, other.path) {
				return &flagError{fmt.Errorf("%s %s is the same file as %s: it would be overwritten; write somewhere else", o.flag, o.path, other.flag)}
			}
		}
	}
	return nil
}

// namedPath is a file named by a flag.
type namedPath struct {
	flag, path string
}

// samePath reports whether a and b are the same file: the same path, or
// existing files that are one (links included).
func samePath(a, b string) bool {
	if a == stdoutName || b == stdoutName {
		return false
	}
	ai, aerr := os.Stat(a)
	bi, berr := os.Stat(b)
	if aerr == nil && berr == nil {
		// Two distinct devices or FIFOs are still different files; the
		// same device (/dev/null twice) is harmless, written directly.
		return os.SameFile(ai, bi) && ai.Mode().IsRegular()
	}
	aa, err1 := filepath.Abs(a)
	ba, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == ba
}
