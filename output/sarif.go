package output

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/recoverscan/recoverscan/policies"
)

// GitHub code scanning limits (shared/reference/github-sarif.md). Going
// over a maximum rejects the whole upload.
const (
	maxResultsPerRun = 5000 // GitHub keeps the top 5,000 results of a run
	maxRunsPerFile   = 20
	maxRulesPerRun   = 25000
	maxNameLen       = 255
	maxDescLen       = 1024
	maxTags          = 10
)

const (
	toolName           = "recoverscan"
	toolInformationURI = "https://github.com/recoverscan/recoverscan"
	// sarifSchemaURI is the schema address GitHub's docs and CodeQL use.
	sarifSchemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
	// fingerprintKey is the only partial fingerprint GitHub reads.
	fingerprintKey = "primaryLocationLineHash"
)

// securitySeverity maps severities to GitHub's security-severity scores:
// midpoints of GitHub's bands, so each maps unambiguously.
var securitySeverity = map[policies.Severity]string{
	policies.Critical: "9.5",
	policies.High:     "8.0",
	policies.Medium:   "5.5",
	policies.Low:      "2.0",
}

// TooManyRunsError says a report has more account/region scopes than
// GitHub accepts runs in one SARIF file.
type TooManyRunsError struct {
	Runs int
}

func (e *TooManyRunsError) Error() string {
	return fmt.Sprintf("sarif: the report covers %d account/region scopes, but GitHub accepts at most %d runs per SARIF file: scan fewer regions per file", e.Runs, maxRunsPerFile)
}

// FormatSARIF names the SARIF format.
const FormatSARIF = "sarif"

func init() {
	register(Format{Name: FormatSARIF, Ext: ".sarif", New: func(Options) (Renderer, error) {
		return &sarifRenderer{aggregated: newAggregated(0, Options{})}, nil
	}})
}

// sarifRenderer writes SARIF for GitHub code scanning. Suppressed findings
// are left out: GitHub does not honour SARIF suppressions (they become
// open alerts). A report of more account/region scopes than GitHub takes
// runs in one file is written in parts of at most MaxRunsPerFile scopes.
type sarifRenderer struct {
	aggregated
	// split caches the parts of the report last split.
	split struct {
		report  *policies.Report
		parts   []*policies.Report
		digests []*digest
	}
}

func (s *sarifRenderer) Render(w io.Writer, r *policies.Report) error {
	return writeSARIF(w, r, s.digest, maxResultsPerRun)
}

// Parts says how many files of at most MaxRunsPerFile runs r needs.
func (s *sarifRenderer) Parts(r *policies.Report) int {
	parts, _ := s.splitScopes(r)
	return len(parts)
}

// PartLimit says what one SARIF file may hold.
func (s *sarifRenderer) PartLimit() string {
	return fmt.Sprintf("GitHub takes at most %d runs, one per account and region, in one SARIF file", maxRunsPerFile)
}

// RenderPart writes the part i of the report split by scopes.
func (s *sarifRenderer) RenderPart(w io.Writer, r *policies.Report, i int) error {
	parts, digests := s.splitScopes(r)
	if i < 0 || i >= len(parts) {
		return fmt.Errorf("sarif: no part %d of %d", i+1, len(parts))
	}
	return writeSARIF(w, parts[i], digests[i], maxResultsPerRun)
}

// splitScopes splits r as SplitScopes does, and the digest with it: each
// part gets the groups and findings of its scopes.
func (s *sarifRenderer) splitScopes(r *policies.Report) ([]*policies.Report, []*digest) {
	if s.split.report == r {
		return s.split.parts, s.split.digests
	}
	parts := SplitScopes(r, maxRunsPerFile)
	digests := []*digest{s.digest}
	if len(parts) > 1 {
		digests = splitDigest(s.digest, parts)
	}
	s.split.report, s.split.parts, s.split.digests = r, parts, digests
	return parts, digests
}

