# METADATA
# title: Data-source helpers
# description: |
#   Every fact in the snapshot comes with the record of the call that read it
#   ({"status", "action", "error"}). A rule checks the status before it trusts
#   the fact, and reports indeterminate instead of guessing.
package recoverscan.lib.sources

# METADATA
# title: ok
# description: The source was read successfully, so its facts can be trusted.
ok(src) if src.status == "ok"

# METADATA
# title: unread
# description: |
#   The source was not read (denied, unavailable, throttled, error, skipped,
#   not applicable): its facts are unknown, neither fine nor broken.
unread(src) if src.status != "ok"
