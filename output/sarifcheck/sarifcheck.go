// Package sarifcheck checks a SARIF log the way GitHub code scanning will:
// against the official SARIF 2.1.0 JSON Schema (OASIS, errata01) and
// against code scanning's ingestion rules and limits (required non-empty
// fields, relative physical locations, fingerprints, run categories,
// security-severity, result and tag limits). A file it accepts uploads
// cleanly; the tests of every SARIF writer in this module use it.
package sarifcheck

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed sarif-schema-2.1.0.json
var schemaJSON []byte

// Validate returns every problem with data: schema violations first, then
// GitHub ingestion rule violations. An empty result means GitHub accepts it.
func Validate(data []byte) []error {
	var errs []error
	if err := ValidateSchema(data); err != nil {
		errs = append(errs, err)
	}
	return append(errs, ValidateGitHub(data)...)
}

// ValidateSchema checks data against the SARIF 2.1.0 JSON Schema, with
// formats such as uri and uri-reference asserted.
func ValidateSchema(data []byte) error {
	schema, err := compiledSchema()
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("SARIF is not JSON: %w", err)
	}
	if err := schema.Validate(inst); err != nil {
		return fmt.Errorf("SARIF does not match the SARIF 2.1.0 schema: %w", err)
	}
	return nil
}

var compiledSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return nil, fmt.Errorf("read SARIF schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const loc = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	if err := c.AddResource(loc, doc); err != nil {
		return nil, fmt.Errorf("load SARIF schema: %w", err)
	}
	s, err := c.Compile(loc)
	if err != nil {
		return nil, fmt.Errorf("compile SARIF schema: %w", err)
	}
	return s, nil
})

// ValidateGitHub checks a SARIF log against what GitHub code scanning
// accepts (shared/reference/github-sarif.md), strictly: limits, required
// fields non-empty, locations, fingerprints, categories and
// security-severity. It returns every violation found.
func ValidateGitHub(data []byte) []error {
	var log map[string]any
	if err := json.Unmarshal(data, &log); err != nil {
		return []error{fmt.Errorf("not JSON: %v", err)}
	}
	c := &checker{runKeys: map[string]bool{}}
	c.log(log)
	return c.errs
}

// checker gathers the violations of one SARIF log, in document order.
type checker struct {
	errs []error
	// runKeys holds each run's tool and category, to find repeats.
	runKeys map[string]bool
}

func (c *checker) fail(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf(format, args...))
}

// log checks the top level of the log, then each run.
func (c *checker) log(log map[string]any) {
	if s, _ := log["$schema"].(string); s == "" {
		c.fail("$schema is missing or empty")
	}
	if v, _ := log["version"].(string); v != "2.1.0" {
		c.fail("version is %q, want 2.1.0", v)
	}
	runs, ok := log["runs"].([]any)
	if !ok {
		c.fail("runs is missing")
	}
	if len(runs) > 20 {
		c.fail("%d runs, GitHub accepts at most 20", len(runs))
	}
	for ri, rv := range runs {
		run, _ := rv.(map[string]any)
		c.run(fmt.Sprintf("runs[%d]", ri), run)
	}
}

// run checks one run: its tool, its rules, its results and invocations.
func (c *checker) run(at string, run map[string]any) {
	driver := obj(obj(run, "tool"), "driver")
	if driver == nil {
		c.fail("%s: tool.driver is missing", at)
		return
	}
	c.driver(at, run, driver)
	ruleIDs := c.rules(at, driver)
	c.results(at, run, ruleIDs)
	for i, iv := range anySlice(run["invocations"]) {
		inv, _ := iv.(map[string]any)
		if _, ok := inv["executionSuccessful"].(bool); !ok {
			c.fail("%s invocation[%d]: executionSuccessful is missing", at, i)
		}
	}
}

