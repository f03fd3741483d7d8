package awstest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// UserListServer is a synthetic Cognito endpoint for one pool, in the
// real wire protocol (awsJson1_1): it serves ListUsers (paged, with the
// documented `=` and `^=` filters on username and sub), DescribeUserPool
// (EstimatedNumberOfUsers is the number of users) and the other pool reads
// a collection makes, from users held in memory, so that a listing of
// many users can be measured and faults injected without an emulator
// creating them one by one. Every other operation answers
// UnknownOperationException, which a collection records as unavailable.
type UserListServer struct {
	// URL is the endpoint; use it as AWS_ENDPOINT_URL.
	URL string
	// PoolID is the pool's id.
	PoolID string

	mu    sync.Mutex
	users []ListedUser
	// Tamper, if set, may change a ListUsers page before it is served:
	// filter is the request's filter ("" for none), call counts the
	// requests with that filter (1 for the first).
	tamper func(filter string, call int, page []ListedUser) []ListedUser
	// failures makes ListUsers requests with a filter fail with an AWS
	// error code.
	failures map[string]string
	calls    map[string]int
	// Estimated, when non-negative, is the EstimatedNumberOfUsers served.
	estimated int
}

// ListedUser is one user of a UserListServer.
type ListedUser struct {
	Username string
	Sub      string
	// Email and Phone are optional (synthetic) contact attributes.
	Email, Phone string
}

// SyntheticUsers returns n users with lower-case UUID subs derived from
// their index: user%07d, every one with an email address, every third
// with a phone number. The same n gives the same users.
func SyntheticUsers(n int) []ListedUser {
	users := make([]ListedUser, n)
	for i := range users {
		h := sha256.Sum256([]byte("sub-" + strconv.Itoa(i)))
		x := hex.EncodeToString(h[:16])
		users[i] = ListedUser{
			Username: fmt.Sprintf("user%07d", i),
			Sub:      x[0:8] + "-" + x[8:12] + "-4" + x[13:16] + "-a" + x[17:20] + "-" + x[20:32],
			Email:    fmt.Sprintf("user%07d@example.com", i),
		}
		if i%3 == 0 {
			users[i].Phone = fmt.Sprintf("+1555%07d", i%10000000)
		}
	}
	return users
}

// StartUserListServer serves pool poolID with users; it is closed when
// the test or benchmark ends.
func StartUserListServer(t testing.TB, poolID string, users []ListedUser) *UserListServer {
	t.Helper()
	s := &UserListServer{PoolID: poolID, users: users, failures: map[string]string{}, calls: map[string]int{}, estimated: -1}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// Tamper sets a function that may change each ListUsers page before it
// is served (see UserListServer).
func (s *UserListServer) Tamper(f func(filter string, call int, page []ListedUser) []ListedUser) {
	s.mu.Lock()
	s.tamper = f
	s.mu.Unlock()
}

// Fail makes every ListUsers request with filter fail with the AWS error
// code.
func (s *UserListServer) Fail(filter, code string) {
	s.mu.Lock()
	s.failures[filter] = code
	s.mu.Unlock()
}

// SetEstimated sets the EstimatedNumberOfUsers DescribeUserPool serves.
func (s *UserListServer) SetEstimated(n int) {
	s.mu.Lock()
	s.estimated = n
	s.mu.Unlock()
}

// Filters returns how many ListUsers requests were made with each filter
// ("" for none).
func (s *UserListServer) Filters() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.calls))
	for k, v := range s.calls {
		out[k] = v
	}
	return out
}

