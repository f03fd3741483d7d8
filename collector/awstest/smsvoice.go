package awstest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// eumsTarget is the X-Amz-Target prefix of AWS End User Messaging SMS
// (pinpoint-sms-voice-v2, awsJson1_0).
const eumsTarget = "PinpointSMSVoiceV2."

// EUMSFixture is the End User Messaging SMS state of one region.
type EUMSFixture struct {
	// Tier is the ACCOUNT_TIER attribute; "" serves PRODUCTION.
	Tier string
	// SpendLimits are served by DescribeSpendLimits; nil serves the
	// defaults of a new account (1 USD for text messages, not
	// overridden), an empty slice none.
	SpendLimits []EUMSSpendLimit
	// PhoneNumbers are served by DescribePhoneNumbers.
	PhoneNumbers []EUMSPhoneNumber
	// SenderIDs are served by DescribeSenderIds.
	SenderIDs []EUMSSenderID
}

// EUMSSpendLimit is one entry of DescribeSpendLimits, in USD.
type EUMSSpendLimit struct {
	Name       string // e.g. TEXT_MESSAGE_MONTHLY_SPEND_LIMIT
	Enforced   int64
	Max        int64
	Overridden bool
}

// EUMSPhoneNumber is one End User Messaging origination number.
type EUMSPhoneNumber struct {
	PhoneNumber    string
	IsoCountryCode string
	Status         string   // ACTIVE | PENDING | ...
	MessageType    string   // TRANSACTIONAL | PROMOTIONAL
	Capabilities   []string // SMS | VOICE | MMS
	NumberType     string   // SHORT_CODE | LONG_CODE | TOLL_FREE | TEN_DLC | SIMULATOR
}

// EUMSSenderID is one End User Messaging sender id.
type EUMSSenderID struct {
	SenderID       string
	IsoCountryCode string
	Registered     bool
}

// defaultEUMSSpendLimits are a new account's spend limits.
var defaultEUMSSpendLimits = []EUMSSpendLimit{
	{Name: "TEXT_MESSAGE_MONTHLY_SPEND_LIMIT", Enforced: 1, Max: 1},
	{Name: "VOICE_MESSAGE_MONTHLY_SPEND_LIMIT", Enforced: 1, Max: 1},
}

// serveEUMS answers the End User Messaging SMS reads in awsJson1_0 from
// the region's SMS fixture; it reports false for other operations.
func (s *standIn) serveEUMS(w http.ResponseWriter, op, region string, body []byte) bool {
	st := s.smsFixture(region).EUMS
	var in struct{ NextToken string }
	_ = json.Unmarshal(body, &in)
	arn := func(kind, id string) string {
		return fmt.Sprintf("arn:aws:sms-voice:%s:123456789012:%s/%s", region, kind, id)
	}
	created := float64(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).Unix())
	var resp map[string]any
	switch op {
	case "DescribeAccountAttributes":
		resp = map[string]any{"AccountAttributes": []map[string]any{
			{"Name": "ACCOUNT_TIER", "Value": firstNonEmpty(st.Tier, "PRODUCTION")},
		}}
	case "DescribeSpendLimits":
		limits := st.SpendLimits
		if limits == nil {
			limits = defaultEUMSSpendLimits
		}
		items := []map[string]any{}
		for _, l := range limits {
			items = append(items, map[string]any{"Name": l.Name, "EnforcedLimit": l.Enforced, "MaxLimit": l.Max, "Overridden": l.Overridden})
		}
		resp = map[string]any{"SpendLimits": items}
	case "DescribePhoneNumbers":
		from, to, next := page(in.NextToken, len(st.PhoneNumbers), s.state.PageSize)
		items := []map[string]any{}
		for i, n := range st.PhoneNumbers[from:to] {
			id := fmt.Sprintf("phone-%d", from+i)
			caps := n.Capabilities
			if caps == nil {
				caps = []string{}
			}
			items = append(items, map[string]any{
				"PhoneNumberArn": arn("phone-number", id), "PhoneNumberId": id, "PhoneNumber": n.PhoneNumber,
				"Status": n.Status, "IsoCountryCode": n.IsoCountryCode, "MessageType": n.MessageType,
				"NumberCapabilities": caps, "NumberType": firstNonEmpty(n.NumberType, "TOLL_FREE"),
				"MonthlyLeasingPrice": "2.00", "TwoWayEnabled": false, "SelfManagedOptOutsEnabled": false,
				"OptOutListName": "Default", "DeletionProtectionEnabled": false, "CreatedTimestamp": created,
			})
		}
		resp = map[string]any{"PhoneNumbers": items}
		if next != "" {
			resp["NextToken"] = next
		}
	case "DescribeSenderIds":
		from, to, next := page(in.NextToken, len(st.SenderIDs), s.state.PageSize)
		items := []map[string]any{}
		for _, sid := range st.SenderIDs[from:to] {
			items = append(items, map[string]any{
				"SenderIdArn": arn("sender-id", sid.SenderID+"/"+sid.IsoCountryCode), "SenderId": sid.SenderID,
				"IsoCountryCode": sid.IsoCountryCode, "MessageTypes": []string{"TRANSACTIONAL"},
				"MonthlyLeasingPrice": "0.00", "DeletionProtectionEnabled": false, "Registered": sid.Registered,
			})
		}
		resp = map[string]any{"SenderIds": items}
		if next != "" {
			resp["NextToken"] = next
		}
	default:
		return false
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	_ = json.NewEncoder(w).Encode(resp)
	return true
}
