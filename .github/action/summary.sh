#!/usr/bin/env bash
# The action's job summary (action.yml), from the snapshot the scan saved,
# evaluated with the same configuration, custom rules, suppressions and
# --severity as the SARIF: the users who can and cannot receive a recovery
# code per pool, what could not be read, and what changed since the
# previous run's snapshot (kept in the Actions cache).
set -euo pipefail

split() { tr ', ' '\n\n' <<<"$1" | sed '/^$/d'; }

common=()
[[ -n $CONFIG ]] && common+=(--config "$CONFIG")
while read -r d; do common+=(--policy "$d"); done < <(split "$POLICY")

report="$RUNNER_TEMP/recoverscan-report.json"
args=(scan --snapshot "$SNAPSHOT_FILE" --format json -o "$report" --quiet "${common[@]}")
[[ -n $SUPPRESSIONS ]] && args+=(--suppressions "$SUPPRESSIONS")
[[ -n $SEVERITY ]] && args+=(--severity "$SEVERITY")
recoverscan "${args[@]}" || true
[[ -s $report ]] || {
	echo "::warning::recoverscan: no report for the job summary"
	exit 0
}
echo "incomplete=$(jq -r '.summary.incomplete' "$report")" >>"$GITHUB_OUTPUT"

{
	echo "## recoverscan: password-recovery delivery"
	echo
	jq -r '"**\(.summary.users.total) users: \(.summary.users.can) can receive a recovery code, \(.summary.users.cannot) cannot, \(.summary.users.may_not) may not.** \(.summary.findings) findings (critical \(.summary.by_severity.critical), high \(.summary.by_severity.high), medium \(.summary.by_severity.medium), low \(.summary.by_severity.low))."' "$report"
	echo
	echo "| account | region | pool | users | can | cannot | may not |"
	echo "| --- | --- | --- | ---: | ---: | ---: | ---: |"
	jq -r '.scopes[] as $s | $s.pools[] | "| \($s.account) | \($s.region) | \(.name) (`\(.id)`) | \(.users.total) | \(.users.can) | \(.users.cannot) | \(.users.may_not) |"' "$report"
	echo
	jq -r 'if .summary.incomplete then "**Incomplete scan**: grant \(.summary.missing_permissions | map("`" + . + "`") | join(", ")) to settle the indeterminate verdicts." else empty end' "$report"
	echo
	if [[ -n ${PREVIOUS:-} && -s $PREVIOUS ]]; then
		diff="$RUNNER_TEMP/recoverscan-diff.json"
		if recoverscan diff "$PREVIOUS" "$SNAPSHOT_FILE" --format json --quiet "${common[@]}" >"$diff"; then
			# Per rule and pool with counts, as in SARIF: no usernames.
			jq -r '
				"### Since the previous run (snapshot of \(.old.snapshot_taken_at))",
				"",
				"\(.counts.appeared) new findings, \(.counts.resolved) resolved; \(.counts.users_changed) users whose recovery changed. Users who can receive a code: \(.totals[0].can) of \(.totals[0].total) then, \(.totals[1].can) of \(.totals[1].total) now.",
				"",
				if (.appeared | length) > 0 then
					"| severity | rule | pool | new findings |", "| --- | --- | --- | ---: |",
					(.appeared | group_by([.severity, .rule_id, .resource.pool_id])
						| sort_by(-(.[0].severity | {critical: 4, high: 3, medium: 2, low: 1}[.] // 0), .[0].rule_id)
						| .[] | "| \(.[0].severity) | \(.[0].rule_id): \(.[0].title) | \(.[0].resource.pool_name // "-") (`\(.[0].resource.pool_id // "-")`) | \(length) |"),
					""
				else empty end,
				if (.users_changed | length) > 0 then
					"| pool | before | now | users |", "| --- | --- | --- | ---: |",
					(.users_changed | group_by([.pool_id, .before, .after]) | .[]
						| "| \(.[0].pool_name) (`\(.[0].pool_id)`) | \(.[0].before // "-") | \(.[0].after // "-") | \(length) |")
				else empty end
			' "$diff"
		else
			echo "_recoverscan diff against the previous snapshot failed; see the log._"
		fi
	else
		echo "_No previous snapshot: the next run reports what changed since this one._"
	fi
} >>"$GITHUB_STEP_SUMMARY"
