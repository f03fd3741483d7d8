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
