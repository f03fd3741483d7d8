package awstest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// StandInState is what the stand-in serves. The zero value serves an
// account out of the SMS sandbox with no lists, no SMS spend this month,
// End User Messaging in production with a new account's spend limits and
// no numbers, pools without log delivery, and leaves
// ListPhoneNumbersOptedOut, GetSMSAttributes, GetEmailIdentity,
// GetConfigurationSet and ListEmailIdentities to moto.
type StandInState struct {
	// SMS is the SMS state (SNS, CloudWatch spend, End User Messaging) of
	// every region that SMSByRegion does not name.
	SMS SMSFixture
	// SMSByRegion is the SMS state of the regions it names, by the
	// region a request is signed for.
	SMSByRegion map[string]SMSFixture
	Email       EmailFixture
	// LogDelivery is what Cognito GetLogDeliveryConfiguration answers, by
	// pool id; a pool not in the map has no log configuration.
	LogDelivery map[string][]LogConfiguration
	// Errors makes operations fail: operation name (as in the API, e.g.
	// "GetSMSSandboxAccountStatus", "ListUsers") → AWS error code (e.g.
	// "AuthorizationError", "AccessDeniedException", "Throttling"). It
	// applies to proxied operations too.
	Errors map[string]string
	// ErrorsAfter lets that many calls of an operation succeed before
	// Errors applies to it, to fail a listing part way.
	ErrorsAfter map[string]int
	// ErrorsFirst turns Errors into a burst: only that many calls of the
	// operation (after the ErrorsAfter successful ones) fail, and later
	// calls go through, as when throttling or a 5xx clears up and the
	// caller's retry succeeds. Operations without an entry fail for good.
	ErrorsFirst map[string]int
	// ResetFirst makes the first call of every distinct request of an
	// operation (the same body and URL: for ListUsers, the same page)
	// lose its TCP connection part way through the response: the stand-in
	// sends the headers and half the body, then resets the connection.
	// The retried request is answered normally.
	ResetFirst map[string]bool
	// ListUsersTokenExpiresAfter, when positive, makes ListUsers requests
	// that carry a PaginationToken fail with InvalidParameterException
	// ("Pagination token expired") once that many ListUsers pages of the
	// pool have been served, as when a listing outlives Cognito's
	// one-hour token lifetime.
	ListUsersTokenExpiresAfter int
	// Hang makes operations never answer (until the caller gives up), after
	// HangAfter successful calls of that operation.
	Hang      map[string]bool
	HangAfter map[string]int
	// ListUsersLimit, when positive, lowers the Limit of proxied
	// cognito-idp ListUsers requests so that paging is exercised.
	ListUsersLimit int
	// BeforeListUsers, if set, is called before each ListUsers request is
	// answered (retries included, before any fault is injected), with the
	// pool id and how many ListUsers requests for that pool the stand-in
	// has seen, this one included (1 for the first page). A test changes
	// the pool in the emulator from it, between the pages of a listing.
	BeforeListUsers func(poolID string, call int)
	// ListUsersByPosition makes the stand-in page ListUsers itself: it
	// reads the pool's whole user list from upstream, orders it by
	// username and serves the page at the position the pagination token
	// holds, as a service without stable cursors would. Users added or
	// removed ahead of that position shift the later pages: a user is
	// returned again, or skipped.
	ListUsersByPosition bool
	// PageSize is the page size of the stand-in's list operations, small
	// by default so that callers' paging is exercised. Default 2.
	PageSize int
	// Log, if set, records every operation the stand-in sees.
	Log *CallLog
	// DenyRoles makes sts:AssumeRole of these role ARNs answer
	// AccessDenied, as when a role's trust policy does not allow the
	// caller (moto lets anyone assume any role).
	DenyRoles map[string]bool
}

