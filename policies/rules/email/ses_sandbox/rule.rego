# METADATA
# title: SES account in the sandbox (DEVELOPER email)
# description: |
#   The pool sends email with the account's own SES (DEVELOPER), and the
#   account is still in the SES sandbox of the SES region: it can send only to
#   verified identities, at most 200 messages a day and 1 a second. "You must
#   move your AWS account out of the sandbox before Amazon Cognito can email
#   your users." Evaluated when users are or may be routed to email and no
#   CustomEmailSender replaces SES.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-email.html
#     description: Email settings for user pools
#   - ref: https://docs.aws.amazon.com/ses/latest/dg/request-production-access.html
#     description: Request production access (moving out of the SES sandbox)
#   - ref: https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_GetAccount.html
#     description: GetAccount (ProductionAccessEnabled)
# custom:
#   id: RC-EMAIL-002
#   severity: critical
#   channel: email
#   remediation: |
#     Request SES production access in the pool's SES region:
#     aws sesv2 put-account-details --production-access-enabled --mail-type TRANSACTIONAL \
#       --website-url <url> --use-case-description <text> --region <ses-region>
package recoverscan.rules.email.ses_sandbox

import data.recoverscan.lib.channel
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

report contains report.fail(
	"The pool sends email with the account's own SES, which is in the SES sandbox of the SES region, so recovery emails reach only verified identities, not users.",
	{
		"ses_region": input.email.region,
		"production_access_enabled": false,
	},
) if {
	channel.ses_account_used
	sources.ok(input.email.account.read)
	input.email.account.production_access_enabled == false
}

report contains report.indeterminate(
	"The SES account status of the pool's SES region was not read, so it is unknown whether the account is in the SES sandbox.",
	input.email.account.read,
) if {
	channel.ses_account_used
	sources.unread(input.email.account.read)
}
