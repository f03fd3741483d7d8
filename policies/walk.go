package policies

import (
	"fmt"
	"sort"
	"strings"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// StepState is how one step of a recovery walk went.
type StepState string

// Step states.
const (
	StepPass    StepState = "pass"
	StepFail    StepState = "fail"
	StepUnknown StepState = "unknown" // a fact the step needs was not read
	StepInfo    StepState = "info"
	StepWarn    StepState = "warn" // a risk that does not stop this user's code
)

// Step is one line of a recovery walk.
type Step struct {
	Name   string    `json:"name"`
	State  StepState `json:"state"`
	Detail string    `json:"detail"`
}

// CodeDeliveryDetails is what ForgotPassword returns when it accepts a
// request, masked as Cognito masks it.
type CodeDeliveryDetails struct {
	Destination    string `json:"Destination"`
	DeliveryMedium string `json:"DeliveryMedium"`
	AttributeName  string `json:"AttributeName"`
}

// Outcome kinds: what a ForgotPassword call would do.
const (
	OutcomeDelivered   = "delivered"   // accepted, and nothing stops the message
	OutcomeUndelivered = "undelivered" // accepted, but the message does not arrive
	OutcomeError       = "error"       // refused with an exception
	OutcomeUnknown     = "unknown"     // depends on a fact that was not read
)

// Outcome is what ForgotPassword would do for the user.
type Outcome struct {
	Kind      string               `json:"kind"`
	Exception string               `json:"exception,omitempty"`
	Message   string               `json:"message,omitempty"`
	Delivery  *CodeDeliveryDetails `json:"code_delivery_details,omitempty"`
	// Why explains an undelivered or unknown outcome.
	Why string `json:"why,omitempty"`
	// Notes qualify the outcome (error masking, secret hashes, inferred
	// behaviour).
	Notes []string `json:"notes,omitempty"`
}

// Walk is a user's recovery path, the way the troubleshooting guides walk
// it: one step per fact, what ForgotPassword would do, and the fixes.
type Walk struct {
	Steps   []Step   `json:"steps"`
	Outcome Outcome  `json:"outcome"`
	Fixes   []string `json:"fixes"`
}

// Rules whose failure is the user's status rather than the channel.
var statusRules = map[string]bool{
	"RC-USER-005": true, "RC-USER-006": true, "RC-USER-007": true,
	"RC-USER-008": true, "RC-USER-010": true, "RC-USER-019": true,
}

// Rules whose failure means ForgotPassword accepts the request (and returns
// CodeDeliveryDetails) but the message never arrives.
var undeliveredRules = map[string]bool{
	"RC-USER-011": true, "RC-USER-012": true, "RC-USER-013": true,
	"RC-USER-014": true, "RC-USER-016": true,
}

// Pool-wide blockers and the exception Cognito answers with, where the API
// documents one.
var blockerExceptions = map[string][2]string{
	"RC-EMAIL-003": {"InvalidEmailRoleAccessPolicyException", "Amazon Cognito isn't allowed to use your email identity."},
	"RC-EMAIL-007": {"InvalidEmailRoleAccessPolicyException", "Amazon Cognito isn't allowed to use your email identity."},
	"RC-POOL-008":  {"InvalidSmsRoleAccessPolicyException", "The role provided for SMS configuration doesn't have permission to publish using Amazon SNS."},
}

// Walk builds the recovery walk of the explained user.
func (ex *Explanation) Walk() Walk {
	var w Walk
	u, p := &ex.User, &ex.Pool
	var userFindings, poolFindings []Finding
	for _, f := range ex.Findings {
		if f.Kind == KindUser {
			userFindings = append(userFindings, f)
		} else {
			poolFindings = append(poolFindings, f)
		}
	}
	has := func(id string) (Finding, bool) {
		for _, f := range userFindings {
			if f.RuleID == id {
				return f, true
			}
		}
		return Finding{}, false
	}

	w.Steps = append(w.Steps, Step{"user exists", StepPass, fmt.Sprintf("%s (sub %s) in pool %s (%s)", u.Username, u.Sub, p.Name, p.ID)})

	statusStep := Step{Name: "status", State: StepPass, Detail: u.Status + " allows ForgotPassword"}
	for _, f := range userFindings {
		if statusRules[f.RuleID] && f.RuleID != "RC-USER-008" {
			statusStep = Step{"status", stateOf(f), u.Status + ": " + f.Message}
		}
	}
	w.Steps = append(w.Steps, statusStep)
	if u.Enabled {
		w.Steps = append(w.Steps, Step{"enabled", StepPass, "the user is enabled"})
	} else {
		w.Steps = append(w.Steps, Step{"enabled", StepFail, "the user is disabled"})
	}

	w.Steps = append(w.Steps, recoveryStep(p))
	w.Steps = append(w.Steps, Step{"verified attributes", verifiedState(ex), contactDetail(ex)})
	if s, ok := mfaStep(ex); ok {
		w.Steps = append(w.Steps, s)
	}

	chosen := Step{"chosen channel", StepPass, ex.Why}
	switch ex.Channel {
	case "none":
		chosen.State = StepFail
	case "unknown":
		chosen.State = StepUnknown
	}
	w.Steps = append(w.Steps, chosen)

	channelFindings := channelFindings(ex, userFindings, poolFindings)
	if ex.Channel == "email" || ex.Channel == "sms" {
		w.Steps = append(w.Steps, healthSteps(ex, channelFindings)...)
	}
	for _, f := range userFindings {
		if !isBuiltin(f.RuleID) {
			w.Steps = append(w.Steps, Step{f.RuleID, stateOf(f), f.Message})
		}
	}

	w.Outcome = outcome(ex, has, channelFindings)
	if w.Outcome.Kind == OutcomeDelivered {
		// The code arrives: pool-level risks are notes, not fixes.
		channelFindings = nil
	}
	w.Fixes = fixes(userFindings, channelFindings)
	return w
}

func stateOf(f Finding) StepState {
	if f.Verdict == Indeterminate {
		return StepUnknown
	}
	return StepFail
}

func isBuiltin(id string) bool { return strings.HasPrefix(id, "RC-") }

func recoveryStep(p *snapshot.PoolSettings) Step {
	switch {
	case !p.Read.OK():
		return Step{"recovery setting", StepUnknown, "DescribeUserPool could not be read (" + p.Read.Action + ")"}
	case !p.AccountRecovery.Configured:
		return Step{"recovery setting", StepInfo, "not set: legacy order, verified phone first, then verified email; SMS MFA does not disqualify the phone"}
	}
	ms := append([]snapshot.RecoveryMechanism(nil), p.AccountRecovery.Mechanisms...)
	sort.Slice(ms, func(i, j int) bool { return ms[i].Priority < ms[j].Priority })
	var parts []string
	for _, m := range ms {
		if m.Name == snapshot.MechanismAdminOnly {
			return Step{"recovery setting", StepFail, "admin_only: self-service recovery is disabled; only an administrator can set a new password"}
		}
		parts = append(parts, fmt.Sprintf("%d. %s", m.Priority, m.Name))
	}
	return Step{"recovery setting", StepPass, strings.Join(parts, ", ")}
}

func verifiedState(ex *Explanation) StepState {
	if (ex.User.Email.Present && ex.User.Email.Verified) || (ex.User.Phone.Present && ex.User.Phone.Verified) {
		return StepPass
	}
	return StepFail
}

func contactDetail(ex *Explanation) string {
	u := &ex.User
	email := "email: none"
	if u.Email.Present {
		email = fmt.Sprintf("email %s %s", u.Email.Masked, verifiedWord(u.Email.Verified))
	}
	phone := "phone: none"
	if u.Phone.Present {
		country := u.Phone.Country
		if country == "" {
			country = "+" + u.Phone.CallingCode
		}
		phone = fmt.Sprintf("phone %s (%s) %s", u.Phone.Masked, country, verifiedWord(u.Phone.Verified))
	}
	return email + "; " + phone
}

func verifiedWord(v bool) string {
	if v {
		return "verified"
	}
	return "NOT verified"
}

func mfaStep(ex *Explanation) (Step, bool) {
	u := &ex.User
	if !ex.Pool.AccountRecovery.Configured || ex.Pool.MFA.Configuration == "OFF" || ex.Pool.MFA.Configuration == "" {
		return Step{}, false
	}
	if !u.MFA.Read.OK() {
		if u.MFA.Read.Status == "not_applicable" {
			return Step{}, false
		}
		return Step{"MFA", StepUnknown, fmt.Sprintf("the user's MFA settings were not read (%s; scan with --with-mfa, needs %s)", u.MFA.Read.Status, u.MFA.Read.Action)}, true
	}
	if len(u.MFA.Methods) == 0 {
		return Step{"MFA", StepPass, "no MFA factor: nothing disqualifies a channel"}, true
	}
	return Step{"MFA", StepInfo, "factors " + strings.Join(u.MFA.Methods, ", ") + " (SMS_MFA disqualifies the phone, EMAIL_OTP the email, under an explicit recovery setting)"}, true
}

// channelFindings are the findings about the chosen channel: the user's
// non-status findings and the pool's SMS or email findings.
func channelFindings(ex *Explanation, user, pool []Finding) []Finding {
	var out []Finding
	for _, f := range user {
		if isBuiltin(f.RuleID) && !statusRules[f.RuleID] {
			out = append(out, f)
		}
	}
	for _, f := range pool {
		if (ex.Channel == "sms" && f.Kind == KindSMS) || (ex.Channel == "email" && f.Kind == KindEmail) ||
			(f.Kind == KindPool && blockerExceptions[f.RuleID][0] != "") || f.RuleID == "RC-POOL-004" && ex.Channel == "sms" {
			out = append(out, f)
		}
	}
	return out
}

func healthSteps(ex *Explanation, fs []Finding) []Step {
	name := "SMS via SNS in " + ex.SMS.Region
	if ex.Channel == "email" {
		name = emailPath(ex)
	}
	if len(fs) == 0 {
		return []Step{{name, StepPass, healthyDetail(ex)}}
	}
	var steps []Step
	for _, f := range fs {
		state := stateOf(f)
		if f.Kind != KindUser && !blocks(ex, f.RuleID) {
			state = StepWarn
		}
		steps = append(steps, Step{name, state, fmt.Sprintf("%s (%s)", f.Message, f.RuleID)})
	}
	return steps
}

func emailPath(ex *Explanation) string {
	if ex.Pool.Email.SourceARN == "" {
		return "email via Cognito's default sender"
	}
	return "email via SES in " + ex.Pool.Email.SESRegion + " (" + ex.Pool.Email.Identity + ")"
}

func healthyDetail(ex *Explanation) string {
	if ex.Channel == "sms" {
		if ex.Pool.Triggers.CustomSMSSender != "" {
			return "a CustomSMSSender trigger sends the message; its delivery cannot be checked"
		}
		return "out of the SMS sandbox or a verified destination, not opted out, spend limit not at the default"
	}
	if ex.Pool.Email.SendingAccount != "DEVELOPER" {
		return "Cognito's default sender (daily quota applies)"
	}
	return "identity verified, SES out of the sandbox and sending, address not suppressed"
}

func outcome(ex *Explanation, has func(string) (Finding, bool), channel []Finding) Outcome {
	u, p := &ex.User, &ex.Pool
	var o Outcome
	masks := false
	secret := false
	for _, c := range p.Clients.Items {
		masks = masks || c.PreventUserExistenceErrors == "ENABLED"
		secret = secret || c.HasSecret
	}
	if secret {
		o.Notes = append(o.Notes, "Calls through an app client with a secret must send SECRET_HASH, or fail with NotAuthorizedException.")
	}
	maskNote := "App clients with PreventUserExistenceErrors ENABLED answer this with a simulated CodeDeliveryDetails instead of the error, so the caller sees a success and no code arrives."
	switch {
	case u.Status == "FORCE_CHANGE_PASSWORD" || u.Status == "EXTERNAL_PROVIDER":
		o.Kind, o.Exception, o.Message = OutcomeError, "NotAuthorizedException", "User password cannot be reset in the current state."
		return o
	case !u.Enabled:
		o.Kind, o.Exception, o.Message = OutcomeError, "NotAuthorizedException", "User is disabled."
		if masks {
			o.Notes = append(o.Notes, maskNote)
		}
		return o
	case u.Status == "UNCONFIRMED":
		o.Kind, o.Why = OutcomeUndelivered, "The user never confirmed the account; Cognito does not document the answer (an InvalidParameterException or a response with no code sent are reported), and no code is sent."
		return o
	case u.Status != "CONFIRMED" && u.Status != "RESET_REQUIRED":
		o.Kind, o.Why = OutcomeUnknown, "Status "+u.Status+" is no longer used by Cognito; its recovery behaviour is not documented."
		return o
	}
	switch ex.Channel {
	case "unknown":
		o.Kind, o.Why = OutcomeUnknown, ex.Why
		return o
	case "none":
		if isAdminOnly(p) {
			o.Kind, o.Exception, o.Message = OutcomeError, "NotAuthorizedException", "(exact text not documented) self-service recovery is disabled for the pool"
		} else {
			o.Kind, o.Exception, o.Message = OutcomeError, "InvalidParameterException", "Cannot reset password for the user as there is no registered/verified email or phone_number"
		}
		if masks {
			o.Notes = append(o.Notes, maskNote)
		}
		return o
	}
	delivery := &CodeDeliveryDetails{Destination: u.Email.Masked, DeliveryMedium: "EMAIL", AttributeName: "email"}
	if ex.Channel == "sms" {
		delivery = &CodeDeliveryDetails{Destination: u.Phone.Masked, DeliveryMedium: "SMS", AttributeName: "phone_number"}
	}
	if f, ok := has("RC-USER-018"); ok && f.Verdict == Fail {
		// The pool-wide blockers it names; some have a documented exception.
		blockers, _ := f.Evidence["blocked_by"].([]any)
		for _, b := range blockers {
			id, _ := b.(string)
			if exc, ok := blockerExceptions[id]; ok {
				o.Kind, o.Exception, o.Message = OutcomeError, exc[0], exc[1]
				return o
			}
		}
		o.Kind, o.Delivery, o.Why = OutcomeUndelivered, delivery, f.Message
		o.Notes = append(o.Notes, "Whether Cognito answers with an error or with CodeDeliveryDetails here is not documented.")
		return o
	}
	for _, f := range channel {
		if f.Verdict == Fail && undeliveredRules[f.RuleID] {
			o.Kind, o.Delivery, o.Why = OutcomeUndelivered, delivery, f.Message
			return o
		}
	}
	for _, f := range channel {
		if f.Verdict == Indeterminate && f.Kind == KindUser {
			o.Kind, o.Delivery, o.Why = OutcomeUnknown, delivery, f.Message
			return o
		}
	}
	o.Kind, o.Delivery = OutcomeDelivered, delivery
	for _, f := range channel {
		if f.Kind != KindUser && f.Verdict == Fail {
			o.Notes = append(o.Notes, "Risk: "+f.Message)
		}
	}
	return o
}

// fixes lists the remediations of failing findings: status first, then
// the channel, without repeats.
func fixes(user, channel []Finding) []string {
	var out []string
	seen := map[string]bool{}
	add := func(f Finding) {
		if f.Verdict != Fail || f.Remediation == "" || seen[f.Remediation] {
			return
		}
		seen[f.Remediation] = true
		out = append(out, fmt.Sprintf("%s: %s", f.RuleID, f.Remediation))
	}
	for _, f := range user {
		if statusRules[f.RuleID] {
			add(f)
		}
	}
	for _, f := range user {
		if !statusRules[f.RuleID] {
			add(f)
		}
	}
	for _, f := range channel {
		add(f)
	}
	return out
}

func isAdminOnly(p *snapshot.PoolSettings) bool {
	for _, m := range p.AccountRecovery.Mechanisms {
		if m.Name == snapshot.MechanismAdminOnly {
			return true
		}
	}
	return false
}

// blocks reports whether the user's RC-USER-018 names rule id as what stops
// the user's channel.
func blocks(ex *Explanation, id string) bool {
	for _, f := range ex.Findings {
		if f.RuleID != "RC-USER-018" || f.Resource.Username != ex.User.Username {
			continue
		}
		list, _ := f.Evidence["blocked_by"].([]any)
		for _, b := range list {
			if b == id {
				return true
			}
		}
	}
	return false
}
