package policies

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// StepState is how one step of a recovery route went.
type StepState string

// Step states.
const (
	StepPass    StepState = "pass"
	StepFail    StepState = "fail"
	StepUnknown StepState = "unknown" // a fact the step needs was not read
	StepInfo    StepState = "info"
	StepWarn    StepState = "warn" // a risk that does not stop this user's code
)

// Step is one line of a recovery route.
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

// Route is a user's recovery route, the way the troubleshooting guides walk
// it: one step per fact, what ForgotPassword would do, and the fixes.
type Route struct {
	Steps   []Step   `json:"steps"`
	Outcome Outcome  `json:"outcome"`
	Fixes   []string `json:"fixes"`
}

// Route builds the recovery route of the explained user.
func (ex *Explanation) Route() Route {
	var w Route
	u, p := &ex.User, &ex.Pool
	var userFindings, poolFindings []Finding
	for _, f := range ex.Findings {
		if f.Kind == KindUser {
			userFindings = append(userFindings, f)
		} else {
			poolFindings = append(poolFindings, f)
		}
	}
	w.Steps = append(w.Steps, Step{"user exists", StepPass, fmt.Sprintf("%s (sub %s) in pool %s (%s)", u.Username, u.Sub, p.Name, p.ID)})

	statusStep := Step{Name: "status", State: StepPass, Detail: u.Status + " allows ForgotPassword"}
	for _, f := range userFindings {
		if ex.role(f) == ExplainStatus {
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

	w.Steps = append(w.Steps, chosenStep(ex))

	channelFindings := channelFindings(ex, poolFindings)
	if ex.Channel == "email" || ex.Channel == "sms" {
		w.Steps = append(w.Steps, pathSteps(ex, userFindings)...)
	}
	for _, f := range userFindings {
		if r, ok := ruleOf(ex, f.RuleID); ok && r.Custom && r.Explain == "" {
			w.Steps = append(w.Steps, Step{f.RuleID, stateOf(f), f.Message})
		}
	}

	w.Outcome = outcome(ex, userFindings)
	if w.Outcome.Kind == OutcomeDelivered {
		// The code arrives: pool-level risks are notes, not fixes.
		channelFindings = nil
	}
	w.Fixes = fixes(ex, userFindings, channelFindings)
	return w
}

// chosenStep is the channel Cognito would pick, and why.
func chosenStep(ex *Explanation) Step {
	chosen := Step{"chosen channel", StepPass, ex.Why}
	switch ex.Channel {
	case "none":
		chosen.State = StepFail
	case "unknown":
		chosen.State = StepUnknown
	}
	return chosen
}

func stateOf(f Finding) StepState {
	if f.Verdict == Indeterminate {
		return StepUnknown
	}
	return StepFail
}

// role is the step of the route a finding's rule declares (custom.explain).
func (ex *Explanation) role(f Finding) string {
	r, _ := ruleOf(ex, f.RuleID)
	return r.Explain
}

// ownState reports whether a finding is about the user's own state (status
// or enabled) rather than the channel.
func (ex *Explanation) ownState(f Finding) bool {
	role := ex.role(f)
	return role == ExplainStatus || role == ExplainEnabled
}

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

// channelFindings are the pool's findings of the rules that declare the
// chosen channel. (The user's own findings are fixed as the user's.)
func channelFindings(ex *Explanation, pool []Finding) []Finding {
	var out []Finding
	for _, f := range pool {
		if r, ok := ruleOf(ex, f.RuleID); ok && slices.Contains(r.Channels, ex.Channel) {
			out = append(out, f)
		}
	}
	return out
}

func ruleOf(ex *Explanation, id string) (Rule, bool) {
	for _, r := range ex.Rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

// pathSteps walk the chosen channel's path hop by hop: the sender, the SNS
// or SES account it sends through (both SNS regions for a pool without
// SnsRegion that has a legacy alternate), and the recipient. Each hop's
// state comes from the findings of the rules that judge it: the pool's
// channel rules (input.delivery) and the user's own findings on the channel.
func pathSteps(ex *Explanation, user []Finding) []Step {
	d := ex.Delivery.Channel(ex.Channel)
	var steps []Step
	hop := func(name, via string, kinds ...Kind) {
		st := Step{Name: name, State: StepPass, Detail: via}
		var notes []string
		add := func(es []DeliveryEntry, state StepState) {
			for _, e := range es {
				if !slices.Contains(kinds, e.Kind) {
					continue
				}
				notes = append(notes, fmt.Sprintf("%s (%s)", e.Message, e.Rule))
				if rank(state) > rank(st.State) {
					st.State = state
				}
			}
		}
		add(d.Blocks, StepFail)
		add(d.Endangers, StepWarn)
		add(d.Unread, StepUnknown)
		if len(notes) > 0 {
			st.Detail = via + ": " + strings.Join(notes, " ")
		} else {
			st.Detail = via + ": " + healthy(st.Name)
		}
		steps = append(steps, st)
	}
	if ex.Channel == "sms" {
		hop("sender", smsSender(ex), KindPool)
		hop("SMS account", smsAccount(ex), KindSMS)
	} else {
		hop("sender", emailSender(ex), KindPool)
		hop("email account", emailAccount(ex), KindEmail)
	}
	rec := Step{Name: "recipient", State: StepPass, Detail: recipient(ex) + ": nothing stops delivery to it"}
	var notes []string
	for _, f := range user {
		r, ok := ruleOf(ex, f.RuleID)
		if !ok || !slices.Contains(r.Channels, ex.Channel) {
			continue
		}
		notes = append(notes, fmt.Sprintf("%s (%s)", f.Message, f.RuleID))
		if s := stateOf(f); rank(s) > rank(rec.State) {
			rec.State = s
		}
	}
	if len(notes) > 0 {
		rec.Detail = recipient(ex) + ": " + strings.Join(notes, " ")
	}
	return append(steps, rec)
}

// rank orders hop states from healthy to broken.
func rank(s StepState) int {
	switch s {
	case StepFail:
		return 3
	case StepUnknown:
		return 2
	case StepWarn:
		return 1
	}
	return 0
}

func healthy(hop string) string {
	if hop == "sender" {
		return "configured, nothing found that stops it"
	}
	return "read, nothing found that stops or endangers it"
}

func smsSender(ex *Explanation) string {
	p := &ex.Pool
	switch {
	case p.Triggers.CustomSMSSender != "":
		return "CustomSMSSender trigger " + p.Triggers.CustomSMSSender
	case p.SMS.EUMS:
		return "AWS End User Messaging SMS in " + p.SMS.Region
	case p.SMS.Configured:
		return "SNS in " + p.SMS.Region + " with role " + p.SMS.SNSCallerARN
	}
	return "no SMS configuration"
}

func smsAccount(ex *Explanation) string {
	s := "SNS account in " + ex.SMS.Region
	if alt := ex.Pool.SMS.AlternateRegion; alt != "" {
		s += " and in its legacy alternate " + alt + " (the pool sets no SnsRegion)"
	}
	return s
}

func emailSender(ex *Explanation) string {
	p := &ex.Pool
	switch {
	case p.Triggers.CustomEmailSender != "":
		return "CustomEmailSender trigger " + p.Triggers.CustomEmailSender
	case p.Email.SourceARN == "":
		return "Cognito's default sender (COGNITO_DEFAULT)"
	case p.Email.SendingAccount == snapshot.EmailDeveloper:
		return "SES identity " + p.Email.Identity + " in " + p.Email.SESRegion + " (DEVELOPER)"
	}
	return "Cognito's sender from SES identity " + p.Email.Identity + " in " + p.Email.SESRegion
}

func emailAccount(ex *Explanation) string {
	if ex.Pool.Email.SendingAccount != snapshot.EmailDeveloper || ex.Pool.Email.SourceARN == "" {
		return "Cognito's own email account (daily quota applies)"
	}
	return "SES account in " + ex.Pool.Email.SESRegion
}

func recipient(ex *Explanation) string {
	if ex.Channel == "sms" {
		return "the number " + ex.User.Phone.Masked
	}
	return "the address " + ex.User.Email.Masked
}

// maskNote qualifies an error that app clients with
// PreventUserExistenceErrors turn into a simulated success.
const maskNote = "App clients with PreventUserExistenceErrors ENABLED answer this with a simulated CodeDeliveryDetails instead of the error, so the caller sees a success and no code arrives."

// outcome is what ForgotPassword would do for the explained user: refused
// or not for the user's own state, then for the chosen channel, then
// delivered or not along the channel's path.
func outcome(ex *Explanation, user []Finding) Outcome {
	var o Outcome
	masks, secret := clientBehaviour(&ex.Pool)
	if secret {
		o.Notes = append(o.Notes, "Calls through an app client with a secret must send SECRET_HASH, or fail with NotAuthorizedException.")
	}
	if statusOutcome(&o, &ex.User, masks) || channelOutcome(&o, ex, masks) {
		return o
	}
	deliveryOutcome(&o, ex, user)
	return o
}

// clientBehaviour reports whether any app client of the pool masks user
// existence errors, and whether any has a secret.
func clientBehaviour(p *snapshot.PoolSettings) (masks, secret bool) {
	for _, c := range p.Clients.Items {
		masks = masks || c.PreventUserExistenceErrors == "ENABLED"
		secret = secret || c.HasSecret
	}
	return masks, secret
}

// statusOutcome settles the outcome by the user's own state (status and
// enabled), reporting whether it did.
func statusOutcome(o *Outcome, u *snapshot.User, masks bool) bool {
	switch {
	case u.Status == "FORCE_CHANGE_PASSWORD" || u.Status == "EXTERNAL_PROVIDER":
		o.Kind, o.Exception, o.Message = OutcomeError, "NotAuthorizedException", "User password cannot be reset in the current state."
	case !u.Enabled:
		o.Kind, o.Exception, o.Message = OutcomeError, "NotAuthorizedException", "User is disabled."
		if masks {
			o.Notes = append(o.Notes, maskNote)
		}
	case u.Status == "UNCONFIRMED":
		o.Kind, o.Why = OutcomeUndelivered, "The user never confirmed the account; Cognito does not document the answer (an InvalidParameterException or a response with no code sent are reported), and no code is sent."
	case u.Status != "CONFIRMED" && u.Status != "RESET_REQUIRED":
		o.Kind, o.Why = OutcomeUnknown, "Status "+u.Status+" is no longer used by Cognito; its recovery behaviour is not documented."
	default:
		return false
	}
	return true
}

// channelOutcome settles the outcome when no channel was chosen (none) or
// the choice depends on an unread fact (unknown), reporting whether it did.
func channelOutcome(o *Outcome, ex *Explanation, masks bool) bool {
	switch ex.Channel {
	case "unknown":
		o.Kind, o.Why = OutcomeUnknown, ex.Why
	case "none":
		if isAdminOnly(&ex.Pool) {
			o.Kind, o.Exception, o.Message = OutcomeError, "NotAuthorizedException", "(exact text not documented) self-service recovery is disabled for the pool"
		} else {
			o.Kind, o.Exception, o.Message = OutcomeError, "InvalidParameterException", "Cannot reset password for the user as there is no registered/verified email or phone_number"
		}
		if masks {
			o.Notes = append(o.Notes, maskNote)
		}
	default:
		return false
	}
	return true
}

// codeDelivery is the CodeDeliveryDetails ForgotPassword returns for the
// chosen channel.
func codeDelivery(ex *Explanation) *CodeDeliveryDetails {
	if ex.Channel == "sms" {
		return &CodeDeliveryDetails{Destination: ex.User.Phone.Masked, DeliveryMedium: "SMS", AttributeName: "phone_number"}
	}
	return &CodeDeliveryDetails{Destination: ex.User.Email.Masked, DeliveryMedium: "EMAIL", AttributeName: "email"}
}

// deliveryOutcome settles the outcome of an accepted request along the
// chosen channel's path: a blocked hop, then the user's own findings, then
// an unread or endangered hop; delivered when none of them applies.
func deliveryOutcome(o *Outcome, ex *Explanation, user []Finding) {
	delivery := codeDelivery(ex)
	d := ex.Delivery.Channel(ex.Channel)
	if len(d.Blocks) > 0 {
		blockedOutcome(o, d.Blocks, delivery)
		return
	}
	if f, ok := userBlocker(ex, user); ok {
		o.Kind, o.Delivery, o.Why = OutcomeUndelivered, delivery, f.Message
		return
	}
	for _, f := range user {
		if f.Verdict == Indeterminate || f.Effect == EffectEndangers {
			o.Kind, o.Delivery, o.Why = OutcomeUnknown, delivery, f.Message
			return
		}
	}
	for _, es := range [][]DeliveryEntry{d.Unread, d.Endangers} {
		if len(es) > 0 {
			o.Kind, o.Delivery, o.Why = OutcomeUnknown, delivery, es[0].Message
			return
		}
	}
	o.Kind, o.Delivery = OutcomeDelivered, delivery
}

// blockedOutcome is the outcome of a channel with a blocked hop: the
// exception of the first block that names one, else undelivered.
func blockedOutcome(o *Outcome, blocks []DeliveryEntry, delivery *CodeDeliveryDetails) {
	for _, e := range blocks {
		if e.Exception != "" {
			o.Kind, o.Exception, o.Message = OutcomeError, e.Exception, e.Message
			return
		}
	}
	o.Kind, o.Delivery, o.Why = OutcomeUndelivered, delivery, blocks[0].Message
	o.Notes = append(o.Notes, "Whether Cognito answers with an error or with CodeDeliveryDetails here is not documented.")
}

// userBlocker is the user's first failing finding that blocks the chosen
// channel.
func userBlocker(ex *Explanation, user []Finding) (Finding, bool) {
	for _, f := range user {
		if f.Verdict != Fail || f.Effect != EffectBlocks {
			continue
		}
		if r, ok := ruleOf(ex, f.RuleID); ok && slices.Contains(r.Channels, ex.Channel) {
			return f, true
		}
	}
	return Finding{}, false
}

// fixes lists the remediations of failing findings: the user's own state
// first, then the user's other findings, then the channel's, without
// repeats.
func fixes(ex *Explanation, user, channel []Finding) []string {
	var out []string
	seen := map[string]bool{}
	add := func(f Finding) {
		rem := f.Remediation.String()
		if f.Verdict != Fail || rem == "" || seen[rem] {
			return
		}
		seen[rem] = true
		out = append(out, fmt.Sprintf("%s: %s", f.RuleID, rem))
	}
	for _, f := range user {
		if ex.ownState(f) {
			add(f)
		}
	}
	for _, f := range user {
		if !ex.ownState(f) {
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
