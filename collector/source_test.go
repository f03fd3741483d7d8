package collector

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

func respErr(status int, err error) error {
	return &smithy.OperationError{ServiceID: "SNS", OperationName: "X", Err: &awshttp.ResponseError{
		ResponseError: &smithyhttp.ResponseError{Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status}}, Err: err},
	}}
}

func apiErr(code string) error { return &smithy.GenericAPIError{Code: code, Message: "m"} }

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want snapshot.SourceStatus
	}{
		{respErr(403, apiErr("AccessDenied")), snapshot.SourceDenied},
		{respErr(400, apiErr("AccessDeniedException")), snapshot.SourceDenied},
		{respErr(403, apiErr("AuthorizationError")), snapshot.SourceDenied},
		{respErr(403, apiErr("UnauthorizedOperation")), snapshot.SourceDenied},
		{respErr(400, apiErr("InvalidAction")), snapshot.SourceUnavailable},
		{respErr(400, apiErr("UnknownOperationException")), snapshot.SourceUnavailable},
		{respErr(404, errors.New("html page")), snapshot.SourceUnavailable},
		{respErr(404, apiErr("UnknownError")), snapshot.SourceUnavailable},
		{respErr(501, apiErr("NotImplemented")), snapshot.SourceUnavailable},
		{respErr(500, errors.New("deserialization failed: not XML")), snapshot.SourceUnavailable},
		{respErr(500, apiErr("InternalFailure")), snapshot.SourceError},
		{respErr(400, apiErr("TooManyRequestsException")), snapshot.SourceThrottled},
		{respErr(400, apiErr("Throttling")), snapshot.SourceThrottled},
		{respErr(400, apiErr("ThrottlingException")), snapshot.SourceThrottled},
		{respErr(503, apiErr("RequestLimitExceeded")), snapshot.SourceThrottled},
		{respErr(400, apiErr("ResourceNotFoundException")), snapshot.SourceError},
		{errors.New("dial tcp: connection refused"), snapshot.SourceError},
	} {
		if got := classify(tc.err); got != tc.want {
			t.Errorf("classify(%v) = %s, want %s", tc.err, got, tc.want)
		}
	}
}

func TestFailedRedactsContactData(t *testing.T) {
	err := fmt.Errorf("user jane.doe@example.com with +14155550123 not found; role arn:aws:iam::123456789012:role/x")
	src := failed("cognito-idp:AdminGetUser", err)
	want := "user [redacted-email] with [redacted-phone] not found; role arn:aws:iam::123456789012:role/x"
	if src.Error != want || src.Status != snapshot.SourceError || src.Action != "cognito-idp:AdminGetUser" {
		t.Errorf("failed() = %+v", src)
	}
}

func TestUserFilter(t *testing.T) {
	tests := map[string]string{
		"alice":                                `username = "alice"`,
		`we"ird\name`:                          `username = "we\"ird\\name"`,
		"0f8fad5b-d9cb-469f-a165-70867728950e": `sub = "0f8fad5b-d9cb-469f-a165-70867728950e"`,
		"0f8fad5b-d9cb-469f-a165-70867728950":  `username = "0f8fad5b-d9cb-469f-a165-70867728950"`,
	}
	for in, want := range tests {
		if got := UserFilter(in); got != want {
			t.Errorf("UserFilter(%q) = %s, want %s", in, got, want)
		}
	}
}
