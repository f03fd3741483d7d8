package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// openInput opens a snapshot or report for reading. A regular file opens as
// usual. A FIFO or a device may keep the program waiting, for a writer to
// open it or for data: both waits end when ctx does (on SIGINT or SIGTERM),
// so that a named pipe nobody writes to cannot hang the program. A
// directory is a usage error. what names the flag or argument in errors.
func openInput(ctx context.Context, what, path string) (io.ReadCloser, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, &exitError{code: exitUsage, err: fmt.Errorf("%s: %w", what, err)}
	}
	if fi.IsDir() {
		return nil, &exitError{code: exitUsage, err: fmt.Errorf("%s %s: is a directory, not a file", what, path)}
	}
	if fi.Mode().IsRegular() {
		f, err := os.Open(path)
		if err != nil {
			return nil, &exitError{code: exitUsage, err: fmt.Errorf("%s: %w", what, err)}
		}
		return f, nil
	}
	type opened struct {
		f   *os.File
		err error
	}
	ch := make(chan opened, 1)
	go func() {
		// Opening a FIFO blocks until a writer opens it too.
		f, err := os.Open(path)
		ch <- opened{f, err}
	}()
	select {
	case o := <-ch:
		if o.err != nil {
			return nil, &exitError{code: exitUsage, err: fmt.Errorf("%s: %w", what, o.err)}
		}
		c := &ctxFile{f: o.f, ctx: ctx}
		c.stop = context.AfterFunc(ctx, func() { _ = o.f.Close() })
		return c, nil
	case <-ctx.Done():
		go func() {
			if o := <-ch; o.f != nil {
				_ = o.f.Close()
			}
		}()
		return nil, &exitError{code: exitIncomplete, err: fmt.Errorf("%s %s: stopped waiting for a writer: %w", what, path, context.Cause(ctx))}
	}
}

// errStoppedReading is wrapped by the error of a read that ctx ended: the
// input was not malformed, the program was told to stop.
var errStoppedReading = errors.New("stopped reading")

// badInput reports whether err says the input is malformed (exit code 2),
// rather than that reading it was stopped.
func badInput(err error) bool {
	var fe *snapshot.FormatError
	return errors.As(err, &fe) && !errors.Is(err, errStoppedReading)
}

// ctxFile is a FIFO or device that is closed when ctx ends, which ends a
// read waiting for data.
type ctxFile struct {
	f    *os.File
	ctx  context.Context
	stop func() bool
}

func (c *ctxFile) Read(p []byte) (int, error) {
	n, err := c.f.Read(p)
	if err != nil && !errors.Is(err, io.EOF) && c.ctx.Err() != nil {
		return n, fmt.Errorf("%w: %w", errStoppedReading, context.Cause(c.ctx))
	}
	return n, err
}

func (c *ctxFile) Close() error {
	c.stop()
	err := c.f.Close()
	if errors.Is(err, os.ErrClosed) {
		return nil
	}
	return err
}
