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
		fmt.Fprintf(&b, "\n## %s\n\n**%s** · severity **%s** · kind `%s` · package `%s`\n", r.ID, r.Title, r.Severity, r.Kind, r.Package)
		if r.BlocksRecovery {
			b.WriteString("\nA user this rule fails cannot receive a recovery code.\n")
		}
		if r.Description != "" {
			fmt.Fprintf(&b, "\n%s\n", r.Description)
		}
		if r.Remediation != "" {
			fmt.Fprintf(&b, "\n**Remediation**\n\n```\n%s\n```\n", r.Remediation)
		}
		if len(r.Params) > 0 {
			fmt.Fprintf(&b, "\n**Parameters** (`rules.%s.params` in the [config file](AUTHORING.md#configuration))\n\n| name | value |\n| --- | --- |\n", r.ID)
			names := make([]string, 0, len(r.Params))
			for k := range r.Params {
				names = append(names, k)
			}
			sort.Strings(names)
			for _, k := range names {
				fmt.Fprintf(&b, "| `%s` | `%s` |\n", k, mdCell(compactJSON(r.Params[k])))
			}
		}
		if len(r.Related) > 0 {
			b.WriteString("\n**References**\n\n")
			for _, l := range r.Related {
				text := l.Description
				if text == "" {
					text = l.URL
				}
				fmt.Fprintf(&b, "- [%s](%s)\n", mdCell(text), l.URL)
			}
		}
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
