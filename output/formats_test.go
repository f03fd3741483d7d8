package output

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestListsPassedDeclared holds each format to its registration: a format
// that declares ListsPassed lists passes with Options.IncludePassed, and
// any other format writes the same report with or without it.
func TestListsPassedDeclared(t *testing.T) {
	for _, name := range Formats() {
		f, err := Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		without := renderEvery(t, name, Options{})
		with := renderEvery(t, name, Options{IncludePassed: true})
		if changed := !bytes.Equal(without, with); changed != f.ListsPassed {
			t.Errorf("%s: ListsPassed is %v, but --include-passed changes the report: %v", name, f.ListsPassed, changed)
		}
	}
	if got := PassedFormats(); len(got) == 0 || len(got) == len(Formats()) {
		t.Errorf("PassedFormats() = %v: want some formats, not all", got)
	}
}

// renderEvery renders the fixture in one format, every part of it.
func renderEvery(t *testing.T, format string, opts Options) []byte {
	t.Helper()
	rd, err := New(format, opts)
	if err != nil {
		t.Fatal(err)
	}
	rd.Close()
	if _, parted := rd.(PartedRenderer); parted {
		return bytes.Join(renderParts(t, format, fixtureReport(), opts), nil)
	}
	return render(t, format, fixtureReport(), opts)
}

// TestEveryFormatHasGolden finds each registered format's golden files by
// its name or extension (testdata/report.NAME.golden or report.EXT.golden,
// and report-N.EXT.golden for each part of a report in several files), so
// a new format is held to one without a list to edit here.
func TestEveryFormatHasGolden(t *testing.T) {
	for _, name := range Formats() {
		f, _ := Lookup(name)
		rd, err := f.New(Options{})
		if err != nil {
			t.Fatal(err)
		}
		rd.Close()
		got := [][]byte{}
		if _, parted := rd.(PartedRenderer); parted {
			got = renderParts(t, name, fixtureReport(), Options{})
		} else {
			got = append(got, render(t, name, fixtureReport(), Options{}))
		}
		for i := range got {
			candidates := []string{fmt.Sprintf("report-%d%s.golden", i+1, f.Ext)}
			if len(got) == 1 {
				candidates = []string{"report." + name + ".golden", "report" + f.Ext + ".golden"}
			}
			want, file := readFirst(candidates)
			if want == nil {
				t.Errorf("%s: no golden file (want one of testdata/%v)", name, candidates)
				continue
			}
			if !bytes.Equal(got[i], want) {
				t.Errorf("%s: differs from testdata/%s", name, file)
			}
		}
	}
}

// readFirst reads the first of the files in testdata that exists.
func readFirst(files []string) ([]byte, string) {
	for _, file := range files {
		if b, err := os.ReadFile(filepath.Join("testdata", file)); err == nil {
			return b, file
		}
	}
	return nil, ""
}
