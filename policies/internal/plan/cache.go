package plan

import "sync"

// cacheLimit bounds the results kept per batch and pool: beyond it, users
// with new keys are still evaluated, just not remembered.
const cacheLimit = 1 << 14

// Cache holds one pool's shared results, V, by batch and key. It is safe
// for concurrent use.
type Cache[V any] struct {
	batches []batchCache[V]
}

type batchCache[V any] struct {
	mu sync.RWMutex
	m  map[string]V
	// evaluations counts the results offered to Put.
	evaluations int64
}

// NewCache makes an empty cache for p's batches.
func NewCache[V any](p *Plan) *Cache[V] {
	c := &Cache[V]{batches: make([]batchCache[V], len(p.batches))}
	for i := range c.batches {
		c.batches[i].m = map[string]V{}
	}
	return c
}

// Get returns the result of batch i (an index into Plan.Batches) kept
// under key; never one for a nil key.
func (c *Cache[V]) Get(i int, key []byte) (V, bool) {
	if key == nil {
		var zero V
		return zero, false
	}
	b := &c.batches[i]
	b.mu.RLock()
	defer b.mu.RUnlock()
	v, ok := b.m[string(key)]
	return v, ok
}

// Put keeps v as the result of batch i under key, while the batch keeps
// fewer than its limit; a nil key keeps nothing.
func (c *Cache[V]) Put(i int, key []byte, v V) {
	if key == nil {
		return
	}
	b := &c.batches[i]
	b.mu.Lock()
	defer b.mu.Unlock()
	b.evaluations++
	if len(b.m) < cacheLimit {
		b.m[string(key)] = v
	}
}

// CacheStats says what a pool's cache did for one batch.
type CacheStats struct {
	// Kept are the results kept; Evaluations the results offered,
	// one per evaluation of the batch under a key.
	Kept        int
	Evaluations int64
}

// Stats are the cache's figures, by batch.
func (c *Cache[V]) Stats() []CacheStats {
	out := make([]CacheStats, len(c.batches))
	for i := range c.batches {
		b := &c.batches[i]
		b.mu.RLock()
		out[i] = CacheStats{Kept: len(b.m), Evaluations: b.evaluations}
		b.mu.RUnlock()
	}
	return out
}
