# METADATA
# title: Report entries
# description: |
#   Constructors for the entries of a rule's `report` set. Title and severity
#   never appear here: the engine takes them from the rule's METADATA.
package recoverscan.lib.report

# METADATA
# title: fail
# description: The rule's condition holds. evidence is an object of the snapshot facts that triggered it.
fail(message, evidence) := {"verdict": "fail", "message": message, "evidence": evidence}

# METADATA
# title: indeterminate
# description: |
#   The rule needs a fact from a source that was not read. source is the
#   snapshot's source record ({"status", "action", "error"}), so the finding
#   names the permission that would settle it.
indeterminate(message, source) := {"verdict": "indeterminate", "message": message, "evidence": {"source": source}}

# METADATA
# title: blocks
# description: |
#   As fail, for a rule whose findings differ in effect: this one stops
#   the code on the rule's channel (the rule's METADATA effect is the default).
blocks(message, evidence) := object.union(fail(message, evidence), {"effect": "blocks"})

# METADATA
# title: endangers
# description: As fail, with effect endangers (a code on the rule's channel may not arrive).
endangers(message, evidence) := object.union(fail(message, evidence), {"effect": "endangers"})

# METADATA
# title: risk
# description: As fail, with no effect on any user's verdict (a risk or hygiene finding).
risk(message, evidence) := object.union(fail(message, evidence), {"effect": "none"})
