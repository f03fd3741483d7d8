# METADATA
# title: Tests a timestamp through a helper, copies the username
# custom:
#   id: ACME-USER-009
#   severity: low
package custom.rules.user.recent

import data.recoverscan.lib.report

report contains report.fail(concat(" ", ["recent:", input.user.username]), {"recent": created_this_year}) if {
	input.user.enabled
	input.user.phone.present
}

default created_this_year := false

created_this_year if startswith(input.user.created_at, "2026-")
