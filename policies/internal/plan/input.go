package plan

import (
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// UserTerm is input.user for u, as the snapshot's JSON form has it without
// the properties that are not rule input.
func UserTerm(u *snapshot.User) *ast.Term { return userTerm(u, nil) }

// str is a string fact's term: its placeholder when p has one for f.
func (p *placeholders) str(f fact, v string) *ast.Term {
	if p != nil && p.set.has(f) {
		return ast.StringTerm(p.values[f])
	}
	return ast.StringTerm(v)
}

// timeString formats t as encoding/json does.
func timeString(t time.Time) string {
	return t.Format(time.RFC3339Nano)
}

func item(k string, v *ast.Term) [2]*ast.Term { return ast.Item(ast.StringTerm(k), v) }

// optional is item(k, v) when present, else a pair objectTerm leaves out.
func optional(k string, present bool, v *ast.Term) [2]*ast.Term {
	if !present {
		return [2]*ast.Term{}
	}
	return item(k, v)
}

// objectTerm is an object of the items that are set.
func objectTerm(items ...[2]*ast.Term) *ast.Term {
	kept := items[:0]
	for _, it := range items {
		if it[0] != nil {
			kept = append(kept, it)
		}
	}
	return ast.ObjectTerm(kept...)
}

func listTerm(l []string) *ast.Term {
	ts := make([]*ast.Term, len(l))
	for i, s := range l {
		ts[i] = ast.StringTerm(s)
	}
	return ast.ArrayTerm(ts...)
}

// subsetTerm is u's input.user with only the facts in s, each at its
// path, as userTerm would hold them.
func subsetTerm(u *snapshot.User, s factSet) *ast.Term {
	root := ast.NewObject()
	s.each(func(f fact) {
		if factOptional[f] && str(u, f) == "" {
			return
		}
		obj, path := root, factPaths[f]
		for _, k := range path[:len(path)-1] {
			key := ast.StringTerm(k)
			child := obj.Get(key)
			if child == nil {
				child = ast.NewTerm(ast.NewObject())
				obj.Insert(key, child)
			}
			obj = child.Value.(ast.Object)
		}
		obj.Insert(ast.StringTerm(path[len(path)-1]), factTerm(u, f))
	})
	return ast.NewTerm(root)
}

// factTerm is the term of u's fact f.
func factTerm(u *snapshot.User, f fact) *ast.Term {
	switch factKinds[f] {
	case kindBool:
		return ast.BooleanTerm(boolean(u, f))
	case kindList:
		return listTerm(list(u, f))
	}
	return ast.StringTerm(str(u, f))
}
