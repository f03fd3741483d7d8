package collector

import (
	"errors"
	"net/http"
	"regexp"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// ok is the Source for a successful read of action.
func ok(action string) snapshot.Source {
	return snapshot.Source{Status: snapshot.SourceOK, Action: action}
}

// failed turns an AWS call error into the Source that records it.
func failed(action string, err error) snapshot.Source {
	return snapshot.Source{Status: classify(err), Action: action, Error: redact(err.Error())}
}

// sourceOf is ok(action) for a nil error and failed(action, err) otherwise.
func sourceOf(action string, err error) snapshot.Source {
	if err == nil {
		return ok(action)
	}
	return failed(action, err)
}

// Error codes by the status they map to. Codes are compared
// case-insensitively; Access denied codes also match by prefix
// (AccessDenied, AccessDeniedException, ...).
var (
	deniedCodes = []string{"UnauthorizedOperation", "AuthorizationError", "NotAuthorized",
		"UnrecognizedClientException", "InvalidClientTokenId", "ExpiredToken", "ExpiredTokenException"}
	unavailableCodes = []string{"UnknownOperation", "UnknownOperationException", "InvalidAction",
		"NotImplemented", "OperationNotSupported", "UnsupportedOperation", "UnsupportedOperationException",
		"OptInRequired", "InvalidEndpointException"}
	throttledCodes = []string{"TooManyRequestsException", "Throttling", "ThrottlingException",
		"Throttled", "ThrottledException", "RequestLimitExceeded", "RequestThrottled",
		"RequestThrottledException", "SlowDown"}
)

// classify maps an error from the SDK (after its retries) to a source
// status.
func classify(err error) snapshot.SourceStatus {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		code := apiErr.ErrorCode()
		switch {
		case hasPrefixFold(code, "AccessDenied") || inFold(code, deniedCodes):
			return snapshot.SourceDenied
		case inFold(code, unavailableCodes):
			return snapshot.SourceUnavailable
		case inFold(code, throttledCodes):
			return snapshot.SourceThrottled
		}
		if code != "UnknownError" {
			return snapshot.SourceError
		}
		// "UnknownError" is what the SDK calls an error response it could
		// not parse: fall through to the HTTP status.
	}
	var respErr *awshttp.ResponseError
	if errors.As(err, &respErr) {
		switch respErr.HTTPStatusCode() {
		case http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusNotImplemented:
			// No such route: the endpoint does not offer the operation.
			return snapshot.SourceUnavailable
		case http.StatusInternalServerError:
			// Real AWS answers a 500 with a parseable error code; a 500
			// without one is an emulator (moto) that does not implement
			// the operation.
			if apiErr == nil {
				return snapshot.SourceUnavailable
			}
		case http.StatusTooManyRequests:
			return snapshot.SourceThrottled
		case http.StatusForbidden:
			return snapshot.SourceDenied
		}
	}
	return snapshot.SourceError
}

func inFold(s string, list []string) bool {
	for _, c := range list {
		if strings.EqualFold(s, c) {
			return true
		}
	}
	return false
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// Error texts from AWS do not normally carry contact data, and the
// collector never puts an address or number into a request, but error
// texts end up in snapshots that get shared: anything shaped like an email
// address or an E.164 number is blanked out to be sure.
var (
	emailRE = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	phoneRE = regexp.MustCompile(`\+[0-9]{7,15}`)
)

func redact(s string) string {
	s = emailRE.ReplaceAllString(s, "[redacted-email]")
	return phoneRE.ReplaceAllString(s, "[redacted-phone]")
}
