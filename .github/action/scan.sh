#!/usr/bin/env bash
# The action's scan (action.yml): one collection of the account, rendered
# as SARIF, Markdown (the job summary) and JSON into OUTPUT_DIR, and kept
# as a snapshot for the next run's diff. The exit code is an output; the
# action's last step decides the job's fate, after the SARIF upload.
set -uo pipefail

split() { tr ', ' '\n\n' <<<"$1" | sed '/^$/d'; }

args=(scan --fail-on "$FAIL_ON" --format sarif,markdown,json --output-dir "$OUTPUT_DIR" --save-snapshot "$SNAPSHOT_FILE")
[[ -n $CONFIG ]] && args+=(--config "$CONFIG")
[[ -n $ACCOUNT ]] && args+=(--account "$ACCOUNT")
[[ -n $SUPPRESSIONS ]] && args+=(--suppressions "$SUPPRESSIONS")
[[ -n $SEVERITY ]] && args+=(--severity "$SEVERITY")
[[ $WITH_MFA == true ]] && args+=(--with-mfa)
while read -r r; do args+=(--region "$r"); done < <(split "$REGIONS")
while read -r p; do args+=(--pool "$p"); done < <(split "$POOLS")
while read -r d; do args+=(--policy "$d"); done < <(split "$POLICY")

echo "version=$(recoverscan version --format json | jq -r .version)" >>"$GITHUB_OUTPUT"
rm -rf "$OUTPUT_DIR" "$SNAPSHOT_FILE"
echo "recoverscan ${args[*]}"
recoverscan "${args[@]}"
code=$?
echo "exit-code=$code" >>"$GITHUB_OUTPUT"
# A report of more than 20 account/region scopes is several SARIF files
# (recoverscan.sarif, recoverscan-2.sarif, ...): the upload takes the
# directory.
[[ -s $OUTPUT_DIR/recoverscan.sarif ]] && echo "sarif-written=true" >>"$GITHUB_OUTPUT"
[[ -s $SNAPSHOT_FILE ]] && echo "snapshot-written=true" >>"$GITHUB_OUTPUT"
exit 0
