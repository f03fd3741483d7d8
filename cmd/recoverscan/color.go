package main

import (
	"io"
	"os"

	"golang.org/x/term"
)

// useColor reports whether to colour output written to w.
func useColor(w io.Writer, disabled bool) bool {
	if disabled || os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
