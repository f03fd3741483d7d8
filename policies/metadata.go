package policies

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

var ruleIDPattern = regexp.MustCompile(`^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$`)

// ruleFromModule reads a rule's catalogue entry from its METADATA. Every
// problem is reported with the file and line, since rule authors fix them
// there.
func ruleFromModule(s *source, kind Kind) (Rule, error) {
	loc := fmt.Sprintf("%s:%d", s.name, s.module.Package.Location.Row)
	a := packageAnnotation(s.module)
	if a == nil {
		return Rule{}, fmt.Errorf("%s: rule package %s has no METADATA block (title, custom.id, custom.severity)", loc, s.pkgPath)
	}
	if a.Location != nil {
		loc = fmt.Sprintf("%s:%d", s.name, a.Location.Row)
	}
	r := Rule{
		Title:       strings.TrimSpace(a.Title),
		Description: strings.TrimSpace(a.Description),
		Kind:        kind,
		Package:     s.pkgPath,
		Custom:      s.custom,
		File:        s.name,
	}
	if r.Title == "" {
		return Rule{}, fmt.Errorf("%s: METADATA of %s: missing title", loc, s.pkgPath)
	}
	id, _ := a.Custom["id"].(string)
	if !ruleIDPattern.MatchString(id) {
		return Rule{}, fmt.Errorf("%s: METADATA of %s: custom.id %q must look like RC-USER-001 (upper case, dash separated)", loc, s.pkgPath, id)
	}
	r.ID = id
	sev, _ := a.Custom["severity"].(string)
	severity, err := ParseSeverity(sev)
	if err != nil {
		return Rule{}, fmt.Errorf("%s: METADATA of %s: custom.severity: %w", loc, s.pkgPath, err)
	}
	r.Severity = severity
	if v, ok := a.Custom["remediation"]; ok {
		rem, ok := v.(string)
		if !ok {
			return Rule{}, fmt.Errorf("%s: METADATA of %s: custom.remediation must be a string", loc, s.pkgPath)
		}
		r.Remediation = strings.TrimSpace(rem)
	}
	if v, ok := a.Custom["blocks_recovery"]; ok {
		b, ok := v.(bool)
		if !ok {
			return Rule{}, fmt.Errorf("%s: METADATA of %s: custom.blocks_recovery must be true or false", loc, s.pkgPath)
		}
		r.BlocksRecovery = b
	}
	for _, rr := range a.RelatedResources {
		r.Related = append(r.Related, Link{URL: rr.Ref.String(), Description: rr.Description})
	}
	if !definesReport(s.module) {
		return Rule{}, fmt.Errorf("%s: rule package %s defines no `report contains ...` rule", loc, s.pkgPath)
	}
	return r, nil
}

// definesReport reports whether the module defines report as a set.
func definesReport(m *ast.Module) bool {
	for _, rule := range m.Rules {
		if rule.Head.Name.String() == "report" || rule.Head.Ref().String() == "report" {
			if rule.Head.RuleKind() == ast.MultiValue {
				return true
			}
		}
	}
	return false
}