// splitDigest divides d between the parts by account and region; what
// lies outside every part's scopes goes to the last.
func splitDigest(d *digest, parts []*policies.Report) []*digest {
	type key struct{ account, region string }
	index := map[key]int{}
	out := make([]*digest, len(parts))
	for i, p := range parts {
		out[i] = newDigest(d.sampleCap)
		out[i].rules = d.rules
		out[i].permissions = d.permissions
		for _, sc := range p.Scopes {
			index[key{sc.Account, sc.Region}] = i
		}
	}
	partOf := func(account, region string) *digest {
		i, ok := index[key{account, region}]
		if !ok {
			i = len(parts) - 1
		}
		return out[i]
	}
	for k, g := range d.groups {
		partOf(k.Pool.Account, k.Pool.Region).groups[k] = g
	}
	for _, f := range d.others {
		pd := partOf(f.Resource.Account, f.Resource.Region)
		pd.others = append(pd.others, f)
	}
	for k, o := range d.overflow {
		partOf(k.Pool.Account, k.Pool.Region).overflow[k] = o
	}
	for k := range d.scopes {
		partOf(k[0], k[1]).scopes[k] = true
	}
	return out
}

// writeSARIF renders r as SARIF 2.1.0 for GitHub code scanning, keeping at
// most maxResults results per run.
func writeSARIF(w io.Writer, r *policies.Report, d *digest, maxResults int) error {
	log, err := buildSARIF(r, d, maxResults)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

// sarifScope is one run: an account and region.
type sarifScope struct {
	account, region string
	pools           int
	problems        []policies.SourceProblem
	incomplete      bool
	candidates      []*candidate
}

// candidate is a result before the per-run cap is applied.
type candidate struct {
	rank     int
	ruleID   string
	poolID   string
	clientID string
	verdict  policies.Verdict
	// fp is what the fingerprint hashes; extra disambiguates findings
	// that would otherwise share one.
	fp     [6]string
	extra  string
	result *sarif.Result
}

// buildSARIF builds the SARIF log: one run per account and region, every
// rule in every run, per-user findings aggregated per rule, pool and
// verdict with a count and never a user's identity.
func buildSARIF(r *policies.Report, d *digest, maxResults int) (*sarif.Report, error) {
	rules, index := ruleCatalogue(r, d)
	if len(rules) > maxRulesPerRun {
		return nil, fmt.Errorf("sarif: %d rules exceed GitHub's limit of %d per run", len(rules), maxRulesPerRun)
	}
	descriptors := make([]*sarif.ReportingDescriptor, len(rules))
	for i := range rules {
		descriptors[i] = ruleDescriptor(&rules[i])
	}

	scopes, scopeOf := sarifScopes(r, d)
	if len(scopes) > maxRunsPerFile {
		return nil, &TooManyRunsError{Runs: len(scopes)}
	}

	for k, g := range d.groups {
		s := scopeOf(k.Pool.Account, k.Pool.Region)
		s.candidates = append(s.candidates, userCandidate(g, index[k.RuleID]))
	}
	for i := range d.others {
		f := &d.others[i]
		s := scopeOf(f.Resource.Account, f.Resource.Region)
		s.candidates = append(s.candidates, findingCandidate(f, index[f.RuleID]))
	}
	for _, o := range d.overflow {
		f := o.finding()
		s := scopeOf(f.Resource.Account, f.Resource.Region)
		c := findingCandidate(&f, index[f.RuleID])
		if c.result.Properties == nil {
			c.result.Properties = sarif.Properties{}
		}
		c.result.Properties["count"] = o.N
		s.candidates = append(s.candidates, c)
	}

	log, err := sarif.New(sarif.Version210)
	if err != nil {
		return nil, err
	}
	log.Schema = sarifSchemaURI
	usedIDs := map[string]bool{}
	for _, s := range scopes {
		log.AddRun(buildRun(r, s, descriptors, maxResults, usedIDs))
	}
	return log, nil
}

// sarifScopes lists the runs to write: the report's scopes in order (an
// account and region listed twice becomes one run), then any known only
// from findings, sorted. scopeOf finds or adds one.
func sarifScopes(r *policies.Report, d *digest) ([]*sarifScope, func(account, region string) *sarifScope) {
	var scopes []*sarifScope
	byKey := map[[2]string]*sarifScope{}
	get := func(account, region string) *sarifScope {
		k := [2]string{account, region}
		if s := byKey[k]; s != nil {
			return s
		}
		s := &sarifScope{account: account, region: region}
		byKey[k] = s
		scopes = append(scopes, s)
		return s
	}
	for _, sc := range r.Scopes {
		s := get(sc.Account, sc.Region)
		s.pools += len(sc.Pools)
		s.problems = append(s.problems, sc.Problems...)
		for _, p := range sc.Pools {
			if !p.Complete {
				s.incomplete = true
			}
		}
		if len(sc.Problems) > 0 {
			s.incomplete = true
		}
	}
	known := len(scopes)
	for k := range d.scopes {
		get(k[0], k[1])
	}
	extra := scopes[known:]
	sort.Slice(extra, func(i, j int) bool {
		if extra[i].account != extra[j].account {
			return extra[i].account < extra[j].account
		}
		return extra[i].region < extra[j].region
	})
	if len(scopes) == 0 {
		// An empty report still yields a run, so an upload records that
		// nothing was found.
		get("", "")
	}
	// scopeOf is called after the list is final; it only finds.
	return scopes, func(account, region string) *sarifScope { return byKey[[2]string{account, region}] }
}

// buildRun makes the run of one scope: most severe results first, capped.
func buildRun(r *policies.Report, s *sarifScope, rules []*sarif.ReportingDescriptor, maxResults int, usedIDs map[string]bool) *sarif.Run {
	run := sarif.NewRunWithInformationURI(toolName, toolInformationURI)
	run.Tool.Driver.Rules = rules
	if v := scrub(r.Version); v != "" {
		run.Tool.Driver.WithSemanticVersion(v)
	}
	run.WithAutomationDetails(sarif.NewRunAutomationDetails().WithID(automationID(s, usedIDs)))

	cs := s.candidates
	sort.Slice(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if a.rank != b.rank {
			return a.rank > b.rank
		}
		if a.ruleID != b.ruleID {
			return a.ruleID < b.ruleID
		}
		if a.poolID != b.poolID {
			return a.poolID < b.poolID
		}
		if a.clientID != b.clientID {
			return a.clientID < b.clientID
		}
		if a.verdict != b.verdict {
			return a.verdict == policies.Fail
		}
		return a.extra < b.extra
	})
	setFingerprints(cs, s)
	kept := cs
	if maxResults > 0 && len(kept) > maxResults {
		kept = kept[:maxResults]
	}
	run.Results = make([]*sarif.Result, 0, len(kept))
	for _, c := range kept {
		run.Results = append(run.Results, c.result)
	}

	run.Properties = sarif.Properties{
		"account":         scrub(s.account),
		"region":          scrub(s.region),
		"pools":           s.pools,
		"incomplete":      s.incomplete || hasIndeterminate(cs),
		"results_total":   len(cs),
		"results_dropped": len(cs) - len(kept),
	}
	if len(cs) > len(kept) {
		run.Properties["results_dropped_note"] = fmt.Sprintf(
			"%d of %d results were left out to stay within GitHub's %d results per run; the least severe went first. The json format has them all.",
			len(cs)-len(kept), len(cs), maxResults)
	}

	// Unread sources are the tool's own trouble, not findings: report
	// them as execution notifications so code scanning shows them as
	// tool status. Their raw error text stays out (it can name roles and
	// session names); status and action are what settles them.
	ok := true
	inv := &sarif.Invocation{ExecutionSuccessful: &ok}
	for _, p := range s.problems {
		msg := "Could not read " + p.Where
		if p.Status != "" {
			msg += " (" + p.Status + ")"
		}
		if p.Action != "" {
			msg += "; grant " + p.Action + " to read it"
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, &sarif.Notification{
			Level:   "warning",
			Message: sarif.NewTextMessage(scrub(msg) + "."),
		})
	}
	run.Invocations = []*sarif.Invocation{inv}
	return run
}

