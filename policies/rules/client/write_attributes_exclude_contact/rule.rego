# METADATA
# title: App client cannot let users fix their recovery contact
# description: |
#   The app client's WriteAttributes is customised and leaves out an
#   attribute the pool's recovery relies on (email, phone_number). Without a
#   custom list "your app can write the values of the Standard attributes";
#   with this one, users signed in through the client cannot correct or
#   re-verify the address or number their recovery code goes to
#   (UpdateUserAttributes), so fixing it needs an administrator (inferred).
#   An empty list means the API returned none (not customised). Not reported
#   for admin_only pools.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolClientType.html
#     description: UserPoolClientType (WriteAttributes)
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserAttributes.html
#     description: UpdateUserAttributes
# custom:
#   id: RC-CLIENT-003
#   severity: low
#   remediation: |
#     Add the recovery attributes to the client's write attributes:
#     aws cognito-idp update-user-pool-client --user-pool-id <pool-id> --client-id <client-id> \
#       --write-attributes <current-write-attributes> email phone_number
#     WARNING: update-user-pool-client resets every setting you omit to its default. Read the client with
#     aws cognito-idp describe-user-pool-client --user-pool-id <pool-id> --client-id <client-id>
#     and pass its full current configuration along with the change.
package recoverscan.rules.client.write_attributes_exclude_contact

import data.recoverscan.lib.recovery
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

attribute := {"email": "email", "sms": "phone_number"}

writable := {a | some a in input.client.write_attributes}

missing := [attribute[name] | some name in recovery.order; not attribute[name] in writable]

report contains report.fail(
	sprintf(
		"The app client's write attributes leave out %s, so users of this client cannot correct the contact their recovery code goes to.",
		[concat(" and ", missing)],
	),
	{
		"client_name": input.client.name,
		"write_attributes": input.client.write_attributes,
		"not_writable": missing,
	},
) if {
	sources.ok(input.client.read)
	count(input.client.write_attributes) > 0
	count(missing) > 0
}

report contains report.indeterminate(
	"The app client's settings were not read, so it is unknown whether its users can correct their recovery contact.",
	input.client.read,
) if {
	not recovery.admin_only
	sources.unread(input.client.read)
}