// SMSFixture is the SNS SMS state the stand-in serves.
type SMSFixture struct {
	InSandbox      bool
	SandboxNumbers []SandboxNumber
	// OriginationNumbers are served by ListOriginationNumbers.
	OriginationNumbers []OriginationNumber
	// OptedOut, when non-nil, is served by ListPhoneNumbersOptedOut
	// instead of moto's fixed list.
	OptedOut []string
	// Attributes, when non-nil, are served by GetSMSAttributes.
	Attributes map[string]string
	// Spend are the daily values of the CloudWatch metric AWS/SNS
	// SMSMonthToDateSpentUSD that GetMetricData serves, from the start of
	// the period asked for; none means nothing was sent.
	Spend []float64
	// SpendStatus, when set, is the StatusCode of GetMetricData's last
	// page instead of Complete.
	SpendStatus string
	// EUMS is the End User Messaging SMS state.
	EUMS EUMSFixture
}

// LogConfiguration is one entry of a pool's log delivery configuration.
type LogConfiguration struct {
	EventSource string // userNotification | userAuthEvents
	LogLevel    string // ERROR | INFO
	// At most one destination is set, as Cognito requires.
	LogGroupARN, BucketARN, StreamARN string
}

// SandboxNumber is one SMS sandbox destination.
type SandboxNumber struct {
	PhoneNumber string
	Status      string // Pending | Verified
}

// OriginationNumber is one SNS origination number.
type OriginationNumber struct {
	PhoneNumber     string
	Iso2CountryCode string
	Status          string   // e.g. ACTIVE
	RouteType       string   // Transactional | Promotional | Premium
	Capabilities    []string // SMS | MMS | VOICE
}

// EmailFixture is the SES state the stand-in serves.
type EmailFixture struct {
	Account    SESAccount
	Suppressed []SuppressedAddress
	// Identities, when non-nil, are served by GetEmailIdentity; a name
	// not in the map answers NotFoundException.
	Identities map[string]EmailIdentity
	// ConfigurationSets, when non-nil, are served by GetConfigurationSet;
	// a name not in the map answers NotFoundException.
	ConfigurationSets map[string]ConfigurationSet
	// ListedIdentities, when non-nil, are served by ListEmailIdentities
	// (moto's says SUCCESS for every identity).
	ListedIdentities []ListedIdentity
}

// ListedIdentity is one entry of ListEmailIdentities.
type ListedIdentity struct {
	Name               string // a domain or an address
	VerificationStatus string // SUCCESS | PENDING | FAILED | TEMPORARY_FAILURE | NOT_STARTED
}

// SESAccount is what GetAccount answers.
type SESAccount struct {
	ProductionAccessEnabled bool
	SendingEnabled          bool
	EnforcementStatus       string
	Max24HourSend           float64
	MaxSendRate             float64
	SentLast24Hours         float64
}

// SuppressedAddress is one entry of the SES account suppression list.
type SuppressedAddress struct {
	Address string
	Reason  string // BOUNCE | COMPLAINT
}

// EmailIdentity is what GetEmailIdentity answers for one identity.
type EmailIdentity struct {
	VerifiedForSending bool
	VerificationStatus string // SUCCESS | PENDING | FAILED | ...
	DKIMStatus         string
	// Policies are the identity's sending authorization policies, policy
	// name → JSON document (moto's GetEmailIdentity leaves them out).
	Policies map[string]string
}

// ConfigurationSet is what GetConfigurationSet answers for one set.
type ConfigurationSet struct {
	// SendingDisabled turns SendingOptions.SendingEnabled off.
	SendingDisabled bool
}

// CallLog records the operations a stand-in saw, as IAM-style actions
// ("sns:ListOriginationNumbers", "cognito-idp:ListUsers").
type CallLog struct {
	mu       sync.Mutex
	calls    []string
	requests map[string]int
	retried  []string
}

// add records one attempt of action; request identifies the request
// (method, URL and body), which is the same for every retry of a call.
// retry is true when the SDK marked the attempt as a retry.
func (l *CallLog) add(action, request string, retry bool) {
	if l == nil {
		return
	}
	l.mu.Lock()
	l.calls = append(l.calls, action)
	if l.requests == nil {
		l.requests = map[string]int{}
	}
	l.requests[action+" "+request]++
	if retry {
		l.retried = append(l.retried, action)
	}
	l.mu.Unlock()
}

// Retried returns the actions of the attempts the SDK marked as retries
// (an amz-sdk-request header with an attempt number above 1), in order.
// Unlike Attempts, it tells a retried call from the same request made
// again as a new call.
func (l *CallLog) Retried() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.retried)
}

