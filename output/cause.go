package output

import (
	"strings"

	"github.com/recoverscan/recoverscan/policies"
)

// Cause is why a source could not be read, by what settles it.
type Cause string

// Causes, in the order advice about them is given.
const (
	CauseCredentials Cause = "credentials" // no usable credentials or profile
	CauseConnection  Cause = "connection"  // the endpoint could not be reached
	CausePermission  Cause = "permission"  // access denied: a grant settles it
	CauseNotOffered  Cause = "not_offered" // the endpoint or region does not offer the operation
	CauseThrottled   Cause = "throttled"   // retries were exhausted by throttling
	CauseOther       Cause = "other"
)

var causeOrder = []Cause{CauseCredentials, CauseConnection, CausePermission, CauseNotOffered, CauseThrottled, CauseOther}

// Error texts by cause. Credential errors come first: AWS answers an
// invalid or expired key with codes that look like access denied.
var (
	credentialTexts = lowered("InvalidClientTokenId", "UnrecognizedClientException", "ExpiredToken",
		"SignatureDoesNotMatch", "failed to get shared config profile", "SharedConfigProfileNotExist",
		"no EC2 IMDS role found", "NoCredentialProviders", "failed to retrieve credentials",
		"failed to refresh cached credentials", "no usable AWS credentials", "the SSO session", "token has expired")
	connectionTexts = lowered("connection refused", "no such host", "dial tcp", "i/o timeout",
		"network is unreachable", "connection reset", "TLS handshake", "context deadline exceeded",
		"EOF", "no route to host")
)

// lowered returns texts in lower case, to match lower-cased error text.
func lowered(texts ...string) []string {
	for i, t := range texts {
		texts[i] = strings.ToLower(t)
	}
	return texts
}

// CauseOf classifies an unread source by its status and error text. It
// runs for every indeterminate finding, so the text is lowered once.
func CauseOf(status, errText string) Cause {
	lower := strings.ToLower(errText)
	has := func(texts []string) bool {
		for _, t := range texts {
			if strings.Contains(lower, t) {
				return true
			}
		}
		return false
	}
	switch {
	case has(credentialTexts):
		return CauseCredentials
	case status == "denied" || status == "":
		return CausePermission
	case status == "unavailable":
		return CauseNotOffered
	case status == "throttled":
		return CauseThrottled
	case has(connectionTexts):
		return CauseConnection
	}
	return CauseOther
}

// Settles says what settles the unread sources of one cause, reading the
// given actions.
func (c Cause) Settles(actions []string) string {
	list := strings.Join(actions, ", ")
	switch c {
	case CauseCredentials:
		return "the AWS credentials or profile did not work: check AWS_PROFILE and the profiles the configuration file names, run 'aws sso login', or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, then scan again"
	case CauseConnection:
		return "the AWS endpoint could not be reached: check AWS_ENDPOINT_URL, the network and any proxy, then scan again"
	case CausePermission:
		return "permission denied: grant " + list + " and scan again"
	case CauseNotOffered:
		return "the endpoint or region does not offer " + list + " (an emulator, or a region without the service): those verdicts stay indeterminate there; scan against AWS in a region that offers them"
	case CauseThrottled:
		return "throttled by AWS (" + list + "): scan again at a quieter time, or lower --rate-limits"
	}
	if list == "" {
		return "see the report for what failed"
	}
	return list + " failed: see the report for the errors"
}

// unreadCauses collects the actions of unread sources by cause.
type unreadCauses map[Cause]map[string]bool

// unread says whether a source of this status was not read.
func unread(status string) bool {
	return status != "ok" && status != "skipped" && status != "not_applicable"
}

func (u unreadCauses) add(status, action, errText string) {
	if unread(status) {
		u.addCause(CauseOf(status, errText), action)
	}
}

func (u unreadCauses) addCause(c Cause, action string) {
	if u[c] == nil {
		u[c] = map[string]bool{}
	}
	if action != "" {
		u[c][action] = true
	}
}

// advice is what settles every cause, most pressing first.
func (u unreadCauses) advice() []string {
	var out []string
	for _, c := range causeOrder {
		if acts, ok := u[c]; ok {
			out = append(out, c.Settles(sortedKeys(acts)))
		}
	}
	return out
}

// CauseSet gathers the causes of unread sources, of indeterminate findings
// as they stream.
type CauseSet struct {
	unread unreadCauses
	// known are the causes of the status and error texts met so far: a
	// scan's indeterminate findings repeat a few, and classifying one
	// reads its text for every known one.
	known map[[2]string]Cause
}

// maxKnownCauses bounds CauseSet.known, should every error text differ.
const maxKnownCauses = 1 << 10

// NewCauseSet starts an empty set.
func NewCauseSet() *CauseSet {
	return &CauseSet{unread: unreadCauses{}, known: map[[2]string]Cause{}}
}

// cause is CauseOf(status, errText), remembered.
func (u *CauseSet) cause(status, errText string) Cause {
	k := [2]string{status, errText}
	if c, ok := u.known[k]; ok {
		return c
	}
	c := CauseOf(status, errText)
	if len(u.known) < maxKnownCauses {
		u.known[k] = c
	}
	return c
}

// addFinding adds an indeterminate finding's unread sources and calls
// denied, when not nil, with the action of each one permission denied.
func (u *CauseSet) addFinding(f *policies.Finding, denied func(action string)) {
	if f.Verdict != policies.Indeterminate {
		return
	}
	for _, s := range findingSources(f.Evidence) {
		if !unread(s.Status) {
			continue
		}
		c := u.cause(s.Status, s.Error)
		u.unread.addCause(c, s.Action)
		if c == CausePermission && s.Action != "" && denied != nil {
			denied(s.Action)
		}
	}
}

// AddFindingCauses adds an indeterminate finding's unread sources to u.
func AddFindingCauses(u *CauseSet, f *policies.Finding) { u.addFinding(f, nil) }

// Advice says what settles what an incomplete report could not read: one
// sentence per cause (credentials, connection, permission, an operation
// the endpoint does not offer, throttling), most pressing first, from the
// report's unread sources and the findings' gathered in u (may be nil).
func Advice(r *policies.Report, u *CauseSet) []string {
	all := unreadCauses{}
	var from unreadCauses
	if u != nil {
		from = u.unread
	}
	for c, acts := range from {
		all[c] = map[string]bool{}
		for a := range acts {
			all[c][a] = true
		}
	}
	for _, s := range r.Scopes {
		for _, p := range s.Problems {
			all.add(p.Status, p.Action, p.Error)
		}
	}
	return all.advice()
}
