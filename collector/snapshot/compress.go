package snapshot

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// Compression is how a snapshot file is compressed. Writers choose it by
// the file's name (CompressionFor); Walk tells it by the first bytes, so
// every command reads any of them.
type Compression int

// The compressions a snapshot may be written with.
const (
	Uncompressed Compression = iota
	Gzip                     // a name ending in .gz, such as snapshot.json.gz
	Zstd                     // a name ending in .zst, such as snapshot.json.zst
)

func (c Compression) String() string {
	switch c {
	case Gzip:
		return "gzip"
	case Zstd:
		return "zstd"
	}
	return "uncompressed"
}

// CompressionFor returns the compression a snapshot file named name is
// written with: gzip for a name ending in .gz, zstd for one ending in
// .zst, none otherwise ("-", standard output, included).
func CompressionFor(name string) Compression {
	switch n := strings.ToLower(name); {
	case strings.HasSuffix(n, ".gz"):
		return Gzip
	case strings.HasSuffix(n, ".zst"):
		return Zstd
	}
	return Uncompressed
}

// MaxZstdWindow bounds the window a zstd snapshot may ask the reader to
// hold. The window is the memory zstd decompression takes; zstd's levels
// 1 to 19 use at most 8 MiB, and so does this package's writer; only
// --long and --ultra go beyond.
const MaxZstdWindow = 8 << 20

// NewCompressor returns a writer that compresses what is written to it into
// w as c says. Its Close ends the compressed stream and does not close w.
// For Uncompressed it passes writes through.
func NewCompressor(w io.Writer, c Compression) io.WriteCloser {
	switch c {
	case Gzip:
		// Level 1 already gives most of the gain on a snapshot's
		// repetitive JSON, at several times the speed of the default.
		zw, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
		if err != nil {
			panic(err) // only for an invalid level
		}
		return zw
	case Zstd:
		zw, err := zstd.NewWriter(w,
			zstd.WithEncoderLevel(zstd.SpeedDefault),
			zstd.WithWindowSize(MaxZstdWindow),
			zstd.WithEncoderConcurrency(2))
		if err != nil {
			panic(err) // only for invalid options
		}
		return zw
	}
	return nopCloser{w}
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// NewFileWriter returns a Writer on w for a snapshot file named name,
// compressed as CompressionFor(name) says. Its Close ends the compressed
// stream too (but does not close w).
func NewFileWriter(w io.Writer, name string) *Writer {
	c := CompressionFor(name)
	if c == Uncompressed {
		return NewWriter(w)
	}
	cw := NewCompressor(w, c)
	sw := NewWriter(cw)
	sw.closer = cw
	return sw
}

// Magic numbers of the compressed formats.
var (
	gzipMagic = []byte{0x1f, 0x8b}
	zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}
)

// sniff tells the compression of a stream from its first bytes. A JSON
// document starts with whitespace or a '{', never with these.
func sniff(head []byte) Compression {
	switch {
	case bytes.HasPrefix(head, gzipMagic):
		return Gzip
	case bytes.HasPrefix(head, zstdMagic):
		return Zstd
	case len(head) == 4 && head[0]&0xf0 == 0x50 && head[1] == 0x2a && head[2] == 0x4d && head[3] == 0x18:
		return Zstd // a skippable frame first
	}
	return Uncompressed
}

// Decompress returns what r holds decompressed: r's bytes for a JSON
// snapshot, or the decompressed stream of a gzip or zstd one, told by its
// first bytes. Errors of the compressed data are *FormatError; errors of
// r are passed on. Close releases the decompressor, not r.
func Decompress(r io.Reader) (io.ReadCloser, error) {
	rc, _, err := decompress(r)
	return rc, err
}

func decompress(r io.Reader) (io.ReadCloser, Compression, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(4) // an error comes again from Read
	c := sniff(head)
	if c == Uncompressed {
		return io.NopCloser(br), c, nil
	}
	src := &sourceReader{r: br}
	d := &decompressed{src: src, c: c}
	switch c {
	case Gzip:
		zr, err := gzip.NewReader(src)
		if err != nil {
			return nil, c, d.wrap(err)
		}
		d.r, d.close = zr, zr.Close
	case Zstd:
		zr, err := zstd.NewReader(src,
			zstd.WithDecoderMaxWindow(MaxZstdWindow),
			zstd.WithDecoderConcurrency(2),
			zstd.WithDecoderLowmem(true))
		if err != nil {
			return nil, c, d.wrap(err)
		}
		d.r, d.close = zr, func() error { zr.Close(); return nil }
	}
	return d, c, nil
}

// sourceReader remembers the error of the compressed input, to tell it
// from an error in the compressed data.
type sourceReader struct {
	r   io.Reader
	err error
}

func (s *sourceReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		s.err = err
	}
	return n, err
}

// decompressed is a decompressing reader whose errors say what is wrong.
type decompressed struct {
	r     io.Reader
	close func() error
	src   *sourceReader
	c     Compression
	n     int64 // bytes handed out
}

func (d *decompressed) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	d.n += int64(n)
	if err != nil && err != io.EOF {
		err = d.wrap(err)
	}
	return n, err
}

func (d *decompressed) Close() error {
	if d.close == nil {
		return nil
	}
	return d.close()
}

// wrap says what a decompressor's error means: the input's own error
// (a read that failed or was stopped) is passed on as it is; anything else
// is the compressed data's fault.
func (d *decompressed) wrap(err error) error {
	if d.src.err != nil {
		return d.src.err
	}
	fe := &FormatError{Offset: d.n, Compression: d.c, Err: err}
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		fe.Msg = fmt.Sprintf("truncated: the %s data ends before its end (the file was cut short)", d.c)
	case errors.Is(err, zstd.ErrWindowSizeExceeded):
		fe.Msg = fmt.Sprintf("the zstd data needs a window larger than the %d MiB the reader allows (compressed with --long or --ultra?): recompress it with zstd -19 or lower", MaxZstdWindow>>20)
	default:
		fe.Msg = fmt.Sprintf("corrupt %s data", d.c)
	}
	return fe
}
