# METADATA
# title: App client has a secret (ForgotPassword needs SECRET_HASH)
# description: |
#   "If your app client has a client secret and you don't provide a
#   SECRET_HASH parameter, this API returns NotAuthorizedException." Apps that
#   call ForgotPassword without computing the hash (typical for browser and
#   mobile apps, which cannot keep a secret) fail before any code is sent.
#   Not reported for admin_only pools, where ForgotPassword is never used.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ForgotPassword.html
#     description: ForgotPassword (SecretHash)
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html#cognito-user-pools-computing-secret-hash
#     description: Computing secret hash values
# custom:
#   id: RC-CLIENT-001
#   severity: medium
#   remediation: |
#     Make sure every caller sends SecretHash = Base64(HMAC_SHA256(client secret, username + client id)), e.g.
#     aws cognito-idp forgot-password --client-id <client-id> --username <username> --secret-hash <secret-hash>
#     Public (browser or mobile) apps should use an app client without a secret.
package recoverscan.rules.client.client_secret

import data.recoverscan.lib.recovery
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

report contains report.fail(
	"The app client has a client secret, so ForgotPassword calls through it fail with NotAuthorizedException unless they send a SECRET_HASH.",
	{"client_name": input.client.name, "has_secret": true},
) if {
	not recovery.admin_only
	sources.ok(input.client.read)
	input.client.has_secret == true
}

report contains report.indeterminate(
	"The app client's settings were not read, so it is unknown whether ForgotPassword calls through it need a SECRET_HASH.",
	input.client.read,
) if {
	not recovery.admin_only
	sources.unread(input.client.read)
}