func hasIndeterminate(cs []*candidate) bool {
	for _, c := range cs {
		if c.verdict == policies.Indeterminate {
			return true
		}
	}
	return false
}

// automationID is the run's category: "recoverscan/<account>/<region>/".
// The trailing slash makes the whole id the category (GitHub splits it at
// the last slash), and each run gets its own.
func automationID(s *sarifScope, used map[string]bool) string {
	base := "recoverscan/" + uriSegment(s.account) + "/" + uriSegment(s.region)
	id := base + "/"
	for n := 2; used[id]; n++ {
		id = fmt.Sprintf("%s-%d/", base, n)
	}
	used[id] = true
	return id
}

// setFingerprints gives every result its primaryLocationLineHash. The hash
// covers what identifies the problem, not the count, so an alert survives
// users being added or fixed. Findings that would share one (a rule
// reporting twice about one resource) also hash their message.
func setFingerprints(cs []*candidate, s *sarifScope) {
	seen := map[[6]string]int{}
	for _, c := range cs {
		seen[c.fp]++
	}
	for _, c := range cs {
		parts := c.fp[:]
		if seen[c.fp] > 1 {
			parts = append(parts, c.extra)
		}
		c.result.WithPartialFingerPrints(map[string]interface{}{fingerprintKey: fingerprint(parts...)})
	}
}

