// Package atomicfile writes files so that readers see either the old file or
// the complete new one, never a partial write: data goes to a temporary file
// in the target's directory, which is synced and renamed over the target on
// Commit. Files are created readable by their owner only, because snapshots
// and reports describe an organisation's users.
//
// A target that exists and is not a regular file (a device such as
// /dev/null or /dev/stdout, a FIFO, or a symbolic link to one) is written
// directly instead: renaming over it would replace the node with a file.
// A symbolic link to a regular file keeps the link; the file it names is
// replaced. A directory is refused with ErrIsDir.
//
// Temporary files are tracked until they are committed or removed, so
// that RemoveTemporary can remove them when the program is interrupted.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// ErrIsDir is wrapped by the error for a target that is a directory.
var ErrIsDir = errors.New("is a directory, not a file")

// File is a file being written. Write to it, then Commit or Abort.
type File struct {
	f      *os.File
	target string // the path the caller named, for errors
	final  string // where the data goes: target with symbolic links resolved
	direct bool   // writing straight into a non-regular target
	done   bool
}

// Create starts writing path. Nothing appears under a regular path until
// Commit. Errors name path, never the temporary file.
func Create(path string) (*File, error) {
	final, direct, err := resolve(path)
	if err != nil {
		return nil, err
	}
	if direct {
		f, err := os.OpenFile(final, os.O_WRONLY, 0)
		if err != nil {
			return nil, pathError("create", path, err)
		}
		return &File{f: f, target: path, final: final, direct: true}, nil
	}
	dir, base := filepath.Split(final)
	if dir == "" {
		dir = "."
	}
	f, err := CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, pathError("create", path, err)
	}
	return &File{f: f, target: path, final: final}, nil
}

// resolve finds where writing path puts its data, and whether that is a
// non-regular file to write directly.
func resolve(path string) (final string, direct bool, err error) {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		// A new file, or a dangling link: write the link itself, as
		// before, so that the error for a missing directory is plain.
		return path, false, nil
	case err != nil:
		return "", false, pathError("create", path, err)
	case fi.IsDir():
		return "", false, fmt.Errorf("create %s: %w", path, ErrIsDir)
	case !fi.Mode().IsRegular():
		return path, true, nil
	}
	final, err = filepath.EvalSymlinks(path)
	if err != nil {
		return "", false, pathError("create", path, err)
	}
	return final, false, nil
}

// Write writes p. An error names the target, not the temporary file.
func (f *File) Write(p []byte) (int, error) {
	n, err := f.f.Write(p)
	if err != nil {
		return n, pathError("write", f.target, err)
	}
	return n, nil
}

// WriteString writes s.
func (f *File) WriteString(s string) (int, error) { return f.Write([]byte(s)) }

// Name is the path the file was created for.
func (f *File) Name() string { return f.target }

// Commit syncs the data and moves it into place. For a non-regular target
// it closes it.
func (f *File) Commit() error {
	if f.done {
		return errors.New("atomicfile: already committed or aborted")
	}
	f.done = true
	if f.direct {
		if err := f.f.Close(); err != nil {
			return pathError("write", f.target, err)
		}
		return nil
	}
	tmp := f.f.Name()
	defer forget(tmp)
	if err := f.f.Sync(); err != nil {
		_ = f.f.Close()
		_ = os.Remove(tmp)
		return pathError("write", f.target, err)
	}
	if err := f.f.Close(); err != nil {
		_ = os.Remove(tmp)
		return pathError("write", f.target, err)
	}
	if err := os.Rename(tmp, f.final); err != nil {
		_ = os.Remove(tmp)
		return pathError("write", f.target, err)
	}
	return nil
}

// Abort discards what was written (what went into a non-regular target
// cannot be taken back). It is safe to call after Commit, so it can be
// deferred.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	_ = f.f.Close()
	if !f.direct {
		Remove(f.f.Name())
	}
}

// WriteFile writes data to path atomically.
func WriteFile(path string, data []byte) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Commit()
}

// pathError rewrites err to name path: the errors of the temporary file
// name a file the user never asked for.
func pathError(op, path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &fs.PathError{Op: op, Path: path, Err: err}
}

// temporary holds the names of the temporary files not yet committed or
// removed.
var temporary sync.Map

// CreateTemp creates a temporary file, readable by its owner only, as
// os.CreateTemp does, and tracks it until Remove so that RemoveTemporary
// removes it if the program is interrupted first.
func CreateTemp(dir, pattern string) (*os.File, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	temporary.Store(f.Name(), true)
	if err := f.Chmod(0o600); err != nil {
		_ = f.Close()
		Remove(f.Name())
		return nil, err
	}
	return f, nil
}

// Remove removes a file made by CreateTemp and stops tracking it.
func Remove(name string) error {
	defer forget(name)
	return os.Remove(name)
}

func forget(name string) { temporary.Delete(name) }

// RemoveTemporary removes every temporary file still tracked, for a
// program that is about to exit without finishing its work.
func RemoveTemporary() {
	temporary.Range(func(k, _ any) bool {
		_ = Remove(k.(string))
		return true
	})
}
