package policies

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"text/template"
)

//go:embed scaffold/*.tmpl scaffold/regal-config.yaml
var scaffolds embed.FS

// NewRule describes a rule to start with WriteNewRule.
type NewRule struct {
	Kind Kind
	// Name is the rule's name, e.g. "my-rule"; its snake_case form names
	// the directory and the package.
	Name string
	// ID is the rule id; empty means CUSTOM-<KIND>-<NAME>.
	ID string
}

var namePattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// RuleName turns a rule name into the snake_case form used for its
// directory and package ("My-Rule" is "my_rule").
func RuleName(name string) (string, error) {
	snake := strings.ToLower(strings.TrimSpace(name))
	snake = regexp.MustCompile(`[^a-z0-9]+`).ReplaceAllString(snake, "_")
	snake = strings.Trim(snake, "_")
	if !namePattern.MatchString(snake) {
		return "", fmt.Errorf("rule name %q: want letters, digits and dashes, starting with a letter", name)
	}
	return snake, nil
}

// Files returns the rule and its test, relative to a rules directory:
// <kind>/<name>/rule.rego and rule_test.rego.
func (n NewRule) Files() (map[string]string, error) {
	if _, ok := kinds[string(n.Kind)]; !ok {
		return nil, fmt.Errorf("rule kind %q: want user, pool, client, sms or email", n.Kind)
	}
	name, err := RuleName(n.Name)
	if err != nil {
		return nil, err
	}
	id := n.ID
	if id == "" {
		id = "CUSTOM-" + strings.ToUpper(string(n.Kind)) + "-" + strings.ToUpper(strings.ReplaceAll(name, "_", "-"))
	}
	if !ruleIDPattern.MatchString(id) {
		return nil, fmt.Errorf("rule id %q: want upper case letters and digits, dash separated, like ACME-USER-001", id)
	}
	if strings.HasPrefix(id, builtinIDPrefix) {
		return nil, fmt.Errorf("rule id %s: the prefix %s is reserved for built-in rules; use a prefix of your own, like ACME-%s", id, builtinIDPrefix, strings.TrimPrefix(id, builtinIDPrefix))
	}
	data := struct{ Package, ID string }{Package: "custom.rules." + string(n.Kind) + "." + name, ID: id}
	dir := filepath.Join(string(n.Kind), name)
	out := map[string]string{}
	for file, tmpl := range map[string]string{"rule.rego": string(n.Kind) + ".rego.tmpl", "rule_test.rego": string(n.Kind) + "_test.rego.tmpl"} {
		text, err := scaffolds.ReadFile("scaffold/" + tmpl)
		if err != nil {
			return nil, err
		}
		t, err := template.New(tmpl).Option("missingkey=error").Parse(string(text))
		if err != nil {
			return nil, err
		}
		var b bytes.Buffer
		if err := t.Execute(&b, data); err != nil {
			return nil, err
		}
		out[filepath.Join(dir, file)] = b.String()
	}
	return out, nil
}

// Write writes the rule's files under dir and returns their paths. It
// refuses to overwrite anything.
func (n NewRule) Write(dir string) ([]string, error) {
	files, err := n.Files()
	if err != nil {
		return nil, err
	}
	var paths []string
	for rel := range files {
		p := filepath.Join(dir, rel)
		if _, err := os.Stat(p); err == nil {
			return nil, fmt.Errorf("%s already exists: not overwriting it", p)
		} else if !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		rel, _ := filepath.Rel(dir, p)
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return nil, err
		}
		_, werr := f.WriteString(files[rel])
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return nil, werr
		}
	}
	return paths, nil
}
