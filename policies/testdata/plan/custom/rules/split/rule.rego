# METADATA
# title: A rule package in two files, with report entries in both
# custom:
#   id: ACME-USER-012
#   severity: low
package custom.rules.user.split

import data.recoverscan.lib.report

# The username is only copied here; helpers.rego tests it.
report contains report.fail("archived", {"who": input.user.username}) if archived