func (s *UserListServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Read the whole request before answering, as AWS endpoints do. An
	// answer sent before the request body is read lets the SDK close that
	// body while net/http is still writing it; the failed write then closes
	// the connection under whatever response is being read on it.
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeJSONErrorMessage(w, "InvalidParameterException", "unreadable request body")
		return
	}
	target := r.Header.Get("X-Amz-Target")
	svc, op, _ := strings.Cut(target, ".")
	if svc != "AWSCognitoIdentityProviderService" {
		writeJSONErrorMessage(w, "UnknownOperationException", "the synthetic user list serves Cognito only")
		return
	}
	var in struct {
		UserPoolID      string `json:"UserPoolId"`
		Filter          string
		Limit           int
		PaginationToken string
	}
	if err := json.Unmarshal(body, &in); err != nil {
		writeJSONErrorMessage(w, "InvalidParameterException", "bad request body")
		return
	}
	if in.UserPoolID != s.PoolID {
		writeJSONErrorMessage(w, "ResourceNotFoundException", "User pool "+in.UserPoolID+" does not exist.")
		return
	}
	switch op {
	case "ListUsers":
		s.listUsers(w, in.Filter, in.Limit, in.PaginationToken)
	case "DescribeUserPool":
		s.mu.Lock()
		n := len(s.users)
		if s.estimated >= 0 {
			n = s.estimated
		}
		s.mu.Unlock()
		writeJSON(w, map[string]any{"UserPool": map[string]any{
			"Id": s.PoolID, "Name": "synthetic", "EstimatedNumberOfUsers": n, "MfaConfiguration": "OFF",
			"AccountRecoverySetting": map[string]any{"RecoveryMechanisms": []map[string]any{
				{"Name": "verified_email", "Priority": 1}, {"Name": "verified_phone_number", "Priority": 2}}},
		}})
	case "GetUserPoolMfaConfig":
		writeJSON(w, map[string]any{"MfaConfiguration": "OFF"})
	case "ListUserPoolClients":
		writeJSON(w, map[string]any{"UserPoolClients": []any{}})
	case "GetLogDeliveryConfiguration":
		writeJSON(w, map[string]any{"LogDeliveryConfiguration": map[string]any{"UserPoolId": s.PoolID, "LogConfigurations": []any{}}})
	default:
		writeJSONErrorMessage(w, "UnknownOperationException", "the synthetic user list does not serve "+op)
	}
}

// filterRE is the ListUsers filter grammar the server understands.
var filterRE = regexp.MustCompile(`^\s*(username|sub)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$`)

func (s *UserListServer) listUsers(w http.ResponseWriter, filter string, limit int, token string) {
	var match func(u ListedUser) bool
	if filter != "" {
		m := filterRE.FindStringSubmatch(filter)
		if m == nil {
			writeJSONErrorMessage(w, "InvalidParameterException", "Error while parsing filter.")
			return
		}
		attr, op := m[1], m[2]
		value := strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(m[3])
		match = func(u ListedUser) bool {
			v := u.Username
			if attr == "sub" {
				v = u.Sub
			}
			if op == "^=" {
				return strings.HasPrefix(v, value)
			}
			return v == value
		}
	}
	if limit <= 0 || limit > 60 {
		limit = 60
	}
	start := 0
	if token != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(token, "pos-"))
		if err != nil || n < 0 {
			writeJSONErrorMessage(w, "InvalidParameterException", "Invalid pagination token.")
			return
		}
		start = n
	}
	s.mu.Lock()
	s.calls[filter]++
	call := s.calls[filter]
	code := s.failures[filter]
	tamper := s.tamper
	var page []ListedUser
	next := -1
	i := start
	for ; i < len(s.users); i++ {
		if match != nil && !match(s.users[i]) {
			continue
		}
		if len(page) == limit {
			next = i
			break
		}
		page = append(page, s.users[i])
	}
	s.mu.Unlock()
	if code != "" {
		writeJSONError(w, code)
		return
	}
	if tamper != nil {
		page = tamper(filter, call, page)
	}
	users := make([]map[string]any, len(page))
	for i, u := range page {
		attrs := []map[string]string{{"Name": "sub", "Value": u.Sub}}
		if u.Email != "" {
			attrs = append(attrs, map[string]string{"Name": "email", "Value": u.Email}, map[string]string{"Name": "email_verified", "Value": "true"})
		}
		if u.Phone != "" {
			attrs = append(attrs, map[string]string{"Name": "phone_number", "Value": u.Phone}, map[string]string{"Name": "phone_number_verified", "Value": "true"})
		}
		users[i] = map[string]any{
			"Username": u.Username, "Attributes": attrs, "Enabled": true, "UserStatus": "CONFIRMED",
			"UserCreateDate": 1.7e9, "UserLastModifiedDate": 1.7e9,
		}
	}
	out := map[string]any{"Users": users}
	if next >= 0 {
		out["PaginationToken"] = "pos-" + strconv.Itoa(next)
	}
	writeJSON(w, out)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	_ = json.NewEncoder(w).Encode(v)
}