// fingerprint hashes parts into GitHub's "<hex>:<line>" shape.
func fingerprint(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:8]) + ":1"
}

// userCandidate is the aggregated result of a per-user group: how many
// users, in which pool, never who.
func userCandidate(g *userGroup, ruleIndex int) *candidate {
	k := g.Key
	title := g.Title
	if title == "" {
		title = k.RuleID
	}
	who := thousands(g.Users) + " " + plural(g.Users, "user", "users") + " in pool " + Markdown(poolLabel(k.Pool.PoolID, g.PoolName))
	var msg string
	props := sarif.Properties{"count": g.Users}
	if k.Verdict == policies.Indeterminate {
		srcs := g.sortedSources()
		msg = "Could not determine for " + who + ": " + sentence(title) + " " + settleText(srcs)
		if perms := actions(srcs); len(perms) > 0 {
			props["permissions"] = perms
		}
	} else {
		msg = who + ": " + sentence(title)
		if g.BlocksRecovery {
			msg += " " + plural(g.Users, "This user", "These users") + " cannot receive a password-recovery code."
		}
	}
	c := &candidate{
		rank:    g.Severity.Rank(),
		ruleID:  k.RuleID,
		poolID:  k.Pool.PoolID,
		verdict: k.Verdict,
		fp:      [6]string{k.RuleID, k.Pool.Account, k.Pool.Region, k.Pool.PoolID, "", string(k.Verdict)},
	}
	c.result = newResult(k.RuleID, ruleIndex, g.Severity, k.Verdict, msg, locationURI(k.Pool, ""), props)
	return c
}

