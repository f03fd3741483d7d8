# METADATA
# title: Tests the username
# custom:
#   id: ACME-USER-002
#   severity: low
package custom.rules.user.tested_name

import data.recoverscan.lib.report

report contains report.fail("name ends in 7", {"status": input.user.status}) if {
	endswith(input.user.username, "7")
}
