package recoverscan.lib.report_test

import data.recoverscan.lib.report

test_fail if {
	report.fail("m", {"a": true}) == {"verdict": "fail", "message": "m", "evidence": {"a": true}}
}

test_indeterminate if {
	src := {"status": "denied", "action": "sns:GetSMSAttributes", "error": "AccessDenied"}
	report.indeterminate("m", src) == {"verdict": "indeterminate", "message": "m", "evidence": {"source": src}}
}
