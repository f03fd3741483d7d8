// Package atomicfile writes files so that readers see either the old file or
// the complete new one, never a partial write: data goes to a temporary file
// in the target's directory, which is synced and renamed over the target on
// Commit. Files are created readable by their owner only, because snapshots
// and reports describe an organisation's users.
package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// File is a file being written. Write to it, then Commit or Abort.
type File struct {
	*os.File
	target string
	done   bool
}

// Create starts writing path. Nothing appears under path until Commit.
func Create(path string) (*File, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	if err := f.Chmod(0o600); err != nil {
		_ = f.Close()
		_ = os.Remove(f.Name())
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return &File{File: f, target: path}, nil
}

// Commit syncs the data and moves it into place.
func (f *File) Commit() error {
	if f.done {
		return errors.New("atomicfile: already committed or aborted")
	}
	f.done = true
	tmp := f.Name()
	if err := f.Sync(); err != nil {
		_ = f.Close()
		_ = os.Remove(tmp)
		return fmt.Errorf("write %s: %w", f.target, err)
	}
	if err := f.Close(); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write %s: %w", f.target, err)
	}
	if err := os.Rename(tmp, f.target); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write %s: %w", f.target, err)
	}
	return nil
}

// Abort discards what was written. It is safe to call after Commit, so it
// can be deferred.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	_ = f.Close()
	_ = os.Remove(f.Name())
}

// WriteFile writes data to path atomically.
func WriteFile(path string, data []byte) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Commit()
}