// driver checks the tool's name, the run's category and that no other run
// has the same pair.
func (c *checker) driver(at string, run, driver map[string]any) {
	name := str(driver, "name")
	if name == "" {
		c.fail("%s: tool.driver.name is empty", at)
	}
	auto := str(obj(run, "automationDetails"), "id")
	if auto == "" {
		c.fail("%s: automationDetails.id is empty", at)
	}
	key := strings.Join([]string{name, str(driver, "fullName"), str(driver, "version"), str(driver, "semanticVersion"), str(driver, "guid"), auto}, "\x00")
	if c.runKeys[key] {
		c.fail("%s: another run has the same tool and category %q", at, auto)
	}
	c.runKeys[key] = true
	if u := str(driver, "informationUri"); u != "" && !absoluteURI(u) {
		c.fail("%s: informationUri %q is not absolute", at, u)
	}
}

// rules checks the driver's rules and returns each rule id's index.
func (c *checker) rules(at string, driver map[string]any) map[string]int {
	rules, ok := driver["rules"].([]any)
	if !ok {
		c.fail("%s: tool.driver.rules is missing", at)
	}
	if len(rules) > 25000 {
		c.fail("%s: %d rules, at most 25,000", at, len(rules))
	}
	ruleIDs := map[string]int{}
	for i, rv := range rules {
		rule, _ := rv.(map[string]any)
		rat := fmt.Sprintf("%s rule[%d]", at, i)
		id := str(rule, "id")
		if id == "" {
			c.fail("%s: id is empty", rat)
		}
		if _, dup := ruleIDs[id]; dup {
			c.fail("%s: duplicate rule id %q", rat, id)
		}
		ruleIDs[id] = i
		c.ruleText(rat, rule)
		c.ruleProperties(rat, obj(rule, "properties"))
	}
	return ruleIDs
}

// ruleText checks a rule's name, descriptions, help and default level.
func (c *checker) ruleText(rat string, rule map[string]any) {
	if n, ok := rule["name"]; ok {
		s, _ := n.(string)
		if s == "" || utf8.RuneCountInString(s) > 255 {
			c.fail("%s: name %q empty or over 255 characters", rat, s)
		}
	}
	for _, f := range []string{"shortDescription", "fullDescription"} {
		t := str(obj(rule, f), "text")
		if t == "" || utf8.RuneCountInString(t) > 1024 {
			c.fail("%s: %s.text empty or over 1024 characters (%d)", rat, f, utf8.RuneCountInString(t))
		}
	}
	if str(obj(rule, "help"), "text") == "" {
		c.fail("%s: help.text is empty", rat)
	}
	if u := str(rule, "helpUri"); u != "" && !absoluteURI(u) {
		c.fail("%s: helpUri %q is not absolute", rat, u)
	}
	if dc := obj(rule, "defaultConfiguration"); dc != nil {
		if l := str(dc, "level"); !oneOf(l, "note", "warning", "error") {
			c.fail("%s: defaultConfiguration.level %q", rat, l)
		}
	}
}

// ruleProperties checks a rule's tags, precision and security-severity.
func (c *checker) ruleProperties(rat string, props map[string]any) {
	tags, _ := props["tags"].([]any)
	if len(tags) > 10 {
		c.fail("%s: %d tags, GitHub keeps 10", rat, len(tags))
	}
	seenTag := map[string]bool{}
	hasSecurity := false
	for _, t := range tags {
		s, _ := t.(string)
		if s == "" || seenTag[s] {
			c.fail("%s: empty or duplicate tag %q", rat, s)
		}
		seenTag[s] = true
		hasSecurity = hasSecurity || s == "security"
	}
	if p, ok := props["precision"]; ok && !oneOf(fmt.Sprint(p), "very-high", "high", "medium", "low") {
		c.fail("%s: precision %v", rat, p)
	}
	if ss, ok := props["security-severity"]; ok {
		s, isString := ss.(string)
		v, err := strconv.ParseFloat(s, 64)
		if !isString || err != nil || v < 0.1 || v > 10 {
			c.fail("%s: security-severity %#v is not a string score in 0.1–10.0", rat, ss)
		}
		if !hasSecurity {
			c.fail("%s: security-severity without the security tag", rat)
		}
	}
}

