// Package inputschema generates the rule input schemas, one per rule kind
// (policies/schemas/input/{user,pool,client}.json), from the snapshot
// schema and the counts the rules declare. Every $ref is inlined, so OPA's
// type checker reads each file on its own, and every description of the
// snapshot comes from the snapshot schema, so rule authors see the same
// wording everywhere. The input is the rules' contract, so it is made here,
// beside them; policies' TestInputSchemasUpToDate writes the files:
//
//	go generate ./policies
package inputschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// header is the $comment of every generated file.
const header = "Generated from collector/snapshot/snapshot.schema.json and the rules' declared counts by policies/internal/inputschema; DO NOT EDIT. Regenerate with: go generate ./policies"

// node is a JSON Schema object.
type node = map[string]any

// ref is a schema that stands for the snapshot schema's node at pointer,
// with its own description when desc is not "".
func ref(pointer, desc string) node {
	n := node{"$ref": pointer}
	if desc != "" {
		n["description"] = desc
	}
	return n
}

// object is a closed object schema whose properties are all required.
func object(desc string, props node) node {
	required := make([]string, 0, len(props))
	for k := range props {
		required = append(required, k)
	}
	slices.Sort(required)
	return node{
		"type":                 "object",
		"description":          desc,
		"additionalProperties": false,
		"required":             required,
		"properties":           props,
	}
}

// optional makes the named properties of an object schema optional.
func optional(n node, names ...string) node {
	n["required"] = slices.DeleteFunc(n["required"].([]string), func(k string) bool { return slices.Contains(names, k) })
	return n
}

// keyedCounts is an object of counts keyed by values that are not known in
// advance.
func keyedCounts(desc string) node {
	return node{
		"type":                 "object",
		"description":          desc,
		"additionalProperties": node{"type": "integer", "minimum": 0},
	}
}

func integer(desc string) node {
	return node{"type": "integer", "minimum": 0, "description": desc}
}

// Count is a count over a pool's users that a pool rule declares
// (aggregate.<name>, see policies/aggregate.go): input.users.<name>.
type Count struct {
	// Name is the key under input.users.
	Name string
	// Description says which users it counts: the title of the
	// aggregate.<name> rule.
	Description string
}

// inputs describes each rule kind's input in terms of the snapshot schema,
// with counts, the rules' declared counts, under the pool's users. Keep it
// in step with what the policies engine builds (policies/README.md,
// "Inputs").
func inputs(counts []Count) map[string]node {
	common := func() node {
		return node{
			"snapshot": object("The snapshot being evaluated.", node{
				"taken_at": ref("#/properties/taken_at", ""),
			}),
			"account": object("The account and region the pool belongs to.", node{
				"id":     ref("#/definitions/Account/properties/id", ""),
				"region": node{"type": "string", "minLength": 1, "description": "The region the pool was listed in, e.g. \"eu-west-1\"."},
			}),
			"pool": ref("#/definitions/PoolSettings", "The pool's settings and app clients, without its users."),
		}
	}
	channels := func(n node) node {
		n["sms"] = ref("#/definitions/SMSState", "The SNS state of the pool's SMS region (pool.sms.region). When it was not collected for the pool, region is that region and every read has status error.")
		n["email"] = ref("#/definitions/EmailState", "The SES state of the pool's SES region (pool.email.ses_region), with only the pool's own identity in identities. When the pool sends no email through its own SES identity, region is \"\" and every read is not_applicable.")
		return n
	}

	user := channels(common())
	user["user"] = ref("#/definitions/User", "The user being evaluated.")
	user["sms_alternate"] = ref("#/definitions/SMSState", "The SNS state of the pool's legacy alternate SNS region (pool.sms.alternate_region), which Cognito may also send through. When the pool has none, region is \"\" and every read is not_applicable.")
	entry := func(what string) node {
		return node{"type": "array", "description": what, "items": optional(object("A channel rule's finding.", node{
			"rule":      node{"type": "string", "description": "The rule's id."},
			"title":     node{"type": "string", "description": "The rule's title."},
			"message":   node{"type": "string", "description": "The finding's message."},
			"kind":      node{"type": "string", "enum": []string{"pool", "sms", "email"}, "description": "The rule's kind: a pool rule judges the sender, an SMS or email rule the SNS or SES account."},
			"region":    node{"type": "string", "description": "For SMS, the SNS region the finding was made for."},
			"source":    ref("#/definitions/Source", "For an unread hop, the source that was not read."),
			"exception": node{"type": "string", "description": "For a finding that blocks the channel, the exception ForgotPassword answers with, where the rule's evidence names one."},
		}), "region", "source", "exception")}
	}
	hops := func(channel string) node {
		return object("What the pool's channel rules found for "+channel+".", node{
			"blocks":    entry("Failing findings of rules whose effect is blocks: no code arrives."),
			"endangers": entry("Failing findings of rules whose effect is endangers: a code may not arrive."),
			"unread":    entry("Indeterminate findings: a hop whose state could not be read."),
		})
	}
	user["delivery"] = object("The shared hops of each channel's delivery path, judged by the channel rules (pool, SMS and email rules with custom.channel) before the pool's users.", node{
		"sms":   hops("SMS"),
		"email": hops("email"),
	})

	pool := channels(common())
	users := node{
		"listed":    integer("Number of users listed (the snapshot's users_listed)."),
		"read":      ref("#/definitions/Pool/properties/users_read", ""),
		"by_status": keyedCounts("Users per status (user.status → count); only statuses that occur are present."),
		"by_channel": object("Users per channel Cognito would send a recovery code through, as data.recoverscan.lib.recovery decides it.", node{
			"email":   integer("Users whose code would go by email."),
			"sms":     integer("Users whose code would go by SMS."),
			"none":    integer("Users who would get no code."),
			"unknown": integer("Users whose channel depends on a source that was not read."),
		}),
		"sms_by_country": keyedCounts("Users whose code would go by SMS, per phone country (user.phone.country → count; \"\" when unknown)."),
	}
	for _, c := range counts {
		// A count named as one of the engine's is refused by the engine
		// with a clearer error than a schema made wrong would give.
		if _, ok := users[c.Name]; !ok {
			users[c.Name] = integer(c.Description)
		}
	}
	pool["users"] = object("Counts over the pool's users, computed while they were evaluated (a whole-pool array of users is never built).", users)

	client := common()
	client["client"] = ref("#/definitions/Client", "The app client being evaluated.")

	return map[string]node{
		"user":   object("Input of per-user rules (package recoverscan.rules.user.*): one user with its pool and the account's channel state.", user),
		"pool":   object("Input of per-pool and per-channel rules (packages recoverscan.rules.pool.*, .sms.*, .email.*): the pool without its users, the account's channel state and counts over the users.", pool),
		"client": object("Input of per-app-client rules (package recoverscan.rules.client.*): one app client with its pool.", client),
	}
}

