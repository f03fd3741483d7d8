package policies

import (
	"fmt"
	"strings"
	"time"
)

// Severity ranks a rule. Findings take it from the rule's METADATA.
type Severity string

// Severities, most severe first.
const (
	Critical Severity = "critical"
	High     Severity = "high"
	Medium   Severity = "medium"
	Low      Severity = "low"
)

// Rank orders severities: critical is 4, low is 1, anything else 0.
func (s Severity) Rank() int {
	switch s {
	case Critical:
		return 4
	case High:
		return 3
	case Medium:
		return 2
	case Low:
		return 1
	}
	return 0
}

// ParseSeverity reads a severity name, case-insensitively.
func ParseSeverity(s string) (Severity, error) {
	v := Severity(strings.ToLower(strings.TrimSpace(s)))
	if v.Rank() == 0 {
		return "", fmt.Errorf("unknown severity %q (want critical, high, medium or low)", s)
	}
	return v, nil
}

// Kind is what a rule looks at, and so what input it gets.
type Kind string

// Rule kinds. Pool, SMS and email rules all get the pool-level input; SMS
// and email rules judge the account's channel state as a pool uses it.
const (
	KindUser   Kind = "user"
	KindPool   Kind = "pool"
	KindClient Kind = "client"
	KindSMS    Kind = "sms"
	KindEmail  Kind = "email"
)

// Verdict is the outcome a finding reports.
type Verdict string

// Verdicts. Indeterminate means a fact the rule needs could not be read;
// the finding names the source and the permission that would settle it.
const (
	Fail          Verdict = "fail"
	Indeterminate Verdict = "indeterminate"
)

// Link is a documentation reference of a rule.
type Link struct {
	URL         string `json:"url"`
	Description string `json:"description,omitempty"`
}

// Rule is a rule's catalogue entry, read from its METADATA.
type Rule struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Severity    Severity `json:"severity"`
	Kind        Kind     `json:"kind"`
	// Package is the Rego package path, e.g.
	// "recoverscan.rules.user.no_verified_contact".
	Package     string `json:"package"`
	Remediation string `json:"remediation"`
	Related     []Link `json:"related,omitempty"`
	// Channels are the delivery channels the rule judges (METADATA
	// custom.channel): "sms", "email" or both. A pool, SMS or email rule
	// with channels is a channel rule: it is evaluated before the pool's
	// users, and its findings decide the verdict of every user whose code
	// Cognito sends on those channels.
	Channels []string `json:"channels,omitempty"`
	// Effect is what a failing finding does to recovery (METADATA
	// custom.effect): EffectBlocks (no code arrives), EffectEndangers (a
	// code may not arrive), or "" (a risk to report, no verdict).
	Effect string `json:"effect,omitempty"`
	// Explain is the step of a user's recovery route (`recoverscan
	// explain`) the rule's findings belong to (METADATA custom.explain):
	// ExplainStatus, ExplainEnabled, or "" (the route's fixed steps cover a
	// built-in rule; a custom rule gets a step of its own).
	Explain string `json:"explain,omitempty"`
	// BlocksRecovery is Effect == EffectBlocks (kept for readers of
	// older reports).
	BlocksRecovery bool `json:"blocks_recovery"`
	// Custom is true for rules loaded with --policy.
	Custom bool `json:"custom"`
	// File is where the rule was loaded from.
	File string `json:"file"`
	// DefaultSeverity is the METADATA severity when a configuration file
	// changed it; Severity is then the configured one.
	DefaultSeverity Severity `json:"default_severity,omitempty"`
	// Disabled rules are listed but not evaluated.
	Disabled bool `json:"disabled,omitempty"`
	// Params are the rule's effective parameters: METADATA custom.params
	// defaults with the configuration's values applied.
	Params map[string]any `json:"params,omitempty"`
}

// Delivery channels.
const (
	ChannelSMS   = "sms"
	ChannelEmail = "email"
)

// Effects a rule declares.
const (
	EffectBlocks    = "blocks"
	EffectEndangers = "endangers"
)

// Roles of a user rule in a user's recovery route (METADATA custom.explain).
// Both are the user's own state, which no channel fix repairs: their fixes
// are listed first.
const (
	// ExplainStatus: the finding is about the user's status; it is the
	// route's status step.
	ExplainStatus = "status"
	// ExplainEnabled: the finding is about the user being disabled, which
	// the route's enabled step shows.
	ExplainEnabled = "enabled"
)

// explainRoles are the values custom.explain may take.
var explainRoles = []string{ExplainStatus, ExplainEnabled}

// Resource is what a finding is about. Fields that do not apply are empty.
type Resource struct {
	Account  string `json:"account"`
	Region   string `json:"region"`
	PoolID   string `json:"pool_id,omitempty"`
	PoolName string `json:"pool_name,omitempty"`
	ClientID string `json:"client_id,omitempty"`
	Username string `json:"username,omitempty"`
	Sub      string `json:"sub,omitempty"`
	// commandUser names the user in remediation commands when Username,
	// masked, cannot (see snapshot.User.CommandUsername).
	commandUser string
}

// usernameForCommands is the Username an AWS CLI command takes for the
// resource's user.
func (r Resource) usernameForCommands() string {
	if r.commandUser != "" {
		return r.commandUser
	}
	return r.Username
}

