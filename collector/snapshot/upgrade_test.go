package snapshot_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// oldSnapshot is a snapshot written by the version before the delivery
// path's sources (SMS spend, End User Messaging, the legacy alternate SNS
// region, SES verified recipients, log delivery) were read: `recoverscan
// demo --write-snapshot` of commit 36b9658.
const oldSnapshot = "testdata/v1-before-delivery-path.json"

// TestReadSnapshotBeforeDeliveryPath reads a snapshot of the previous
// format and checks that every source it does not record is marked
// skipped with the IAM action that reads it, so that the verdicts that
// depend on them are indeterminate rather than guessed.
func TestReadSnapshotBeforeDeliveryPath(t *testing.T) {
	raw, err := os.ReadFile(oldSnapshot)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"spend"`, `"eums":{`, `"verified_identities"`, `"log_delivery"`,
		`"alternate_region"`, `"recipient_verified"`, `"alternate_opted_out"`} {
		if bytes.Contains(raw, []byte(key)) {
			t.Fatalf("%s has the key %s: it is not of the previous format", oldSnapshot, key)
		}
	}
	wantSkipped := func(what string, s snapshot.Source, action string) {
		t.Helper()
		if s.Status != snapshot.SourceSkipped || s.Action != action || s.Error == "" {
			t.Errorf("%s: %+v, want skipped with action %s and a reason", what, s, action)
		}
	}
	check := func(t *testing.T, snap *snapshot.Snapshot) {
		sms, email, pools := 0, 0, 0
		for _, a := range snap.Accounts {
			for _, r := range a.Regions {
				for _, st := range r.SMS {
					sms++
					where := r.Name + " sms " + st.Region
					wantSkipped(where+" spend", st.Spend.Read, "cloudwatch:GetMetricData")
					wantSkipped(where+" EUMS account", st.EUMS.Account.Read, "sms-voice:DescribeAccountAttributes")
					wantSkipped(where+" EUMS spend limit", st.EUMS.SpendLimit.Read, "sms-voice:DescribeSpendLimits")
					wantSkipped(where+" EUMS phone numbers", st.EUMS.PhoneNumbers.Read, "sms-voice:DescribePhoneNumbers")
					wantSkipped(where+" EUMS sender ids", st.EUMS.SenderIDs.Read, "sms-voice:DescribeSenderIds")
					if st.EUMS.PhoneNumbers.Numbers == nil || st.EUMS.SenderIDs.Items == nil {
						t.Errorf("%s: EUMS lists nil, want empty", where)
					}
				}
				for _, es := range r.Email {
					email++
					wantSkipped(r.Name+" email "+es.Region+" verified identities", es.VerifiedIdentities.Read, "ses:ListEmailIdentities")
				}
				for _, p := range r.Pools {
					pools++
					wantSkipped("pool "+p.ID+" log delivery", p.LogDelivery.Read, "cognito-idp:GetLogDeliveryConfiguration")
					if p.SMS.AlternateRegion != "" {
						t.Errorf("pool %s: alternate region %q", p.ID, p.SMS.AlternateRegion)
					}
				}
			}
		}
		if sms == 0 || email == 0 || pools == 0 {
			t.Fatalf("the old snapshot has %d SMS states, %d email states, %d pools: nothing checked", sms, email, pools)
		}
	}

	t.Run("Read", func(t *testing.T) {
		snap, err := snapshot.Read(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		check(t, snap)
	})
	t.Run("Walk", func(t *testing.T) {
		// The streaming reader the engine uses marks them the same way.
		snap := &snapshot.Snapshot{}
		var reg *snapshot.Region
		err := snapshot.Walk(bytes.NewReader(raw), snapshot.Visitor{
			Account: func(a *snapshot.Account) error {
				snap.Accounts = append(snap.Accounts, snapshot.Account{ID: a.ID})
				return nil
			},
			Region: func(_ *snapshot.Account, r *snapshot.Region) error {
				acct := &snap.Accounts[len(snap.Accounts)-1]
				acct.Regions = append(acct.Regions, *r)
				reg = &acct.Regions[len(acct.Regions)-1]
				return nil
			},
			Pool: func(p *snapshot.PoolSettings) error {
				reg.Pools = append(reg.Pools, snapshot.Pool{PoolSettings: *p})
				return nil
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		check(t, snap)
	})
}
