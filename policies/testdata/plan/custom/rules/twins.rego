# METADATA
# title: Two entries that are equal when the username is the sub
# custom:
#   id: ACME-USER-007
#   severity: low
package custom.rules.user.twins

import data.recoverscan.lib.report

report contains report.fail("id", {"id": input.user.username}) if input.user.status == "ARCHIVED"

report contains report.fail("id", {"id": input.user.sub}) if input.user.status == "ARCHIVED"
