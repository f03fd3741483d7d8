# METADATA
# title: Copies the username into message and evidence
# custom:
#   id: ACME-USER-001
#   severity: low
package custom.rules.user.copied_name

import data.recoverscan.lib.report

report contains report.fail(concat("", ["disabled user ", input.user.username]), {"who": input.user.username, "sub": input.user.sub}) if {
	input.user.enabled == false
}
