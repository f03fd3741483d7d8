package awstest

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
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
// account out of the SMS sandbox with no lists, and leaves
// ListPhoneNumbersOptedOut, GetSMSAttributes, GetEmailIdentity and
// GetConfigurationSet to moto.
type StandInState struct {
	SMS   SMSFixture
	Email EmailFixture
	// Errors makes operations fail: operation name (as in the API, e.g.
	// "GetSMSSandboxAccountStatus", "ListUsers") → AWS error code (e.g.
	// "AuthorizationError", "AccessDeniedException", "Throttling"). It
	// applies to proxied operations too.
	Errors map[string]string
	// ErrorsAfter lets that many calls of an operation succeed before
	// Errors applies to it, to fail a listing part way.
	ErrorsAfter map[string]int
	// Hang makes operations never answer (until the caller gives up), after
	// HangAfter successful calls of that operation.
	Hang      map[string]bool
	HangAfter map[string]int
	// ListUsersLimit, when positive, lowers the Limit of proxied
	// cognito-idp ListUsers requests so that paging is exercised.
	ListUsersLimit int
	// PageSize is the page size of the stand-in's list operations, small
	// by default so that callers' paging is exercised. Default 2.
	PageSize int
	// Log, if set, records every operation the stand-in sees.
	Log *CallLog
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
	mu    sync.Mutex
	calls []string
}

func (l *CallLog) add(s string) {
	if l == nil {
		return
	}
	l.mu.Lock()
	l.calls = append(l.calls, s)
	l.mu.Unlock()
}

// Calls returns the recorded operations in order.
func (l *CallLog) Calls() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.calls)
}

// StartStandIn starts an HTTP server that answers the operations moto
// 5.2.1 lacks (SNS GetSMSSandboxAccountStatus, ListSMSSandboxPhoneNumbers,
// ListOriginationNumbers; SESv2 GetAccount, ListSuppressedDestinations),
// plus ListPhoneNumbersOptedOut, GetSMSAttributes, GetEmailIdentity and
// GetConfigurationSet when state provides them, in the real AWS wire format, and passes every other
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
	s := &standIn{state: state, proxy: httputil.NewSingleHostReverseProxy(u)}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv.URL
}

type standIn struct {
	state StandInState
	proxy *httputil.ReverseProxy

	mu    sync.Mutex
	calls map[string]int
	hangs map[string]int
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
	return code, s.calls[op] > s.state.ErrorsAfter[op]
}

// credentialScope finds the signing service in a SigV4 Authorization
// header: "Credential=AKID/20260101/us-east-1/sns/aws4_request".
var credentialScope = regexp.MustCompile(`Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request`)

func (s *standIn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	service := ""
	if m := credentialScope.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		service = m[1]
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))

	switch {
	case strings.HasPrefix(r.URL.Path, "/v2/email/"):
		s.serveSES(w, r)
	case r.Header.Get("X-Amz-Target") != "":
		target := r.Header.Get("X-Amz-Target")
		op := target[strings.LastIndexByte(target, '.')+1:]
		s.state.Log.add(service + ":" + op)
		if s.hang(r, op) {
			return
		}
		if code, found := s.failure(op); found {
			writeJSONError(w, code)
			return
		}
		if op == "ListUsers" && s.state.ListUsersLimit > 0 {
			body = withLimit(body, s.state.ListUsersLimit)
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.ContentLength = int64(len(body))
			r.Header.Del("Content-Length")
		}
		s.proxy.ServeHTTP(w, r)
	default:
		form, _ := url.ParseQuery(string(body))
		op := form.Get("Action")
		s.state.Log.add(service + ":" + op)
		if code, found := s.failure(op); found {
			writeQueryError(w, code)
			return
		}
		if service == "sns" && s.serveSNS(w, op, form) {
			return
		}
		s.proxy.ServeHTTP(w, r)
	}
}

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
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-ErrorType", code)
	w.WriteHeader(errorStatus(code))
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": code, "message": errorMessage})
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
func (s *standIn) serveSNS(w http.ResponseWriter, op string, form url.Values) bool {
	st := &s.state.SMS
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
func (s *standIn) serveSES(w http.ResponseWriter, r *http.Request) {
	path := r.URL.EscapedPath()
	var op string
	var identity, configSet string
	switch {
	case r.Method == http.MethodGet && path == "/v2/email/account":
		op = "GetAccount"
	case r.Method == http.MethodGet && path == "/v2/email/suppression/addresses":
		op = "ListSuppressedDestinations"
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/v2/email/identities/") && strings.Count(path, "/") == 4:
		op = "GetEmailIdentity"
		identity, _ = url.PathUnescape(strings.TrimPrefix(path, "/v2/email/identities/"))
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/v2/email/configuration-sets/") && strings.Count(path, "/") == 4:
		op = "GetConfigurationSet"
		configSet, _ = url.PathUnescape(strings.TrimPrefix(path, "/v2/email/configuration-sets/"))
	}
	s.state.Log.add("ses:" + firstNonEmpty(op, r.Method+" "+path))
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