// isRetry reports whether the SDK marked r as a retry: its
// amz-sdk-request header reads "attempt=N; max=M" with N > 1.
func isRetry(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Amz-Sdk-Request"), ";") {
		if k, v, found := strings.Cut(strings.TrimSpace(part), "="); found && k == "attempt" {
			n, err := strconv.Atoi(v)
			return err == nil && n > 1
		}
	}
	return false
}

// Attempts counts the attempts of each distinct request: key "action
// digest", where the digest identifies the method, URL and body. A call
// the SDK retries is one request attempted several times; distinct calls
// (another page, another pool) are distinct requests.
func (l *CallLog) Attempts() map[string]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return maps.Clone(l.requests)
}

// Calls returns the recorded operations in order.
func (l *CallLog) Calls() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.calls)
}

// StartStandIn starts an HTTP server that answers the operations moto
// 5.2.1 lacks (SNS GetSMSSandboxAccountStatus, ListSMSSandboxPhoneNumbers,
// ListOriginationNumbers; SESv2 GetAccount, ListSuppressedDestinations;
// CloudWatch GetMetricData in RPC v2 CBOR; End User Messaging SMS
// DescribeAccountAttributes, DescribeSpendLimits, DescribePhoneNumbers,
// DescribeSenderIds in awsJson1_0; Cognito GetLogDeliveryConfiguration in
// awsJson1_1), plus ListPhoneNumbersOptedOut, GetSMSAttributes,
// GetEmailIdentity, GetConfigurationSet and ListEmailIdentities when state
// provides them, in the real AWS wire format, and passes every other
// request to upstream (moto) unchanged. It returns the endpoint URL; the
// server stops when the test ends.
func StartStandIn(t testing.TB, upstream string, state StandInState) string {
	t.Helper()
	u, err := url.Parse(upstream)
	if err != nil {
		t.Fatalf("stand-in upstream %q: %v", upstream, err)
	}
	if state.PageSize <= 0 {
		state.PageSize = 2
	}
	s := &standIn{state: state, upstream: u, proxy: httputil.NewSingleHostReverseProxy(u)}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv.URL
}

type standIn struct {
	state    StandInState
	upstream *url.URL
	proxy    *httputil.ReverseProxy

	mu        sync.Mutex
	calls     map[string]int
	hangs     map[string]int
	resets    map[string]bool // requests whose connection was reset
	pages     map[string]int  // ListUsers pages served, by pool
	listCalls map[string]int  // ListUsers requests seen, by pool
}

// failure returns the error code op should answer with, if any.
// hang blocks until the request is abandoned when op should hang.
func (s *standIn) hang(r *http.Request, op string) bool {
	if !s.state.Hang[op] {
		return false
	}
	s.mu.Lock()
	if s.hangs == nil {
		s.hangs = map[string]int{}
	}
	s.hangs[op]++
	n := s.hangs[op]
	s.mu.Unlock()
	if n <= s.state.HangAfter[op] {
		return false
	}
	<-r.Context().Done()
	return true
}

