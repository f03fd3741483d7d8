package collector

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	sv "github.com/aws/aws-sdk-go-v2/service/pinpointsmsvoicev2"
	svtypes "github.com/aws/aws-sdk-go-v2/service/pinpointsmsvoicev2/types"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// IAM actions of the AWS End User Messaging SMS sources.
const (
	actDescribeAccountAttributes = "sms-voice:DescribeAccountAttributes"
	actDescribeSpendLimits       = "sms-voice:DescribeSpendLimits"
	actDescribePhoneNumbers      = "sms-voice:DescribePhoneNumbers"
	actDescribeSenderIds         = "sms-voice:DescribeSenderIds"
)

// readEUMS reads what End User Messaging SMS says about the account in
// the region c is for. Phone numbers and sender ids are reduced to where
// and how they can send.
func readEUMS(ctx context.Context, c *sv.Client) snapshot.EUMSState {
	var st snapshot.EUMSState

	st.Account.Read = ok(actDescribeAccountAttributes)
	ap := sv.NewDescribeAccountAttributesPaginator(c, &sv.DescribeAccountAttributesInput{})
	for ap.HasMorePages() {
		out, err := ap.NextPage(ctx)
		if err != nil {
			st.Account = snapshot.EUMSAccount{Read: failed(actDescribeAccountAttributes, err)}
			break
		}
		for _, a := range out.AccountAttributes {
			if a.Name == svtypes.AccountAttributeNameAccountTier {
				st.Account.Tier = aws.ToString(a.Value)
			}
		}
	}

	st.SpendLimit.Read = ok(actDescribeSpendLimits)
	sp := sv.NewDescribeSpendLimitsPaginator(c, &sv.DescribeSpendLimitsInput{})
	for sp.HasMorePages() {
		out, err := sp.NextPage(ctx)
		if err != nil {
			st.SpendLimit = snapshot.EUMSSpendLimit{Read: failed(actDescribeSpendLimits, err)}
			break
		}
		for _, l := range out.SpendLimits {
			if l.Name == svtypes.SpendLimitNameTextMessageMonthlySpendLimit {
				st.SpendLimit.Found = true
				st.SpendLimit.EnforcedUSD = float64(l.EnforcedLimit)
				st.SpendLimit.MaxUSD = float64(l.MaxLimit)
				st.SpendLimit.Overridden = l.Overridden
			}
		}
	}

	st.PhoneNumbers.Read = ok(actDescribePhoneNumbers)
	pp := sv.NewDescribePhoneNumbersPaginator(c, &sv.DescribePhoneNumbersInput{})
	for pp.HasMorePages() {
		out, err := pp.NextPage(ctx)
		if err != nil {
			st.PhoneNumbers = snapshot.OriginationNumbers{Read: failed(actDescribePhoneNumbers, err)}
			break
		}
		for _, n := range out.PhoneNumbers {
			st.PhoneNumbers.Numbers = append(st.PhoneNumbers.Numbers, eumsNumber(n))
		}
	}

	st.SenderIDs.Read = ok(actDescribeSenderIds)
	ip := sv.NewDescribeSenderIdsPaginator(c, &sv.DescribeSenderIdsInput{})
	for ip.HasMorePages() {
		out, err := ip.NextPage(ctx)
		if err != nil {
			st.SenderIDs = snapshot.SenderIDs{Read: failed(actDescribeSenderIds, err)}
			break
		}
		for _, s := range out.SenderIds {
			st.SenderIDs.Items = append(st.SenderIDs.Items, snapshot.SenderID{
				Country: aws.ToString(s.IsoCountryCode), Registered: s.Registered,
			})
		}
	}
	return st
}

// eumsNumber keeps where and how an End User Messaging number can send,
// not the number. Its message type (TRANSACTIONAL, PROMOTIONAL) is the
// route type.
func eumsNumber(n svtypes.PhoneNumberInformation) snapshot.OriginationNumber {
	o := snapshot.OriginationNumber{
		Country:   aws.ToString(n.IsoCountryCode),
		Status:    string(n.Status),
		RouteType: string(n.MessageType),
	}
	for _, c := range n.NumberCapabilities {
		if c == svtypes.NumberCapabilitySms {
			o.SMS = true
		}
	}
	return o
}
