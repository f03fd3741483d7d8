package snapshot_test

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// compressed writes the sample snapshot to a file named name.
func compressed(t *testing.T, name string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := snapshot.WriteAll(snapshot.NewFileWriter(&buf, name), sampleSnapshot()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCompressionFor(t *testing.T) {
	for name, want := range map[string]snapshot.Compression{
		"s.json": snapshot.Uncompressed, "-": snapshot.Uncompressed, "s.json.gz": snapshot.Gzip,
		"S.JSON.GZ": snapshot.Gzip, "s.json.zst": snapshot.Zstd, "dir.gz/s.json": snapshot.Uncompressed,
	} {
		if got := snapshot.CompressionFor(name); got != want {
			t.Errorf("CompressionFor(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestCompressedRoundTrip: a snapshot written to .json.gz and .json.zst is
// compressed (told by its magic bytes) and reads back as the plain one.
func TestCompressedRoundTrip(t *testing.T) {
	plain := marshal(t, sampleSnapshot())
	want, err := snapshot.Read(bytes.NewReader(plain))
	if err != nil {
		t.Fatal(err)
	}
	for name, magic := range map[string][]byte{"s.json.gz": {0x1f, 0x8b}, "s.json.zst": {0x28, 0xb5, 0x2f, 0xfd}} {
		t.Run(name, func(t *testing.T) {
			b := compressed(t, name)
			if !bytes.HasPrefix(b, magic) {
				t.Fatalf("%s does not start with the format's magic bytes: % x", name, b[:4])
			}
			got, err := snapshot.Read(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("read back differs from the plain snapshot")
			}
			dr, err := snapshot.Decompress(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			defer dr.Close()
			if raw, err := io.ReadAll(dr); err != nil || !bytes.Equal(raw, plain) {
				t.Errorf("Decompress: %v, and the bytes differ from the plain snapshot's: %t", err, !bytes.Equal(raw, plain))
			}
		})
	}
}

// TestCompressedDamage: a compressed snapshot cut short or corrupted is
// refused with a *FormatError that says what is wrong and that the input
// was compressed.
func TestCompressedDamage(t *testing.T) {
	for _, name := range []string{"s.json.gz", "s.json.zst"} {
		b := compressed(t, name)
		kind := snapshot.CompressionFor(name).String()
		cases := map[string]struct {
			in   []byte
			want string
		}{
			"cut in the middle":  {b[:len(b)/2], "truncated"},
			"cut before the end": {b[:len(b)-3], "truncated"},
			"header only":        {b[:6], "truncated"},
			"corrupt":            {flip(b, len(b)/2), kind},
		}
		for cname, c := range cases {
			t.Run(name+"/"+cname, func(t *testing.T) {
				err := snapshot.Walk(bytes.NewReader(c.in), snapshot.Visitor{})
				var fe *snapshot.FormatError
				if !errors.As(err, &fe) {
					t.Fatalf("Walk: %v (%T), want a *FormatError", err, err)
				}
				if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), kind+"-decompressed") {
					t.Errorf("error %q does not say %q and %s-decompressed", err, c.want, kind)
				}
				if fe.Compression.String() != kind {
					t.Errorf("Compression = %v, want %s", fe.Compression, kind)
				}
			})
		}
	}
}

// flip returns b with the bytes around i inverted.
func flip(b []byte, i int) []byte {
	c := bytes.Clone(b)
	for j := i; j < i+16 && j < len(c); j++ {
		c[j] ^= 0xff
	}
	return c
}

// TestCompressedReadError: an error of the compressed input (a pipe that
// broke, a read stopped by a signal) is passed on, not taken for corrupt
// data.
func TestCompressedReadError(t *testing.T) {
	for _, name := range []string{"s.json.gz", "s.json.zst"} {
		b := compressed(t, name)
		err := snapshot.Walk(io.MultiReader(bytes.NewReader(b[:len(b)/2]), errReader{}), snapshot.Visitor{})
		if !errors.Is(err, errBroken) {
			t.Errorf("%s: %v, want the reader's error", name, err)
		}
	}
}

// TestDecompressionBombs: compressed input that expands to far more than
// the reader's bounds stops at the first bound it crosses, with the same
// error as plain input, having decompressed and allocated little of it.
func TestDecompressionBombs(t *testing.T) {
	const expanded = 256 << 20 // 256 MiB once decompressed
	prefix := doc(account(region("", pool("", "", ""))))
	prefix = prefix[:strings.Index(prefix, `"users":[`)+len(`"users":[`)]
	bombs := []struct {
		name string
		head string
		fill byte
		want string
	}{
		{"spaces", prefix + `{"mfa":{"methods":[`, ' ', "a value larger than"},
		{"a long string", prefix + `{"username":"`, 'a', "a string longer than"},
		{"deep nesting", prefix + `{"username":`, '[', "nested more than 64 levels deep"},
		{"leading spaces", "", ' ', "a value larger than"},
	}
	for _, kind := range []snapshot.Compression{snapshot.Gzip, snapshot.Zstd} {
		for _, bomb := range bombs {
			t.Run(kind.String()+"/"+bomb.name, func(t *testing.T) {
				in := compress(t, kind, bomb.head, bomb.fill, expanded)
				if len(in) > 2<<20 {
					t.Fatalf("the bomb is %d bytes compressed", len(in))
				}
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				start := time.Now()
				err := snapshot.Walk(bytes.NewReader(in), snapshot.Visitor{})
				took := time.Since(start)
				runtime.ReadMemStats(&after)
				var fe *snapshot.FormatError
				if !errors.As(err, &fe) || !strings.Contains(err.Error(), bomb.want) {
					t.Fatalf("Walk: %v, want a *FormatError saying %q", err, bomb.want)
				}
				if fe.Offset > 2*snapshot.MaxValueBytes {
					t.Errorf("stopped at byte %d of the decompressed input, want within the bounds", fe.Offset)
				}
				if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8*snapshot.MaxValueBytes {
					t.Errorf("reading allocated %d MiB for a %d MiB bomb", alloc>>20, expanded>>20)
				}
				t.Logf("%v after %v: %v", kind, took, err)
			})
		}
	}
}

// compress returns head followed by n bytes of fill, compressed as c.
func compress(t *testing.T, c snapshot.Compression, head string, fill byte, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w io.WriteCloser
	var err error
	switch c {
	case snapshot.Gzip:
		w, err = gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	case snapshot.Zstd:
		w, err = zstd.NewWriter(&buf, zstd.WithEncoderLevel(zstd.SpeedFastest))
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(w, head); err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte{fill}, 1<<20)
	for written := 0; written < n; written += len(chunk) {
		if _, err := w.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestZstdWindowBound: a zstd frame that asks for a window larger than
// MaxZstdWindow (as zstd --long=27 writes) is refused before its window
// is allocated.
func TestZstdWindowBound(t *testing.T) {
	body := marshal(t, sampleSnapshot())
	// Frame header: no content size, not single-segment, so a window
	// descriptor follows: exponent 17, 2^27 bytes (128 MiB). Then one
	// raw block, the last.
	frame := []byte{0x28, 0xb5, 0x2f, 0xfd, 0x00, 17 << 3}
	h := uint32(len(body))<<3 | 1
	frame = append(frame, byte(h), byte(h>>8), byte(h>>16))
	frame = append(frame, body...)
	err := snapshot.Walk(bytes.NewReader(frame), snapshot.Visitor{})
	var fe *snapshot.FormatError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "window larger than") {
		t.Errorf("Walk: %v, want the window refused", err)
	}
	// The same frame with an 8 MiB window reads.
	frame[5] = 13 << 3
	if err := snapshot.Walk(bytes.NewReader(frame), snapshot.Visitor{}); err != nil {
		t.Errorf("Walk of an 8 MiB window: %v", err)
	}
}