func (s *standIn) failure(op string) (string, bool) {
	code, found := s.state.Errors[op]
	if !found {
		return "", false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.calls == nil {
		s.calls = map[string]int{}
	}
	s.calls[op]++
	n, after := s.calls[op], s.state.ErrorsAfter[op]
	if first, burst := s.state.ErrorsFirst[op]; burst {
		return code, n > after && n <= after+first
	}
	return code, n > after
}

// requestKey identifies a request by method, URL and body: the same for
// every retry of one call.
func requestKey(r *http.Request, body []byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s %s\n", r.Method, r.URL.RequestURI())
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// resetNow reports whether this request's connection should be reset:
// the first time each distinct request of a ResetFirst operation is seen.
func (s *standIn) resetNow(op, key string) bool {
	if !s.state.ResetFirst[op] {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.resets == nil {
		s.resets = map[string]bool{}
	}
	if s.resets[key] {
		return false
	}
	s.resets[key] = true
	return true
}

// serveAndReset produces the answer with serve, sends its headers and the
// first half of its body, and resets the TCP connection.
func serveAndReset(w http.ResponseWriter, r *http.Request, serve func(http.ResponseWriter, *http.Request)) {
	rec := httptest.NewRecorder()
	serve(rec, r)
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("stand-in: connection cannot be hijacked")
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		panic("stand-in: hijack: " + err.Error())
	}
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\n", res.StatusCode, http.StatusText(res.StatusCode))
	res.Header.Del("Content-Length")
	res.Header.Del("Transfer-Encoding")
	_ = res.Header.Write(buf)
	fmt.Fprintf(buf, "Content-Length: %d\r\n\r\n", len(body))
	buf.Write(body[:len(body)/2])
	_ = buf.Flush()
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // close with RST: "connection reset by peer"
	}
	_ = conn.Close()
}

// listUsersRequest is the part of a ListUsers request body the stand-in
// reads.
type listUsersRequest struct {
	UserPoolId      string
	Filter          string
	Limit           int
	PaginationToken string
}

func parseListUsers(body []byte) listUsersRequest {
	var in listUsersRequest
	_ = json.Unmarshal(body, &in)
	return in
}

// beforeListUsers counts a ListUsers request for its pool and calls
// BeforeListUsers.
func (s *standIn) beforeListUsers(body []byte) {
	if s.state.BeforeListUsers == nil {
		return
	}
	pool := parseListUsers(body).UserPoolId
	s.mu.Lock()
	if s.listCalls == nil {
		s.listCalls = map[string]int{}
	}
	s.listCalls[pool]++
	n := s.listCalls[pool]
	s.mu.Unlock()
	s.state.BeforeListUsers(pool, n)
}

// serveListUsersByPosition answers a ListUsers request from the pool's
// whole user list, read from upstream and ordered by username: the page
// starts at the position the pagination token holds.
func (s *standIn) serveListUsersByPosition(w http.ResponseWriter, r *http.Request, body []byte) {
	in := parseListUsers(body)
	var users []json.RawMessage
	token := ""
	for {
		req := map[string]any{"UserPoolId": in.UserPoolId}
		if in.Filter != "" {
			req["Filter"] = in.Filter
		}
		if token != "" {
			req["PaginationToken"] = token
		}
		b, _ := json.Marshal(req)
		up, err := http.NewRequestWithContext(r.Context(), http.MethodPost, s.upstream.String()+"/", bytes.NewReader(b))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		for _, h := range []string{"Authorization", "X-Amz-Target", "X-Amz-Date", "Content-Type"} {
			up.Header.Set(h, r.Header.Get(h))
		}
		res, err := http.DefaultClient.Do(up)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		rb, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		if res.StatusCode != http.StatusOK {
			// Pass the upstream's error (e.g. the pool no longer exists) on.
			for k, v := range res.Header {
				w.Header()[k] = v
			}
			w.WriteHeader(res.StatusCode)
			_, _ = w.Write(rb)
			return
		}
		var out struct {
			Users           []json.RawMessage
			PaginationToken string
		}
		if err := json.Unmarshal(rb, &out); err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		users = append(users, out.Users...)
		if token = out.PaginationToken; token == "" {
			break
		}
	}
	name := func(raw json.RawMessage) string {
		var u struct{ Username string }
		_ = json.Unmarshal(raw, &u)
		return u.Username
	}
	slices.SortStableFunc(users, func(a, b json.RawMessage) int { return strings.Compare(name(a), name(b)) })
	limit := in.Limit
	if limit <= 0 {
		limit = 60
	}
	from, to, next := page(in.PaginationToken, len(users), limit)
	resp := map[string]any{"Users": append([]json.RawMessage{}, users[from:to]...)}
	if next != "" {
		resp["PaginationToken"] = next
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	_ = json.NewEncoder(w).Encode(resp)
}

// tokenExpired reports whether a ListUsers request body carries a
// pagination token that ListUsersTokenExpiresAfter has expired, and
// otherwise counts the page it asks for.
func (s *standIn) tokenExpired(body []byte) bool {
	if s.state.ListUsersTokenExpiresAfter <= 0 {
		return false
	}
	var in struct {
		UserPoolId      string
		PaginationToken string
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pages == nil {
		s.pages = map[string]int{}
	}
	if in.PaginationToken != "" && s.pages[in.UserPoolId] >= s.state.ListUsersTokenExpiresAfter {
		return true
	}
	s.pages[in.UserPoolId]++
	return false
}

// credentialScope finds the signing region and service in a SigV4
// Authorization header: "Credential=AKID/20260101/us-east-1/sns/aws4_request".
var credentialScope = regexp.MustCompile(`Credential=[^/]+/[^/]+/([^/]+)/([^/]+)/aws4_request`)

// smsFixture is the SMS state the stand-in serves in region.
func (s *standIn) smsFixture(region string) *SMSFixture {
	if st, found := s.state.SMSByRegion[region]; found {
		return &st
	}
	return &s.state.SMS
}

func (s *standIn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	service, region := "", ""
	if m := credentialScope.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		region, service = m[1], m[2]
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	key := requestKey(r, body)
	retry := isRetry(r)

	var op string
	var serve func(http.ResponseWriter, *http.Request)
	switch {
	case cloudWatchOperation(r) != "":
		op = cloudWatchOperation(r)
		// The IAM prefix; the signing name is "monitoring".
		s.state.Log.add("cloudwatch:"+op, key, retry)
		if s.hang(r, op) {
			return
		}
		if code, found := s.failure(op); found {
			writeCBORError(w, code)
			return
		}
		serve = func(w http.ResponseWriter, r *http.Request) {
			if !s.serveCloudWatch(w, op, region, body) {
				s.proxy.ServeHTTP(w, r)
			}
		}
	case strings.HasPrefix(r.URL.Path, "/v2/email/"):
		op, _, _ = sesOperation(r)
		s.state.Log.add("ses:"+firstNonEmpty(op, r.Method+" "+r.URL.EscapedPath()), key, retry)
		serve = s.serveSES
	case r.Header.Get("X-Amz-Target") != "":
		target := r.Header.Get("X-Amz-Target")
		op = target[strings.LastIndexByte(target, '.')+1:]
		s.state.Log.add(service+":"+op, key, retry)
		if op == "ListUsers" {
			s.beforeListUsers(body)
		}
		if s.hang(r, op) {
			return
		}
		if code, found := s.failure(op); found {
			writeJSONError(w, code)
			return
		}
		if op == "ListUsers" && s.tokenExpired(body) {
			writeJSONErrorMessage(w, "InvalidParameterException", tokenExpiredMessage)
			return
		}
		if op == "ListUsers" && s.state.ListUsersLimit > 0 {
			body = withLimit(body, s.state.ListUsersLimit)
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.ContentLength = int64(len(body))
			r.Header.Del("Content-Length")
		}
		serve = s.proxy.ServeHTTP
		switch {
		case strings.HasPrefix(target, eumsTarget):
			serve = func(w http.ResponseWriter, r *http.Request) {
				if !s.serveEUMS(w, op, region, body) {
					s.proxy.ServeHTTP(w, r)
				}
			}
		case op == "GetLogDeliveryConfiguration":
			serve = func(w http.ResponseWriter, r *http.Request) { s.serveLogDelivery(w, body) }
		}
		if op == "ListUsers" && s.state.ListUsersByPosition {
			serve = func(w http.ResponseWriter, r *http.Request) { s.serveListUsersByPosition(w, r, body) }
		}
	default:
		form, _ := url.ParseQuery(string(body))
		op = form.Get("Action")
		s.state.Log.add(service+":"+op, key, retry)
		if code, found := s.failure(op); found {
			writeQueryError(w, code)
			return
		}
		if op == "AssumeRole" && s.state.DenyRoles[form.Get("RoleArn")] {
			writeQueryError(w, "AccessDenied")
			return
		}
		serve = func(w http.ResponseWriter, r *http.Request) {
			if service == "sns" && s.serveSNS(w, op, region, form) {
				return
			}
			s.proxy.ServeHTTP(w, r)
		}
	}
	if s.resetNow(op, key) {
		serveAndReset(w, r, serve)
		return
	}
	serve(w, r)
}

// tokenExpiredMessage is what the stand-in answers for an expired
// ListUsers pagination token. Cognito documents that it expires tokens
// after one hour, not the exact message; it answers an unusable token
// with InvalidParameterException.
const tokenExpiredMessage = "Pagination token expired"

// withLimit rewrites the Limit of a JSON request body.
func withLimit(body []byte, limit int) []byte {
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		return body
	}
	m["Limit"] = limit
	b, err := json.Marshal(m)
	if err != nil {
		return body
	}
	return b
}

// errorStatus is the HTTP status AWS uses for an error code.
func errorStatus(code string) int {
	switch {
	case strings.Contains(code, "AccessDenied"), strings.Contains(code, "Authorization"), strings.Contains(code, "Unauthorized"):
		return http.StatusForbidden
	case strings.Contains(code, "Throttl"), strings.Contains(code, "TooManyRequests"):
		return http.StatusTooManyRequests
	case strings.Contains(code, "NotFound"):
		return http.StatusNotFound
	case strings.Contains(code, "ServiceUnavailable"):
		return http.StatusServiceUnavailable
	case strings.Contains(code, "InternalError"), strings.Contains(code, "InternalFailure"), strings.Contains(code, "InternalServer"),
		strings.Contains(code, "InternalService"):
		return http.StatusInternalServerError
	}
	return http.StatusBadRequest
}

const errorMessage = "stand-in: error requested by the test"

func writeQueryError(w http.ResponseWriter, code string) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(errorStatus(code))
	fmt.Fprintf(w, `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>standin</RequestId></ErrorResponse>`,
		esc(code), esc(errorMessage))
}

func writeJSONError(w http.ResponseWriter, code string) {
	writeJSONErrorMessage(w, code, errorMessage)
}

func writeJSONErrorMessage(w http.ResponseWriter, code, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-ErrorType", code)
	w.WriteHeader(errorStatus(code))
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": code, "message": msg})
}

func writeRESTError(w http.ResponseWriter, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", code)
	w.WriteHeader(errorStatus(code))
	_ = json.NewEncoder(w).Encode(map[string]string{"message": msg})
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// page returns the slice of n items starting at token and the next token.
func page(token string, n, size int) (from, to int, next string) {
	from, _ = strconv.Atoi(token)
	from = min(max(from, 0), n)
	to = min(from+size, n)
	if to < n {
		next = strconv.Itoa(to)
	}
	return from, to, next
}

// serveSNS answers the SNS query-protocol operations the stand-in owns;
// it reports false for the others.
func (s *standIn) serveSNS(w http.ResponseWriter, op, region string, form url.Values) bool {
	st := s.smsFixture(region)
	var result strings.Builder
	switch op {
	case "GetSMSSandboxAccountStatus":
		fmt.Fprintf(&result, "<IsInSandbox>%t</IsInSandbox>", st.InSandbox)
	case "ListSMSSandboxPhoneNumbers":
		from, to, next := page(form.Get("NextToken"), len(st.SandboxNumbers), s.state.PageSize)
		result.WriteString("<PhoneNumbers>")
		for _, n := range st.SandboxNumbers[from:to] {
			fmt.Fprintf(&result, "<member><PhoneNumber>%s</PhoneNumber><Status>%s</Status></member>", esc(n.PhoneNumber), esc(n.Status))
		}
		result.WriteString("</PhoneNumbers>")
		if next != "" {
			fmt.Fprintf(&result, "<NextToken>%s</NextToken>", next)
		}
	case "ListOriginationNumbers":
		from, to, next := page(form.Get("NextToken"), len(st.OriginationNumbers), s.state.PageSize)
		result.WriteString("<PhoneNumbers>")
		for _, n := range st.OriginationNumbers[from:to] {
			fmt.Fprintf(&result, "<member><CreatedAt>%s</CreatedAt><PhoneNumber>%s</PhoneNumber><Status>%s</Status><Iso2CountryCode>%s</Iso2CountryCode><RouteType>%s</RouteType><NumberCapabilities>",
				time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).Format(time.RFC3339), esc(n.PhoneNumber), esc(n.Status), esc(n.Iso2CountryCode), esc(n.RouteType))
			for _, c := range n.Capabilities {
				fmt.Fprintf(&result, "<member>%s</member>", esc(c))
			}
			result.WriteString("</NumberCapabilities></member>")
		}
		result.WriteString("</PhoneNumbers>")
		if next != "" {
			fmt.Fprintf(&result, "<NextToken>%s</NextToken>", next)
		}
	case "ListPhoneNumbersOptedOut":
		if st.OptedOut == nil {
			return false
		}
		from, to, next := page(form.Get("nextToken"), len(st.OptedOut), s.state.PageSize)
		result.WriteString("<phoneNumbers>")
		for _, n := range st.OptedOut[from:to] {
			fmt.Fprintf(&result, "<member>%s</member>", esc(n))
		}
		result.WriteString("</phoneNumbers>")
		if next != "" {
			fmt.Fprintf(&result, "<nextToken>%s</nextToken>", next)
		}
	case "GetSMSAttributes":
		if st.Attributes == nil {
			return false
		}
		result.WriteString("<attributes>")
		for k, v := range st.Attributes {
			fmt.Fprintf(&result, "<entry><key>%s</key><value>%s</value></entry>", esc(k), esc(v))
		}
		result.WriteString("</attributes>")
	default:
		return false
	}
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, `<%sResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><%sResult>%s</%sResult><ResponseMetadata><RequestId>standin</RequestId></ResponseMetadata></%sResponse>`,
		op, op, result.String(), op, op)
	return true
}

