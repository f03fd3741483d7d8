# METADATA
# title: Rule parameters
# description: |
#   A rule's tunable values. A rule declares its parameters with their
#   defaults in its METADATA (custom.params); a configuration file can change
#   them per rule id; the engine puts the effective values in
#   data.recoverscan.params[<rule id>]. A rule reads its own with
#   params.of(rego.metadata.chain()), which finds the rule's id and defaults
#   in its annotation chain, so the id is never repeated in the code.
package recoverscan.lib.params

# METADATA
# title: of
# description: |
#   The effective parameters of the rule whose annotation chain is given
#   (call it as params.of(rego.metadata.chain()) from the rule): the
#   defaults of its METADATA with the configured values, if any, applied.
of(chain) := object.union(defaults(chain), configured(chain))

# METADATA
# title: defaults
# description: The custom.params of the package METADATA in chain, or {}.
defaults(chain) := object.get(package_annotations(chain), ["custom", "params"], {})

# METADATA
# title: configured
# description: The values the engine (or a test's with) gives the rule, or {}.
configured(chain) := p if {
	p := data.recoverscan.params[rule_id(chain)]
} else := {}

# METADATA
# title: rule_id
# description: The custom.id of the package METADATA in chain.
rule_id(chain) := object.get(package_annotations(chain), ["custom", "id"], "")

package_annotations(chain) := a if {
	some entry in chain
	a := entry.annotations
	a.scope == "package"
} else := {}