// Remediation is a finding's remediation: the rule's command shape with
// the resource's identifiers in it. A user's username is put in when the
// text is read (String, or JSON), so that outputs showing each rule's
// remediation once do not build one for each of a million users.
type Remediation struct {
	shape string // the text, <username> left in for user
	user  string // what stands for <username>; "" when nothing does
}

// RemediationText is a remediation of text as it is.
func RemediationText(text string) Remediation { return Remediation{shape: text} }

// String is the remediation's text.
func (r Remediation) String() string {
	if r.user == "" {
		return r.shape
	}
	return strings.ReplaceAll(r.shape, "<username>", r.user)
}

// MarshalText writes the remediation as its text.
func (r Remediation) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText reads a remediation's text.
func (r *Remediation) UnmarshalText(b []byte) error {
	*r = RemediationText(string(b))
	return nil
}

// Finding is one rule result.
type Finding struct {
	RuleID   string   `json:"rule_id"`
	Title    string   `json:"title"`
	Severity Severity `json:"severity"`
	Kind     Kind     `json:"kind"`
	Verdict  Verdict  `json:"verdict"`
	Message  string   `json:"message"`
	Resource Resource `json:"resource"`
	// Remediation is the rule's remediation with the resource's pool id
	// and username filled in.
	Remediation Remediation    `json:"remediation"`
	Evidence    map[string]any `json:"evidence,omitempty"`
	// Effect is the finding's effect on recovery: the rule's, unless the
	// rule's report entry named its own.
	Effect string `json:"effect,omitempty"`
	// BlocksRecovery is Effect == EffectBlocks.
	BlocksRecovery bool `json:"blocks_recovery"`
	// Suppressed is set when a suppression file accepts the finding.
	Suppressed *SuppressedBy `json:"suppressed,omitempty"`
}

// Scope is one account and region of a report.
type Scope struct {
	Account string        `json:"account"`
	Region  string        `json:"region"`
	Pools   []PoolSummary `json:"pools"`
	// Problems lists sources of this scope that could not be read.
	Problems []SourceProblem `json:"problems,omitempty"`
}

// PoolSummary counts a pool's users by outcome.
type PoolSummary struct {
	ID    string     `json:"id"`
	Name  string     `json:"name"`
	Users UserCounts `json:"users"`
	// Complete is false when the pool's users could not all be listed.
	Complete bool `json:"complete"`
}

// UserCounts splits users by whether they could receive a recovery code.
type UserCounts struct {
	Total int64 `json:"total"`
	// Can: no finding. Cannot: a failing finding of a rule that blocks
	// recovery. MayNot: anything else (indeterminate verdicts, risks).
	Can    int64 `json:"can"`
	Cannot int64 `json:"cannot"`
	MayNot int64 `json:"may_not"`
}

// Add adds o to c.
func (c *UserCounts) Add(o UserCounts) {
	c.Total += o.Total
	c.Can += o.Can
	c.Cannot += o.Cannot
	c.MayNot += o.MayNot
}

// SourceProblem is a data source that could not be read.
type SourceProblem struct {
	Where  string `json:"where"` // e.g. "pool us-east-1_abc users" or "sms us-east-1 sandbox"
	Status string `json:"status"`
	Action string `json:"action"`
	Error  string `json:"error,omitempty"`
}

// Report is the result of evaluating a snapshot.
type Report struct {
	Tool            string    `json:"tool"`
	Version         string    `json:"version"`
	SnapshotTakenAt time.Time `json:"snapshot_taken_at"`
	// Rules is every rule that was evaluated, in id order.
	Rules    []Rule    `json:"rules"`
	Scopes   []Scope   `json:"scopes"`
	Findings []Finding `json:"findings"`
	// Suppressions says how a suppression file was applied, if any.
	Suppressions *SuppressionReport `json:"suppressions,omitempty"`

	// indeterminate records an indeterminate finding, for reports whose
	// findings were streamed rather than kept.
	indeterminate bool
}

// Unsuppressed returns a copy of the report without suppressed findings.
func (r *Report) Unsuppressed() *Report {
	c := *r
	c.Findings = make([]Finding, 0, len(r.Findings))
	for _, f := range r.Findings {
		if f.Suppressed == nil {
			c.Findings = append(c.Findings, f)
		}
	}
	return &c
}

// Totals adds up the user counts of every pool.
func (r *Report) Totals() UserCounts {
	var t UserCounts
	for _, s := range r.Scopes {
		for _, p := range s.Pools {
			t.Add(p.Users)
		}
	}
	return t
}

// Incomplete reports whether any source could not be read, or any
// verdict is indeterminate.
func (r *Report) Incomplete() bool {
	if r.ScopesIncomplete() || r.indeterminate {
		return true
	}
	for _, f := range r.Findings {
		if f.Verdict == Indeterminate {
			return true
		}
	}
	return false
}

// ScopesIncomplete reports whether a scope has a source that could not be
// read, or a pool whose users could not all be listed.
func (r *Report) ScopesIncomplete() bool {
	for _, s := range r.Scopes {
		if len(s.Problems) > 0 {
			return true
		}
		for _, p := range s.Pools {
			if !p.Complete {
				return true
			}
		}
	}
	return false
}

// Rule returns the catalogue entry of id.
func (r *Report) Rule(id string) (Rule, bool) {
	for _, rule := range r.Rules {
		if rule.ID == id {
			return rule, true
		}
	}
	return Rule{}, false
}
