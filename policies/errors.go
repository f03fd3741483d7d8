package policies

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// LoadError is a policy that cannot be loaded: a parse or compile error, or
// bad METADATA. Each problem is one line that starts with the file and
// line.
type LoadError struct {
	// Problems are the problems, one line each, "file:line: message".
	Problems []string
	// Err is the underlying error.
	Err error
}

func (e *LoadError) Error() string {
	if len(e.Problems) == 1 {
		return "load policies: " + e.Problems[0]
	}
	return fmt.Sprintf("load policies: %d problems:\n%s", len(e.Problems), strings.Join(e.Problems, "\n"))
}

func (e *LoadError) Unwrap() error { return e.Err }

// newLoadError turns a parse, compile or METADATA error into a LoadError,
// one clean line per problem.
func newLoadError(err error) *LoadError {
	var le *LoadError
	if errors.As(err, &le) {
		return le
	}
	var errs ast.Errors
	if errors.As(err, &errs) && len(errs) > 0 {
		sorted := append(ast.Errors(nil), errs...)
		sort.SliceStable(sorted, func(i, j int) bool {
			a, b := sorted[i].Location, sorted[j].Location
			if a == nil || b == nil {
				return a != nil && b == nil
			}
			if a.File != b.File {
				return a.File < b.File
			}
			return a.Row < b.Row
		})
		out := &LoadError{Err: err}
		for _, e := range sorted {
			out.Problems = append(out.Problems, formatASTError(e))
		}
		return out
	}
	var one *ast.Error
	if errors.As(err, &one) {
		return &LoadError{Problems: []string{formatASTError(one)}, Err: err}
	}
	return &LoadError{Problems: []string{oneLine(err.Error())}, Err: err}
}

// formatASTError writes an OPA error as "file:line: message" on one line,
// explaining sandbox refusals and schema mismatches in the words of the
// snapshot model.
func formatASTError(e *ast.Error) string {
	where := "policies"
	if e.Location != nil {
		if e.Location.File != "" {
			where = fmt.Sprintf("%s:%d", e.Location.File, e.Location.Row)
		} else {
			where = fmt.Sprintf("line %d", e.Location.Row)
		}
	}
	msg := e.Message
	if name, ok := strings.CutPrefix(msg, "undefined function "); ok {
		if why := deniedBuiltin(name); why != "" {
			return fmt.Sprintf("%s: %s is not allowed: recoverscan runs policies in a sandbox (%s)", where, name, why)
		}
	}
	switch d := e.Details.(type) {
	case *ast.RefErrInvalidDetail:
		if d.Pos >= 0 && d.Pos < len(d.Ref) {
			parent := d.Ref[:d.Pos].String()
			var b strings.Builder
			fmt.Fprintf(&b, "%s: %s: ", where, inputWord(d.Ref))
			if d.Have != nil {
				fmt.Fprintf(&b, "%s is indexed with a %v", parent, d.Have)
			} else {
				fmt.Fprintf(&b, "%s has no field %v", parent, d.Ref[d.Pos])
			}
			switch {
			case len(d.OneOf) > 0:
				names := make([]string, len(d.OneOf))
				for i, v := range d.OneOf {
					names[i] = strings.Trim(v.String(), `"`)
				}
				fmt.Fprintf(&b, " (it has: %s)", strings.Join(names, ", "))
			case d.Want != nil:
				fmt.Fprintf(&b, " (want %v)", d.Want)
			default:
				b.WriteString(" (it has no fields)")
			}
			return b.String()
		}
	case *ast.RefErrUnsupportedDetail:
		if d.Pos > 0 && d.Pos <= len(d.Ref) {
			return fmt.Sprintf("%s: %s: %s is a %v, it has no field %v", where, inputWord(d.Ref), d.Ref[:d.Pos], d.Have, d.Ref[d.Pos])
		}
	}
	code := ""
	if e.Code == ast.ParseErr {
		code = "parse error: "
	}
	return where + ": " + code + oneLine(msg)
}

// inputWord describes a ref an error is about.
func inputWord(r ast.Ref) string {
	if r.HasPrefix(ast.InputRootRef) {
		return fmt.Sprintf("%s is not in the snapshot model", r)
	}
	return fmt.Sprintf("undefined reference %s", r)
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
