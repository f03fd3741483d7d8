package custom.rules.user.split

import data.recoverscan.lib.report

archived if input.user.status == "ARCHIVED"

report contains report.fail(concat("", ["ends in 3: ", input.user.username]), {}) if {
	endswith(input.user.username, "3")
}