// findingCandidate is the result of a pool, client, SMS or email finding.
func findingCandidate(f *policies.Finding, ruleIndex int) *candidate {
	p := poolOf(f)
	where := "Pool " + Markdown(poolLabel(p.PoolID, f.Resource.PoolName))
	if f.Resource.ClientID != "" {
		where += ", app client " + f.Resource.ClientID
	}
	text := oneLine(f.Message)
	if text == "" {
		text = f.Title
	}
	if text == "" {
		text = f.RuleID
	}
	props := sarif.Properties{}
	var msg string
	extra := f.Message
	if f.Verdict == policies.Indeterminate {
		srcs := findingSources(f.Evidence)
		msg = "Could not determine for " + lowerFirst(where) + ": " + sentence(text) + " " + settleText(srcs)
		if perms := actions(srcs); len(perms) > 0 {
			props["permissions"] = perms
		}
		// One rule may be indeterminate about one resource for several
		// unread sources, in the same words: the sources tell them apart
		// (not their errors, which vary from run to run).
		for _, src := range srcs {
			extra += "\x00" + src.Status + " " + src.Action
		}
	} else {
		msg = where + ": " + sentence(text)
	}
	c := &candidate{
		rank:     f.Severity.Rank(),
		ruleID:   f.RuleID,
		poolID:   p.PoolID,
		clientID: f.Resource.ClientID,
		verdict:  f.Verdict,
		fp:       [6]string{f.RuleID, p.Account, p.Region, p.PoolID, f.Resource.ClientID, string(f.Verdict)},
		extra:    extra,
	}
	c.result = newResult(f.RuleID, ruleIndex, f.Severity, f.Verdict, msg, locationURI(p, f.Resource.ClientID), props)
	return c
}

// newResult assembles a result with its single synthetic location.
func newResult(ruleID string, ruleIndex int, sev policies.Severity, v policies.Verdict, msg, uri string, props sarif.Properties) *sarif.Result {
	props["verdict"] = string(v)
	if sev != "" {
		props["severity"] = string(sev)
	}
	res := sarif.NewRuleResult(ruleID).
		WithRuleIndex(ruleIndex).
		WithLevel(resultLevel(sev, v)).
		WithMessage(sarif.NewTextMessage(scrub(msg))).
		WithLocations([]*sarif.Location{
			sarif.NewLocationWithPhysicalLocation(sarif.NewPhysicalLocation().
				WithArtifactLocation(sarif.NewSimpleArtifactLocation(uri)).
				WithRegion(sarif.NewRegion().WithStartLine(1).WithStartColumn(1).WithEndLine(1).WithEndColumn(2))),
		})
	res.Properties = props
	return res
}

// settleText says what would settle an indeterminate verdict.
func settleText(srcs []sourceInfo) string {
	var hints []string
	seen := map[string]bool{}
	for _, s := range srcs {
		h := settleHint(s)
		if h == "" && s.Status != "" {
			h = "a source could not be read (" + s.Status + ")"
		}
		if h != "" && !seen[h] {
			seen[h] = true
			hints = append(hints, h)
		}
	}
	if len(hints) == 0 {
		return "A fact the rule needs could not be read; the json format names the source."
	}
	return "To settle it: " + strings.Join(hints, "; ") + "."
}

func actions(srcs []sourceInfo) []string {
	set := map[string]bool{}
	for _, s := range srcs {
		if s.Action != "" {
			set[s.Action] = true
		}
	}
	if len(set) == 0 {
		return nil
	}
	return sortedKeys(set)
}

// resultLevel maps severity and verdict to a SARIF level. An indeterminate
// verdict is not a confirmed problem, so it never reaches "error".
func resultLevel(sev policies.Severity, v policies.Verdict) string {
	if v == policies.Indeterminate {
		if sev.Rank() >= policies.High.Rank() {
			return "warning"
		}
		return "note"
	}
	return ruleLevel(sev)
}

// ruleLevel is a rule's default level: critical and high are errors,
// medium warnings, low notes. Unknown severities count as medium.
func ruleLevel(sev policies.Severity) string {
	switch sev {
	case policies.Critical, policies.High:
		return "error"
	case policies.Low:
		return "note"
	}
	return "warning"
}

// ruleCatalogue is every rule of the report, de-duplicated, plus a stub
// for any rule a finding names that the catalogue lacks, so every result
// has a rule to point at.
func ruleCatalogue(r *policies.Report, d *digest) ([]policies.Rule, map[string]int) {
	index := map[string]int{}
	var rules []policies.Rule
	for _, rule := range r.Rules {
		if _, dup := index[rule.ID]; dup {
			continue
		}
		index[rule.ID] = len(rules)
		rules = append(rules, rule)
	}
	var missing []policies.Rule
	for id, stub := range d.rules {
		if _, ok := index[id]; !ok {
			missing = append(missing, stub)
		}
	}
	sort.Slice(missing, func(i, j int) bool { return missing[i].ID < missing[j].ID })
	for _, rule := range missing {
		index[rule.ID] = len(rules)
		rules = append(rules, rule)
	}
	return rules, index
}

