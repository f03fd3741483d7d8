# METADATA
# title: Copies through a custom function, and tests through another
# custom:
#   id: ACME-USER-005
#   severity: low
package custom.rules.user.wrapped

import data.custom.lib.wrap

report contains wrap.fail_with("wrapped", {"id": input.user.sub}) if input.user.status == "RESET_REQUIRED"

report contains wrap.sized("sized", {"id": input.user.username}) if input.user.status == "COMPROMISED"
