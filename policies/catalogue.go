package policies

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// WriteMarkdown writes the rule catalogue as a Markdown page: an index
// table, then a section per rule generated from its METADATA.
func WriteMarkdown(w io.Writer, rules []Rule) error {
	var b strings.Builder
	b.WriteString("# recoverscan rules\n\n")
	b.WriteString("Generated from the rules' METADATA by `recoverscan rules --format markdown`; do not edit.\n\n")
	b.WriteString("| id | severity | kind | blocks recovery | title |\n| --- | --- | --- | --- | --- |\n")
	for _, r := range rules {
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s | %s | %s |\n", r.ID, anchor(r.ID), r.Severity, r.Kind, yesNo(r.BlocksRecovery), mdCell(r.Title))
	}
	for _, r := range rules {
		writeRuleSection(&b, r, nil)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func anchor(id string) string { return strings.ToLower(id) }

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func mdCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// WriteRuleDoc writes one rule's full documentation in Markdown: its
// title, kind, description, what it reads, remediation, parameters and
// references.
func WriteRuleDoc(w io.Writer, r Rule, reads []string) error {
	var b strings.Builder
	writeRuleSection(&b, r, reads)
	_, err := io.WriteString(w, strings.TrimPrefix(b.String(), "\n"))
	return err
}

// writeRuleSection writes a rule's section of the catalogue; reads, when
// given, lists what the rule reads.
func writeRuleSection(b *strings.Builder, r Rule, reads []string) {
	fmt.Fprintf(b, "\n## %s\n\n**%s** · severity **%s** · kind `%s` · package `%s`\n", r.ID, r.Title, r.Severity, r.Kind, r.Package)
	if r.BlocksRecovery {
		b.WriteString("\nA user this rule fails cannot receive a recovery code.\n")
	}
	if r.Custom {
		fmt.Fprintf(b, "\nCustom rule, loaded from `%s`.\n", r.File)
	}
	if r.Description != "" {
		fmt.Fprintf(b, "\n%s\n", r.Description)
	}
	if reads != nil && len(r.Channels) > 0 {
		effect := r.Effect
		if effect == "" {
			effect = "reports a risk, no verdict"
		}
		fmt.Fprintf(b, "\n**Channel** %s · **effect** %s\n", strings.Join(r.Channels, ", "), effect)
	}
	if len(reads) > 0 {
		b.WriteString("\n**Reads**\n\n")
		for _, ref := range reads {
			fmt.Fprintf(b, "- `%s`\n", ref)
		}
	}
	if r.Remediation != "" {
		fmt.Fprintf(b, "\n**Remediation**\n\n```\n%s\n```\n", r.Remediation)
	}
	if len(r.Params) > 0 {
		fmt.Fprintf(b, "\n**Parameters** (`rules.%s.params` in the [config file](AUTHORING.md#configuration))\n\n| name | value |\n| --- | --- |\n", r.ID)
		names := make([]string, 0, len(r.Params))
		for k := range r.Params {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			fmt.Fprintf(b, "| `%s` | `%s` |\n", k, mdCell(compactJSON(r.Params[k])))
		}
	}
	if len(r.Related) > 0 {
		b.WriteString("\n**References**\n\n")
		for _, l := range r.Related {
			text := l.Description
			if text == "" {
				text = l.URL
			}
			fmt.Fprintf(b, "- [%s](%s)\n", mdCell(text), l.URL)
		}
	}
}
