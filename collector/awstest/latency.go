package awstest

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// LatencyProxy forwards every request to an upstream endpoint (moto) after
// a fixed delay, so that a benchmark sees the per-request latency of a
// real AWS endpoint instead of a loopback emulator's few milliseconds. It
// counts the requests it forwards and how many were in flight at once.
type LatencyProxy struct {
	// URL is the proxy's endpoint; use it as AWS_ENDPOINT_URL.
	URL string
	// Latency is added to every request before it is forwarded.
	Latency time.Duration

	proxy    *httputil.ReverseProxy
	inFlight atomic.Int64
	maxIn    atomic.Int64

	mu    sync.Mutex
	calls map[string]int64
	// first and last: when the first request of an operation arrived and
	// its last answer was sent.
	first, last map[string]time.Time
}

// StartLatencyProxy starts a LatencyProxy in front of upstream; it is
// closed when the test or benchmark ends.
func StartLatencyProxy(t testing.TB, upstream string, latency time.Duration) *LatencyProxy {
	t.Helper()
	u, err := url.Parse(upstream)
	if err != nil {
		t.Fatalf("latency proxy upstream %q: %v", upstream, err)
	}
	p := &LatencyProxy{Latency: latency, calls: map[string]int64{}, first: map[string]time.Time{}, last: map[string]time.Time{}}
	p.proxy = httputil.NewSingleHostReverseProxy(u)
	// Reuse copy buffers so that the proxy's own allocations stay small
	// next to those of the code a benchmark measures in the same process.
	p.proxy.BufferPool = &bufferPool{}
	p.proxy.Transport = &http.Transport{MaxIdleConnsPerHost: 64, IdleConnTimeout: 30 * time.Second}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

func (p *LatencyProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := p.inFlight.Add(1)
	defer p.inFlight.Add(-1)
	for {
		m := p.maxIn.Load()
		if n <= m || p.maxIn.CompareAndSwap(m, n) {
			break
		}
	}
	op := operation(r)
	p.mu.Lock()
	p.calls[op]++
	if _, seen := p.first[op]; !seen {
		p.first[op] = time.Now()
	}
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		p.last[op] = time.Now()
		p.mu.Unlock()
	}()
	if p.Latency > 0 {
		timer := time.NewTimer(p.Latency)
		select {
		case <-timer.C:
		case <-r.Context().Done():
			timer.Stop()
			return
		}
	}
	p.proxy.ServeHTTP(w, r)
}

// operation names a request by its X-Amz-Target operation (the JSON
// protocols Cognito and SESv2 use), else "other".
func operation(r *http.Request) string {
	if t := r.Header.Get("X-Amz-Target"); t != "" {
		if _, op, ok := strings.Cut(t, "."); ok {
			return op
		}
		return t
	}
	return "other"
}

// Calls returns how many requests of operation op were forwarded.
func (p *LatencyProxy) Calls(op string) int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls[op]
}

// Span returns the time from the arrival of the first request of
// operation op to the answer of its last; 0 when there was none.
func (p *LatencyProxy) Span(op string) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	first, seen := p.first[op]
	if !seen {
		return 0
	}
	return p.last[op].Sub(first)
}

// MaxInFlight returns the most requests the proxy held at once.
func (p *LatencyProxy) MaxInFlight() int64 { return p.maxIn.Load() }

// Reset clears the counters.
func (p *LatencyProxy) Reset() {
	p.mu.Lock()
	clear(p.calls)
	clear(p.first)
	clear(p.last)
	p.mu.Unlock()
	p.maxIn.Store(0)
}

// bufferPool implements httputil.BufferPool.
type bufferPool struct{ p sync.Pool }

func (b *bufferPool) Get() []byte {
	if v, ok := b.p.Get().(*[]byte); ok {
		return *v
	}
	return make([]byte, 32<<10)
}

func (b *bufferPool) Put(buf []byte) { b.p.Put(&buf) }
