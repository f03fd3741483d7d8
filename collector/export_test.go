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
