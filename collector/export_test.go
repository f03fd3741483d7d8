package collector

import "time"

// SetFastRetries caps the delay between retries at backoff and turns off
// the adaptive retryer's client-side pacing for the duration of a test.
// Which attempts are made, and their outcome, is unchanged.
func SetFastRetries(backoff time.Duration) (restore func()) {
	oldBackoff, oldPacing := retryMaxBackoff, adaptivePacing
	retryMaxBackoff, adaptivePacing = backoff, false
	return func() { retryMaxBackoff, adaptivePacing = oldBackoff, oldPacing }
}

// ListSequentially returns o with every pool paged sequentially.
func ListSequentially(o Options) Options {
	o.listing = listSequential
	return o
}

// ListPartitioned returns o with every pool that allows it listed in
// partitions by sub prefix, whatever the latency.
func ListPartitioned(o Options) Options {
	o.listing = listPartitioned
	return o
}
