package policies

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/recoverscan/recoverscan/collector/glob"
)

// Suppression accepts findings: those of a rule about resources matching
// the patterns, until the expiry date. Patterns are those of package
// collector/glob (*, ?, [...], \ escapes); an empty pattern matches
// anything.
type Suppression struct {
	Rule    string    `json:"rule"`
	Account string    `json:"account,omitempty"`
	Region  string    `json:"region,omitempty"`
	Pool    string    `json:"pool,omitempty"`
	Client  string    `json:"client,omitempty"`
	User    string    `json:"user,omitempty"`
	Reason  string    `json:"reason"`
	Expires time.Time `json:"expires"`
	// Where is "file:line" of the entry.
	Where string `json:"where"`
}

// SuppressedBy is attached to a suppressed finding.
type SuppressedBy struct {
	Reason  string `json:"reason"`
	Expires string `json:"expires"`
	Where   string `json:"where"`
}

// SuppressionReport says how a suppression file was used.
type SuppressionReport struct {
	File       string `json:"file"`
	Suppressed int    `json:"suppressed"`
	// Expired entries no longer suppress anything; Unused ones matched
	// no finding. Both are worth a look.
	Expired []Suppression `json:"expired,omitempty"`
	Unused  []Suppression `json:"unused,omitempty"`
}

// suppressionFile is the YAML document.
type suppressionFile struct {
	Suppressions []suppressionEntry `yaml:"suppressions"`
}

type suppressionEntry struct {
	Rule    string `yaml:"rule"`
	Account string `yaml:"account"`
	Region  string `yaml:"region"`
	Pool    string `yaml:"pool"`
	Client  string `yaml:"client"`
	User    string `yaml:"user"`
	Reason  string `yaml:"reason"`
	Expires string `yaml:"expires"`
}

// LoadSuppressions reads a suppression file:
//
//	suppressions:
//	  - rule: RC-POOL-001
//	    pool: us-east-1_AbCdEf123
//	    reason: staff reset passwords through the help desk by design
//	    expires: 2027-03-31
//
// Every entry needs a rule, a reason and an expiry date; unknown keys, bad
// dates and bad patterns are errors naming the file and line.
func LoadSuppressions(file string) ([]Suppression, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("suppressions: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f suppressionFile
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	lines := entryLines(&doc)
	var out []Suppression
	for i, e := range f.Suppressions {
		where := file
		if i < len(lines) {
			where = fmt.Sprintf("%s:%d", file, lines[i])
		}
		s, err := e.validate(where)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// entryLines finds the line of each entry of the suppressions list.
func entryLines(doc *yaml.Node) []int {
	if len(doc.Content) == 0 {
		return nil
	}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "suppressions" {
			var lines []int
			for _, n := range root.Content[i+1].Content {
				lines = append(lines, n.Line)
			}
			return lines
		}
	}
	return nil
}

func (e suppressionEntry) validate(where string) (Suppression, error) {
	s := Suppression{Rule: e.Rule, Account: e.Account, Region: e.Region, Pool: e.Pool,
		Client: e.Client, User: e.User, Reason: strings.TrimSpace(e.Reason), Where: where}
	if s.Rule == "" {
		return s, fmt.Errorf("%s: a suppression needs a rule (an id such as RC-POOL-001, or a pattern)", where)
	}
	if s.Reason == "" {
		return s, fmt.Errorf("%s: a suppression needs a reason", where)
	}
	if e.Expires == "" {
		return s, fmt.Errorf("%s: a suppression needs an expiry date (expires: YYYY-MM-DD)", where)
	}
	t, err := time.Parse(time.DateOnly, e.Expires)
	if err != nil {
		return s, fmt.Errorf("%s: expires %q is not a date like 2027-03-31", where, e.Expires)
	}
	s.Expires = t
	for name, p := range map[string]string{"rule": s.Rule, "account": s.Account, "region": s.Region, "pool": s.Pool, "client": s.Client, "user": s.User} {
		if err := glob.Validate(p); err != nil {
			return s, fmt.Errorf("%s: %s pattern %q: %w", where, name, p, err)
		}
	}
	return s, nil
}

// active reports whether the suppression still applies at now: it lasts
// through its expiry date.
func (s *Suppression) active(now time.Time) bool {
	return now.Before(s.Expires.AddDate(0, 0, 1))
}

func (s *Suppression) matches(f *Finding) bool {
	r := &f.Resource
	return match(s.Rule, f.RuleID) && match(s.Account, r.Account) && match(s.Region, r.Region) &&
		match(s.Pool, r.PoolID) && match(s.Client, r.ClientID) && match(s.User, r.Username)
}

func match(pattern, value string) bool {
	if pattern == "" {
		return true
	}
	return glob.Match(pattern, value)
}

// Suppress marks the findings the suppressions accept, as of now, and
// records which entries expired or matched nothing. A suppressed finding
// stays in the report (with its reason); it no longer counts towards
// --fail-on and is left out of SARIF and the table. The per-pool user
// counts are facts and do not change.
func (r *Report) Suppress(file string, entries []Suppression, now time.Time) {
	s := NewSuppressor(file, entries, now)
	for i := range r.Findings {
		s.Apply(&r.Findings[i])
	}
	r.Suppressions = s.Report()
}

// Suppressor applies suppressions to findings one at a time, as a
// streamed evaluation makes them.
type Suppressor struct {
	file    string
	entries []Suppression
	active  []bool
	used    []bool
	count   int
}

// NewSuppressor prepares entries of file as of now.
func NewSuppressor(file string, entries []Suppression, now time.Time) *Suppressor {
	s := &Suppressor{file: file, entries: entries, active: make([]bool, len(entries)), used: make([]bool, len(entries))}
	for i := range entries {
		s.active[i] = entries[i].active(now)
	}
	return s
}

// Apply marks f suppressed by the first active entry that matches it.
func (s *Suppressor) Apply(f *Finding) {
	for i := range s.entries {
		e := &s.entries[i]
		if !s.active[i] || !e.matches(f) {
			continue
		}
		s.used[i] = true
		f.Suppressed = &SuppressedBy{Reason: e.Reason, Expires: e.Expires.Format(time.DateOnly), Where: e.Where}
		s.count++
		return
	}
}

// Report says how the suppressions were applied so far: what they
// suppressed, which expired and which matched nothing.
func (s *Suppressor) Report() *SuppressionReport {
	rep := &SuppressionReport{File: s.file, Suppressed: s.count}
	for i := range s.entries {
		switch {
		case !s.active[i]:
			rep.Expired = append(rep.Expired, s.entries[i])
		case !s.used[i]:
			rep.Unused = append(rep.Unused, s.entries[i])
		}
	}
	return rep
}