// Generate returns the input schema files, keyed by file name ("user.json"
// and so on), for the snapshot schema src and the rules' declared counts.
// A count may not take the name of one the engine makes.
func Generate(src []byte, counts []Count) (map[string][]byte, error) {
	var root node
	if err := json.Unmarshal(src, &root); err != nil {
		return nil, fmt.Errorf("snapshot schema: %w", err)
	}
	files := map[string][]byte{}
	for kind, in := range inputs(counts) {
		s, err := inline(root, in, nil)
		if err != nil {
			return nil, fmt.Errorf("input schema %s: %w", kind, err)
		}
		doc := s.(node)
		doc["$schema"] = root["$schema"]
		doc["$comment"] = header
		doc["title"] = "recoverscan " + kind + " rule input"
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doc); err != nil {
			return nil, err
		}
		files[kind+".json"] = buf.Bytes()
	}
	return files, nil
}

// ruleInputKeyword, set to false on a property of the snapshot schema,
// leaves the property out of the rule input schemas: the snapshot keeps it
// for the tool, and the engine does not give it to rules.
const ruleInputKeyword = "x-rule-input"

// ruleInputProperties drops the properties marked not for rules.
func ruleInputProperties(x any) any {
	props, ok := x.(node)
	if !ok {
		return x
	}
	out := make(node, len(props))
	for name, p := range props {
		if n, ok := p.(node); ok && n[ruleInputKeyword] == false {
			continue
		}
		out[name] = p
	}
	return out
}

// inline returns a copy of v with every $ref replaced by a copy of the
// node it points to in root. A description next to a $ref replaces the
// target's, being the more specific. seen holds the pointers being inlined,
// to reject recursive schemas, which cannot be inlined.
func inline(root node, v any, seen []string) (any, error) {
	switch v := v.(type) {
	case node:
		if p, ok := v["$ref"].(string); ok {
			for _, s := range seen {
				if s == p {
					return nil, fmt.Errorf("recursive $ref %s", p)
				}
			}
			target, err := resolve(root, p)
			if err != nil {
				return nil, err
			}
			out, err := inline(root, target, append(seen, p))
			if err != nil {
				return nil, err
			}
			n, ok := out.(node)
			if !ok {
				return nil, fmt.Errorf("$ref %s: not a schema object", p)
			}
			for k, x := range v {
				if k != "$ref" {
					n[k] = x
				}
			}
			return n, nil
		}
		out := make(node, len(v))
		for k, x := range v {
			if k == "definitions" || k == "$comment" || k == ruleInputKeyword {
				continue
			}
			if k == "properties" {
				x = ruleInputProperties(x)
			}
			c, err := inline(root, x, seen)
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		return out, nil
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			c, err := inline(root, x, seen)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case []string:
		out := make([]any, len(v))
		for i, s := range v {
			out[i] = s
		}
		return out, nil
	default:
		return v, nil
	}
}

// resolve follows a local JSON pointer ("#/definitions/User") in root.
func resolve(root node, pointer string) (any, error) {
	path, ok := strings.CutPrefix(pointer, "#/")
	if !ok {
		return nil, fmt.Errorf("$ref %s: only local references are supported", pointer)
	}
	var cur any = root
	for _, tok := range strings.Split(path, "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, ok := cur.(node)
		if !ok {
			return nil, fmt.Errorf("$ref %s: %q is not in an object", pointer, tok)
		}
		if cur, ok = m[tok]; !ok {
			return nil, fmt.Errorf("$ref %s: no %q", pointer, tok)
		}
	}
	return cur, nil
}
