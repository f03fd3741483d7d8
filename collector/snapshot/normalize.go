package snapshot

// Rules read arrays without guarding against null, so the writer never
// emits null for a list: these fill nil slices with empty ones. The reader
// applies them too, so rules never see null for a list whatever wrote the
// snapshot.

import "slices"

// normalize fills p's nil slices. p's slices of structs are copied first,
// so the caller's values are never modified.
func (p *PoolSettings) normalize() {
	p.Clients.Items = slices.Clone(p.Clients.Items)
	fill(&p.AccountRecovery.Mechanisms)
	fill(&p.AutoVerifiedAttributes)
	fill(&p.AliasAttributes)
	fill(&p.UsernameAttributes)
	fill(&p.VerifyBeforeUpdate)
	fill(&p.Clients.Items)
	for i := range p.Clients.Items {
		fill(&p.Clients.Items[i].ExplicitAuthFlows)
		fill(&p.Clients.Items[i].WriteAttributes)
	}
}

func (u *User) normalize() {
	fill(&u.MFA.Methods)
}

func normalizeSMS(states []SMSState) []SMSState {
	states = slices.Clone(states)
	for i := range states {
		st := &states[i]
		fill(&st.OriginationNumbers.Numbers)
		fill(&st.EUMS.PhoneNumbers.Numbers)
		fill(&st.EUMS.SenderIDs.Items)
	}
	return nonNil(states)
}

func normalizeEmail(states []EmailState) []EmailState {
	states = slices.Clone(states)
	for i := range states {
		fill(&states[i].Identities)
		fill(&states[i].ConfigurationSets)
	}
	return nonNil(states)
}

func fill[T any](s *[]T) {
	if *s == nil {
		*s = []T{}
	}
}

// upgrade marks the sources of p that older snapshots do not record as
// unread. Only the reader applies it.
func (p *PoolSettings) upgrade() {
	predates(&p.LogDelivery.Read, "cognito-idp:GetLogDeliveryConfiguration")
}

// upgradeSMS and upgradeEmail do the same for a region's channel state.
func upgradeSMS(states []SMSState) {
	for i := range states {
		st := &states[i]
		predates(&st.Spend.Read, "cloudwatch:GetMetricData")
		predates(&st.EUMS.Account.Read, "sms-voice:DescribeAccountAttributes")
		predates(&st.EUMS.SpendLimit.Read, "sms-voice:DescribeSpendLimits")
		predates(&st.EUMS.PhoneNumbers.Read, "sms-voice:DescribePhoneNumbers")
		predates(&st.EUMS.SenderIDs.Read, "sms-voice:DescribeSenderIds")
	}
}

func upgradeEmail(states []EmailState) {
	for i := range states {
		predates(&states[i].VerifiedIdentities.Read, "ses:ListEmailIdentities")
	}
}

// predates marks a source that a snapshot does not record at all, as one
// written before the source was read, as unread: the verdicts that depend
// on it are then indeterminate, never guessed.
func predates(s *Source, action string) {
	if s.Status == "" && s.Action == "" {
		*s = Source{Status: SourceSkipped, Action: action, Error: "the snapshot was taken by a version that did not read this source"}
	}
}
