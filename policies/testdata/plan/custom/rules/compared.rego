# METADATA
# title: Compares facts other rules copy or compare with other constants
# custom:
#   id: ACME-USER-011
#   severity: low
package custom.rules.user.compared

import data.recoverscan.lib.report

report contains report.fail("complaint outside Germany", {"status": input.user.status}) if {
	input.user.email.suppression_reason == "COMPLAINT"
	input.user.phone.country != "DE"
}