// ruleDescriptor describes a rule the way GitHub wants it: every required
// text non-empty and within its length limit.
func ruleDescriptor(rule *policies.Rule) *sarif.ReportingDescriptor {
	title := scrub(oneLine(rule.Title))
	if title == "" {
		title = rule.ID
	}
	desc := scrub(strings.TrimSpace(rule.Description))
	if desc == "" {
		desc = title
	}
	remediation := scrub(strings.TrimSpace(rule.Remediation))

	var links []policies.Link
	for _, l := range rule.Related {
		if validHTTPURL(l.URL) && scrub(l.URL) == l.URL {
			links = append(links, l)
		}
	}

	text := desc
	md := desc
	if remediation != "" {
		text += "\n\nRemediation:\n" + remediation
		md += "\n\n**Remediation**\n\n```\n" + remediation + "\n```"
	}
	if len(links) > 0 {
		text += "\n\nReferences:"
		md += "\n\n**References**\n"
		for _, l := range links {
			label := scrub(oneLine(l.Description))
			if label == "" {
				label = l.URL
			}
			text += "\n- " + label + ": " + l.URL
			md += "\n- [" + mdEscape(label) + "](" + l.URL + ")"
		}
	}

	d := sarif.NewRule(rule.ID).
		WithName(truncate(camelName(rule), maxNameLen)).
		WithShortDescription(sarif.NewMultiformatMessageString(truncate(title, maxDescLen))).
		WithFullDescription(sarif.NewMultiformatMessageString(truncate(desc, maxDescLen))).
		WithTextHelp(text).
		WithMarkdownHelp(md).
		WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(ruleLevel(rule.Severity)))
	if len(links) > 0 {
		d.WithHelpURI(links[0].URL)
	}
	sev, ok := securitySeverity[rule.Severity]
	if !ok {
		sev = securitySeverity[policies.Medium]
	}
	precision := "very-high" // built-in rules judge recorded facts, not heuristics
	if rule.Custom {
		precision = "high"
	}
	d.Properties = sarif.Properties{
		"tags":              ruleTags(rule),
		"precision":         precision,
		"security-severity": sev,
	}
	return d
}

// ruleTags are a rule's tags: "security" makes GitHub read
// security-severity; at most maxTags.
func ruleTags(rule *policies.Rule) []string {
	tags := []string{"security", "cognito", "account-recovery"}
	if rule.Kind != "" {
		tags = append(tags, uriSegment(string(rule.Kind)))
	}
	if rule.BlocksRecovery {
		tags = append(tags, "blocks-recovery")
	}
	if rule.Custom {
		tags = append(tags, "custom")
	}
	if len(tags) > maxTags {
		tags = tags[:maxTags]
	}
	return tags
}

// camelName turns a rule's title into a CamelCase name:
// "No verified email address" → "NoVerifiedEmailAddress".
func camelName(rule *policies.Rule) string {
	src := scrub(rule.Title)
	var b strings.Builder
	for _, word := range strings.FieldsFunc(src, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		r, size := utf8.DecodeRuneInString(word)
		b.WriteRune(unicode.ToUpper(r))
		b.WriteString(word[size:])
	}
	if b.Len() == 0 {
		for _, r := range rule.ID {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				b.WriteRune(r)
			}
		}
	}
	if b.Len() == 0 {
		return "Rule"
	}
	return b.String()
}

