package recoverscan.lib.sources_test

import data.recoverscan.lib.sources

test_ok if {
	sources.ok({"status": "ok", "action": "sns:GetSMSAttributes"})
	not sources.unread({"status": "ok", "action": "sns:GetSMSAttributes"})
}

test_unread if {
	every status in ["denied", "unavailable", "throttled", "error", "skipped", "not_applicable"] {
		sources.unread({"status": status, "action": "sns:GetSMSAttributes"})
		not sources.ok({"status": status, "action": "sns:GetSMSAttributes"})
	}
}