// results checks the run's results against its rules (ruleIDs).
func (c *checker) results(at string, run map[string]any, ruleIDs map[string]int) {
	results, ok := run["results"].([]any)
	if !ok {
		c.fail("%s: results is missing", at)
	}
	if len(results) > 5000 {
		c.fail("%s: %d results, GitHub keeps 5,000", at, len(results))
	}
	for i, rv := range results {
		res, _ := rv.(map[string]any)
		c.result(fmt.Sprintf("%s result[%d]", at, i), res, ruleIDs)
	}
}

// result checks one result: message, rule, level, locations, fingerprint.
func (c *checker) result(rat string, res map[string]any, ruleIDs map[string]int) {
	if str(obj(res, "message"), "text") == "" {
		c.fail("%s: message.text is empty", rat)
	}
	id := str(res, "ruleId")
	idx, known := ruleIDs[id]
	if !known {
		c.fail("%s: ruleId %q is not a rule of the run", rat, id)
	}
	if ri, ok := res["ruleIndex"].(float64); ok && known && int(ri) != idx {
		c.fail("%s: ruleIndex %v does not point at %s (index %d)", rat, ri, id, idx)
	}
	if l, ok := res["level"]; ok && !oneOf(fmt.Sprint(l), "none", "note", "warning", "error") {
		c.fail("%s: level %v", rat, l)
	}
	if _, ok := res["suppressions"]; ok {
		c.fail("%s: suppressions are not honoured by GitHub; leave suppressed results out", rat)
	}
	locs, _ := res["locations"].([]any)
	if len(locs) == 0 {
		c.fail("%s: no location (GitHub rejects the whole file)", rat)
	}
	for li, lv := range locs {
		loc, _ := lv.(map[string]any)
		c.location(fmt.Sprintf("%s location[%d]", rat, li), loc)
	}
	if str(obj(res, "partialFingerprints"), "primaryLocationLineHash") == "" {
		c.fail("%s: partialFingerprints.primaryLocationLineHash is missing", rat)
	}
}

// location checks that a result's location is a relative file and a full
// region.
func (c *checker) location(lat string, loc map[string]any) {
	pl := obj(loc, "physicalLocation")
	if pl == nil {
		c.fail("%s: no physicalLocation", lat)
		return
	}
	uri := str(obj(pl, "artifactLocation"), "uri")
	if !relativeURI(uri) {
		c.fail("%s: artifactLocation.uri %q is not a relative URI reference", lat, uri)
	}
	region := obj(pl, "region")
	for _, f := range []string{"startLine", "startColumn", "endLine", "endColumn"} {
		if v, ok := region[f].(float64); !ok || v < 1 {
			c.fail("%s: region.%s missing or below 1", lat, f)
		}
	}
}

func obj(m map[string]any, key string) map[string]any {
	if m == nil {
		return nil
	}
	v, _ := m[key].(map[string]any)
	return v
}

func str(m map[string]any, key string) string {
	if m == nil {
		return ""
	}
	v, _ := m[key].(string)
	return v
}

func anySlice(v any) []any {
	s, _ := v.([]any)
	return s
}

func oneOf(s string, set ...string) bool {
	for _, v := range set {
		if s == v {
			return true
		}
	}
	return false
}

func absoluteURI(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && u.Host != ""
}

// relativeURI accepts a non-empty relative path reference: no scheme, no
// leading slash, no spaces, nothing that needs escaping.
func relativeURI(s string) bool {
	if s == "" || strings.HasPrefix(s, "/") || strings.ContainsAny(s, " \t\n\\%?#:") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "" && u.Host == "" && u.Path == s
}
