# METADATA
# title: Passes the whole user to a function
# custom:
#   id: ACME-USER-006
#   severity: low
package custom.rules.user.whole_user

import data.recoverscan.lib.report

report contains report.fail("archived", {"n": count(object.keys(input.user))}) if {
	input.user.status == "ARCHIVED"
}
