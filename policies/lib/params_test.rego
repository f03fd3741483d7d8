package recoverscan.lib.params_test

import data.recoverscan.lib.params

chain := [
	{"path": ["data", "x", "rule"], "annotations": {"scope": "rule", "title": "a rule"}},
	{"path": ["data", "x"], "annotations": {"scope": "package", "custom": {"id": "ACME-POOL-001", "params": {"limit": 10, "mode": "strict"}}}},
]

test_defaults_come_from_metadata if {
	params.of(chain) == {"limit": 10, "mode": "strict"}
}

test_configured_values_replace_defaults if {
	params.of(chain) == {"limit": 99, "mode": "strict"} with data.recoverscan.params as {"ACME-POOL-001": {"limit": 99}}
}

test_other_rules_values_do_not_leak if {
	params.of(chain) == {"limit": 10, "mode": "strict"} with data.recoverscan.params as {"ACME-POOL-002": {"limit": 99}}
}

test_no_params if {
	params.of([{"path": ["data", "y"], "annotations": {"scope": "package", "custom": {"id": "ACME-POOL-003"}}}]) == {}
	params.of([]) == {}
}