// serveSES answers the SESv2 REST-JSON operations the stand-in owns and
// passes the others on.
// sesOperation names the SESv2 operation of a request, with the identity
// or configuration set it is about.
func sesOperation(r *http.Request) (op, identity, configSet string) {
	path := r.URL.EscapedPath()
	switch {
	case r.Method == http.MethodGet && path == "/v2/email/account":
		op = "GetAccount"
	case r.Method == http.MethodGet && path == "/v2/email/suppression/addresses":
		op = "ListSuppressedDestinations"
	case r.Method == http.MethodPost && path == "/v2/email/list-identities":
		// SDK v1.79.7 lists identities with a POST (moto routes only the
		// older GET /v2/email/identities).
		op = "ListEmailIdentities"
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/v2/email/identities/") && strings.Count(path, "/") == 4:
		op = "GetEmailIdentity"
		identity, _ = url.PathUnescape(strings.TrimPrefix(path, "/v2/email/identities/"))
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/v2/email/configuration-sets/") && strings.Count(path, "/") == 4:
		op = "GetConfigurationSet"
		configSet, _ = url.PathUnescape(strings.TrimPrefix(path, "/v2/email/configuration-sets/"))
	}
	return op, identity, configSet
}

// serveSES answers the SESv2 REST-JSON operations the stand-in owns and
// passes the others on.
func (s *standIn) serveSES(w http.ResponseWriter, r *http.Request) {
	op, identity, configSet := sesOperation(r)
	if code, found := s.failure(op); op != "" && found {
		writeRESTError(w, code, errorMessage)
		return
	}
	st := &s.state.Email
	var resp any
	switch op {
	case "GetAccount":
		a := st.Account
		resp = map[string]any{
			"ProductionAccessEnabled":      a.ProductionAccessEnabled,
			"SendingEnabled":               a.SendingEnabled,
			"EnforcementStatus":            firstNonEmpty(a.EnforcementStatus, "HEALTHY"),
			"DedicatedIpAutoWarmupEnabled": false,
			"SendQuota": map[string]float64{
				"Max24HourSend": a.Max24HourSend, "MaxSendRate": a.MaxSendRate, "SentLast24Hours": a.SentLast24Hours,
			},
		}
	case "ListSuppressedDestinations":
		size := s.state.PageSize
		if ps, err := strconv.Atoi(r.URL.Query().Get("PageSize")); err == nil && ps > 0 && ps < size {
			size = ps
		}
		from, to, next := page(r.URL.Query().Get("NextToken"), len(st.Suppressed), size)
		items := []map[string]any{}
		for _, sd := range st.Suppressed[from:to] {
			items = append(items, map[string]any{
				"EmailAddress": sd.Address, "Reason": sd.Reason,
				"LastUpdateTime": float64(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).Unix()),
			})
		}
		m := map[string]any{"SuppressedDestinationSummaries": items}
		if next != "" {
			m["NextToken"] = next
		}
		resp = m
	case "GetEmailIdentity":
		if st.Identities == nil {
			s.proxy.ServeHTTP(w, r)
			return
		}
		id, found := st.Identities[identity]
		if !found {
			writeRESTError(w, "NotFoundException", "Email identity does not exist.")
			return
		}
		typ := "DOMAIN"
		if strings.Contains(identity, "@") {
			typ = "EMAIL_ADDRESS"
		}
		policies := id.Policies
		if policies == nil {
			policies = map[string]string{}
		}
		resp = map[string]any{
			"IdentityType":             typ,
			"FeedbackForwardingStatus": true,
			"VerifiedForSendingStatus": id.VerifiedForSending,
			"VerificationStatus":       firstNonEmpty(id.VerificationStatus, "SUCCESS"),
			"DkimAttributes":           map[string]any{"SigningEnabled": true, "Status": firstNonEmpty(id.DKIMStatus, "SUCCESS")},
			"Policies":                 policies,
			"Tags":                     []any{},
		}
	case "ListEmailIdentities":
		if st.ListedIdentities == nil {
			s.proxy.ServeHTTP(w, r)
			return
		}
		var in struct {
			NextToken string
			PageSize  int
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil && err != io.EOF {
			writeRESTError(w, "BadRequestException", "stand-in: "+err.Error())
			return
		}
		size := s.state.PageSize
		if in.PageSize > 0 && in.PageSize < size {
			size = in.PageSize
		}
		from, to, next := page(in.NextToken, len(st.ListedIdentities), size)
		items := []map[string]any{}
		for _, id := range st.ListedIdentities[from:to] {
			typ := "DOMAIN"
			if strings.Contains(id.Name, "@") {
				typ = "EMAIL_ADDRESS"
			}
			items = append(items, map[string]any{
				"IdentityType": typ, "IdentityName": id.Name,
				"SendingEnabled": id.VerificationStatus == "SUCCESS", "VerificationStatus": id.VerificationStatus,
			})
		}
		m := map[string]any{"EmailIdentities": items}
		if next != "" {
			m["NextToken"] = next
		}
		resp = m
	case "GetConfigurationSet":
		if st.ConfigurationSets == nil {
			s.proxy.ServeHTTP(w, r)
			return
		}
		cs, found := st.ConfigurationSets[configSet]
		if !found {
			writeRESTError(w, "NotFoundException", "Configuration set <"+configSet+"> does not exist.")
			return
		}
		resp = map[string]any{
			"ConfigurationSetName": configSet,
			"DeliveryOptions":      map[string]any{"TlsPolicy": "OPTIONAL"},
			"ReputationOptions":    map[string]any{"ReputationMetricsEnabled": false},
			"SendingOptions":       map[string]any{"SendingEnabled": !cs.SendingDisabled},
			"Tags":                 []any{},
		}
	default:
		s.proxy.ServeHTTP(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(resp)
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// serveLogDelivery answers Cognito GetLogDeliveryConfiguration (awsJson1_1)
// from StandInState.LogDelivery. A pool without a configuration answers an
// empty one, as the API model requires LogConfigurations.
func (s *standIn) serveLogDelivery(w http.ResponseWriter, body []byte) {
	var in struct{ UserPoolId string }
	_ = json.Unmarshal(body, &in)
	configs := []map[string]any{}
	for _, lc := range s.state.LogDelivery[in.UserPoolId] {
		c := map[string]any{"EventSource": lc.EventSource, "LogLevel": lc.LogLevel}
		switch {
		case lc.LogGroupARN != "":
			c["CloudWatchLogsConfiguration"] = map[string]string{"LogGroupArn": lc.LogGroupARN}
		case lc.BucketARN != "":
			c["S3Configuration"] = map[string]string{"BucketArn": lc.BucketARN}
		case lc.StreamARN != "":
			c["FirehoseConfiguration"] = map[string]string{"StreamArn": lc.StreamARN}
		}
		configs = append(configs, c)
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"LogDeliveryConfiguration": map[string]any{"UserPoolId": in.UserPoolId, "LogConfigurations": configs},
	})
}
