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
		fill(&states[i].OriginationNumbers.Numbers)
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