// locationURI is the stable, relative, synthetic path of a resource:
// cognito/<account>/<region>/<pool-id>[/clients/<client-id>].
func locationURI(p poolKey, clientID string) string {
	uri := "cognito/" + uriSegment(p.Account) + "/" + uriSegment(p.Region) + "/" + uriSegment(p.PoolID)
	if clientID != "" {
		uri += "/clients/" + uriSegment(clientID)
	}
	return uri
}

// uriSegment makes s one safe path segment: unreserved characters only,
// contact data masked first, never empty, "." or "..".
func uriSegment(s string) string {
	s = scrub(s)
	var b strings.Builder
	for _, r := range s {
		if r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	out := b.String()
	if out == "" || out == "." || out == ".." {
		return "_"
	}
	return out
}

// poolLabel names a pool in a message. Names come from the snapshot: a
// caller escapes them for where the label goes (Markdown in SARIF
// messages, which GitHub renders).
func poolLabel(id, name string) string {
	switch {
	case name != "" && id != "":
		return name + " (" + id + ")"
	case id != "":
		return id
	case name != "":
		return name
	}
	return "(unknown)"
}

// Contact data that must never reach SARIF, whose readers are anyone with
// read access to the repository. Masked forms (a***@e***.com,
// +*******1234) count too.
var (
	emailPattern = regexp.MustCompile(`[A-Za-z0-9._%+\-*]+@[A-Za-z0-9\-*]+(\.[A-Za-z0-9\-*]+)+`)
	phonePattern = regexp.MustCompile(`\+[0-9*][0-9*\-. ]{5,18}[0-9*]`)
)

// scrub masks anything that looks like an email address or an E.164
// phone number, and repairs invalid UTF-8. Rules never put contact data in
// messages; this is the belt to those braces.
func scrub(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if strings.IndexByte(s, '@') >= 0 {
		s = emailPattern.ReplaceAllString(s, "[email redacted]")
	}
	if strings.IndexByte(s, '+') >= 0 {
		s = phonePattern.ReplaceAllStringFunc(s, func(m string) string {
			if countDigitsOrStars(m) < 7 {
				return m
			}
			return "[phone redacted]"
		})
	}
	return s
}

func countDigitsOrStars(s string) int {
	n := 0
	for _, r := range s {
		if r == '*' || r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

// truncate cuts s to at most n runes, ending in an ellipsis when cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	runes := []rune(s)
	return strings.TrimRightFunc(string(runes[:n-1]), unicode.IsSpace) + "…"
}

// sentence ends s with a full stop unless it already ends a sentence.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?") {
		return s
	}
	return s + "."
}

func lowerFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[size:]
}

func validHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && !strings.ContainsAny(s, " \t\n")
}

// mdEscape keeps a link label from breaking Markdown link syntax.
func mdEscape(s string) string {
	return strings.NewReplacer(`[`, `\[`, `]`, `\]`).Replace(s)
}

// MaxRunsPerFile is how many runs (account and region scopes) GitHub takes
// in one SARIF file.
const MaxRunsPerFile = maxRunsPerFile

// SplitScopes splits a report into reports of at most n account/region
// scopes each, in order, each with the findings of its scopes, so that a
// scan of many accounts and regions fits GitHub's limit of runs per file.
func SplitScopes(r *policies.Report, n int) []*policies.Report {
	if len(r.Scopes) <= n {
		return []*policies.Report{r}
	}
	type key struct{ account, region string }
	part := map[key]int{}
	var parts []*policies.Report
	for i, s := range r.Scopes {
		if i%n == 0 {
			c := *r
			c.Scopes, c.Findings = nil, nil
			parts = append(parts, &c)
		}
		p := parts[len(parts)-1]
		p.Scopes = append(p.Scopes, s)
		part[key{s.Account, s.Region}] = len(parts) - 1
	}
	for _, f := range r.Findings {
		i, ok := part[key{f.Resource.Account, f.Resource.Region}]
		if !ok {
			i = len(parts) - 1 // a finding outside every scope: keep it somewhere
		}
		parts[i].Findings = append(parts[i].Findings, f)
	}
	return parts
}
