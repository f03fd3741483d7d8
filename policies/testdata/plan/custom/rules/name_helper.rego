# METADATA
# title: Reads the username in a helper and copies it too
# custom:
#   id: ACME-USER-010
#   severity: low
package custom.rules.user.name_helper

import data.recoverscan.lib.report

report contains report.fail("short name", {"who": input.user.username}) if {
	short
}

short if count(input.user.username) < 14
