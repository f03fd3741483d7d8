# METADATA
# title: Puts distinct facts in a set
# custom:
#   id: ACME-USER-003
#   severity: low
package custom.rules.user.set_evidence

import data.recoverscan.lib.report

report contains report.fail("ids", {"ids": {input.user.username, input.user.sub}}) if {
	input.user.status == "UNCONFIRMED"
}
