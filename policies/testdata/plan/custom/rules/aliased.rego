# METADATA
# title: Reads the masked phone through an import alias
# custom:
#   id: ACME-USER-004
#   severity: low
package custom.rules.user.aliased

import data.recoverscan.lib.report
import input.user as u

report contains report.fail("phone", {"phone": u.phone.masked}) if {
	u.phone.present
	not u.phone.verified
}
