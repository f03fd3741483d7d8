package collector

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// IAM actions of the SNS sources.
const (
	actGetSMSAttributes           = "sns:GetSMSAttributes"
	actGetSMSSandboxAccountStatus = "sns:GetSMSSandboxAccountStatus"
	actListSMSSandboxPhoneNumbers = "sns:ListSMSSandboxPhoneNumbers"
	actListOriginationNumbers     = "sns:ListOriginationNumbers"
	actListPhoneNumbersOptedOut   = "sns:ListPhoneNumbersOptedOut"
)

// smsData is the SNS state of one region plus the number sets for the
// per-user joins. The sets hold raw numbers and never leave memory.
type smsData struct {
	state           snapshot.SMSState
	optedOut        map[string]struct{}
	sandboxVerified map[string]struct{}
}

// smsState returns the SNS state of region, reading it once per account.
func (a *account) smsState(ctx context.Context, region string) *smsData {
	return readOnce(&a.mu, a.sms, region, func() *smsData {
		return a.readSMS(ctx, a.clientsFor(region), region)
	})
}

// readSMS reads the SMS state of region: SNS's settings and lists, the
// month's spend (CloudWatch) and End User Messaging's view of the account.
func (a *account) readSMS(ctx context.Context, cl *clients, region string) *smsData {
	d := &smsData{state: snapshot.SMSState{Region: region}}
	st := &d.state
	c := cl.sns

	attrs, err := c.GetSMSAttributes(ctx, &sns.GetSMSAttributesInput{
		Attributes: []string{"MonthlySpendLimit", "DefaultSMSType", "DeliveryStatusIAMRole"},
	})
	st.Attributes.Read = sourceOf(actGetSMSAttributes, err)
	if err == nil {
		st.Attributes.MonthlySpendLimit = attrs.Attributes["MonthlySpendLimit"]
		st.Attributes.DefaultSMSType = attrs.Attributes["DefaultSMSType"]
		st.Attributes.DeliveryStatusIAMRoleSet = attrs.Attributes["DeliveryStatusIAMRole"] != ""
	}

	sb, err := c.GetSMSSandboxAccountStatus(ctx, &sns.GetSMSSandboxAccountStatusInput{})
	st.Sandbox.Read = sourceOf(actGetSMSSandboxAccountStatus, err)
	if err == nil {
		st.Sandbox.InSandbox = sb.IsInSandbox
	}

	verified := map[string]struct{}{}
	st.Sandbox.DestinationsRead = ok(actListSMSSandboxPhoneNumbers)
	sp := sns.NewListSMSSandboxPhoneNumbersPaginator(c, &sns.ListSMSSandboxPhoneNumbersInput{MaxResults: aws.Int32(100)})
	for sp.HasMorePages() {
		out, err := sp.NextPage(ctx)
		if err != nil {
			st.Sandbox.DestinationsRead = failed(actListSMSSandboxPhoneNumbers, err)
			break
		}
		for _, n := range out.PhoneNumbers {
			if n.Status == snstypes.SMSSandboxPhoneNumberVerificationStatusVerified {
				verified[phoneKey(aws.ToString(n.PhoneNumber))] = struct{}{}
			}
		}
	}
	if st.Sandbox.DestinationsRead.OK() {
		d.sandboxVerified = verified
		st.Sandbox.VerifiedDestinationCount = len(verified)
	}

	st.OriginationNumbers.Read = ok(actListOriginationNumbers)
	op := sns.NewListOriginationNumbersPaginator(c, &sns.ListOriginationNumbersInput{MaxResults: aws.Int32(30)})
	for op.HasMorePages() {
		out, err := op.NextPage(ctx)
		if err != nil {
			st.OriginationNumbers.Read = failed(actListOriginationNumbers, err)
			st.OriginationNumbers.Numbers = nil
			break
		}
		for _, n := range out.PhoneNumbers {
			st.OriginationNumbers.Numbers = append(st.OriginationNumbers.Numbers, originationNumber(n))
		}
	}

	optedOut := map[string]struct{}{}
	st.OptOuts.Read = ok(actListPhoneNumbersOptedOut)
	oo := sns.NewListPhoneNumbersOptedOutPaginator(c, &sns.ListPhoneNumbersOptedOutInput{})
	for oo.HasMorePages() {
		out, err := oo.NextPage(ctx)
		if err != nil {
			st.OptOuts.Read = failed(actListPhoneNumbersOptedOut, err)
			break
		}
		for _, n := range out.PhoneNumbers {
			optedOut[phoneKey(n)] = struct{}{}
		}
	}
	if st.OptOuts.Read.OK() {
		d.optedOut = optedOut
		st.OptOuts.Count = len(optedOut)
	}

	st.Spend = readSpend(ctx, cl.cloudwatch, a.now())
	st.EUMS = readEUMS(ctx, cl.smsVoice)

	for _, s := range []snapshot.Source{st.Attributes.Read, st.Sandbox.Read, st.Sandbox.DestinationsRead,
		st.OriginationNumbers.Read, st.OptOuts.Read, st.Spend.Read, st.EUMS.Account.Read,
		st.EUMS.SpendLimit.Read, st.EUMS.PhoneNumbers.Read, st.EUMS.SenderIDs.Read} {
		a.report(s, "sms_region", region)
	}
	return d
}

// originationNumber keeps where and how a number can send, not the number.
func originationNumber(n snstypes.PhoneNumberInformation) snapshot.OriginationNumber {
	o := snapshot.OriginationNumber{
		Country:   aws.ToString(n.Iso2CountryCode),
		Status:    aws.ToString(n.Status),
		RouteType: string(n.RouteType),
	}
	for _, c := range n.NumberCapabilities {
		if c == snstypes.NumberCapabilitySms {
			o.SMS = true
		}
	}
	return o
}

// phoneKey normalises an E.164 number for the joins.
func phoneKey(num string) string { return "+" + digits(num) }
