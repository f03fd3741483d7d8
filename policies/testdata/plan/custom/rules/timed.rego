# METADATA
# title: Tests a timestamp
# custom:
#   id: ACME-USER-008
#   severity: low
package custom.rules.user.timed

import data.recoverscan.lib.report

report contains report.fail("created in 2025", {"created_at": input.user.created_at}) if {
	startswith(input.user.created_at, "2025-")
}
