#!/usr/bin/env bash
# The action's job summary (action.yml): the Markdown report of the scan
# itself (same configuration, custom rules, suppressions and severities as
# the SARIF), then what changed since the previous run's snapshot (kept in
# the Actions cache), counted per rule and pool, without usernames.
set -euo pipefail

split() { tr ', ' '\n\n' <<<"$1" | sed '/^$/d'; }

markdown=$OUTPUT_DIR/recoverscan.md
report=$OUTPUT_DIR/recoverscan.json
if [[ ! -s $markdown || ! -s $report ]]; then
	echo "::warning::recoverscan wrote no report for the job summary"
	exit 0
fi
echo "incomplete=$(jq -r '.summary.incomplete' "$report")" >>"$GITHUB_OUTPUT"

common=()
[[ -n $CONFIG ]] && common+=(--config "$CONFIG")
while read -r d; do common+=(--policy "$d"); done < <(split "$POLICY")

# GitHub takes at most 1 MiB of summary per step.
limit=900000
{
	if (($(wc -c <"$markdown") > limit)); then
		head -c "$limit" "$markdown" | sed '$d'
		echo
		echo "_The report is longer than a job summary can hold: the whole of it is $markdown in the job's workspace._"
	else
		cat "$markdown"
	fi
	echo
	if [[ -n ${PREVIOUS:-} && -s $PREVIOUS ]]; then
		diff="$RUNNER_TEMP/recoverscan-diff.json"
		if recoverscan diff "$PREVIOUS" "$SNAPSHOT_FILE" --format json --quiet "${common[@]}" >"$diff"; then
			# --severity applies to the new findings as to the report.
			# Names come from the scanned account: escape Markdown and HTML in
			# them, as recoverscan's own Markdown does.
			jq -r --arg sev "${SEVERITY:-}" '
				def md: tostring | gsub("[\u0000-\u001f\u007f]"; " ") | gsub("&"; "&amp;") | gsub("<"; "&lt;") | gsub(">"; "&gt;")
					| gsub("(?<c>[\\\\`*_{}\\[\\]()#+!|~@])"; "\\\(.c)");
				($sev | ascii_downcase | split(",") | map(gsub("^\\s+|\\s+$"; "")) | map(select(. != ""))) as $keep
				| .appeared = ((.appeared // []) | map(select(($keep | length) == 0 or (.severity as $s | $keep | index($s)))))
				| .users_changed //= []
				| "### Since the previous run (snapshot of \(.old.snapshot_taken_at))",
				"",
				"\(.appeared | length) new findings, \(.counts.resolved) resolved; \(.counts.users_changed) users whose recovery changed. Users who can receive a code: \(.totals[0].can) of \(.totals[0].total) then, \(.totals[1].can) of \(.totals[1].total) now.",
				"",
				(if (.appeared | length) > 0 then
					"| severity | rule | pool | new findings |", "| --- | --- | --- | ---: |",
					(.appeared | group_by([.severity, .rule_id, .resource.pool_id])
						| sort_by(-(.[0].severity | {critical: 4, high: 3, medium: 2, low: 1}[.] // 0), .[0].rule_id)
						| .[] | "| \(.[0].severity) | \(.[0].rule_id): \(.[0].title | md) | \(.[0].resource.pool_name // "-" | md) (\(.[0].resource.pool_id // "-" | md)) | \(length) |"),
					""
				else empty end),
				(if (.users_changed | length) > 0 then
					"| pool | before | now | users |", "| --- | --- | --- | ---: |",
					(.users_changed | group_by([.pool_id, .before, .after]) | .[]
						| "| \(.[0].pool_name | md) (\(.[0].pool_id | md)) | \(.[0].before // "-") | \(.[0].after // "-") | \(length) |")
				else empty end)
			' "$diff"
		else
			echo "_recoverscan diff against the previous snapshot failed; see the log._"
		fi
	else
		echo "_No previous snapshot: the next run reports what changed since this one._"
	fi
} >>"$GITHUB_STEP_SUMMARY"
