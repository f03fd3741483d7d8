package policies

import (
	"fmt"
	"reflect"
	"slices"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// The delivery path. A recovery code travels from Cognito through a sender
// (a custom sender trigger, SNS or End User Messaging in the SMS region,
// Cognito's own email, or SES in the SourceArn's region) to the user's
// number or address. Channel rules (pool, SMS and email rules that declare
// custom.channel) judge the hops every user of the pool shares; they run
// before the pool's users, and what they find becomes input.delivery of
// the per-user rules: per channel, the findings that block it, those that
// endanger it and those that could not be settled (unread). The user rules
// that judge the chosen channel (lib.delivery) turn that into each user's
// verdict, so a rule's effect is declared once, in its METADATA, and a new
// channel rule, built-in or custom, needs nothing else.

// DeliveryEntry is one channel finding as the user rules see it.
type DeliveryEntry struct {
	Rule    string `json:"rule"`
	Title   string `json:"title"`
	Message string `json:"message"`
	// Region is the SNS region an SMS finding was made for.
	Region string `json:"region,omitempty"`
	// Source is the unread source of an indeterminate finding.
	Source any `json:"source,omitempty"`
	// Kind is the rule's kind: a pool rule judges the sender, an SMS or
	// email rule the SNS or SES account.
	Kind Kind `json:"kind"`
	// Exception is the exception ForgotPassword answers with when the
	// finding blocks the channel, where the rule's evidence names one.
	Exception string `json:"exception,omitempty"`
}

// ChannelDelivery is the state of one channel's shared hops.
type ChannelDelivery struct {
	Blocks    []DeliveryEntry `json:"blocks"`
	Endangers []DeliveryEntry `json:"endangers"`
	Unread    []DeliveryEntry `json:"unread"`
}

// Delivery is input.delivery: the shared hops' state per channel.
type Delivery struct {
	SMS   ChannelDelivery `json:"sms"`
	Email ChannelDelivery `json:"email"`
}

// Channel returns the state of the named channel ("sms" or "email").
func (d *Delivery) Channel(name string) *ChannelDelivery {
	if name == ChannelSMS {
		return &d.SMS
	}
	return &d.Email
}

// channelResult is a channel rule's finding, kept until the pool's users
// are counted, when it is reported if its channel is in use.
type channelResult struct {
	result
	channels []string
}

// judgeChannels evaluates the channel rules for the pool in every SNS
// region Cognito may send its texts through, and returns input.delivery
// and the findings to report once the users are counted.
func (ev *evaluation) judgeChannels(p *snapshot.PoolSettings) (*ast.Term, error) {
	in := ev.input(nil, "snapshot", "account", "pool", "sms", "email")
	res, order, err := ev.e.channel.eval(ev.ctx, in)
	if err != nil {
		return nil, fmt.Errorf("evaluate channel rules for pool %s: %w", p.ID, err)
	}
	ev.order, _ = order.([]any)
	primary := splitChannels(res, p.SMS.Region)
	ev.channelResults = primary

	d := &Delivery{SMS: ChannelDelivery{}, Email: ChannelDelivery{}}
	for _, r := range primary {
		addEntry(d, r)
	}
	if alt := p.SMS.AlternateRegion; alt != "" && alt != p.SMS.Region {
		// Cognito may send through either region (the guide says "can",
		// and does not say which), so SMS is judged in both: broken in
		// both is broken, broken in one endangers.
		in := ev.input(map[string]*ast.Term{"sms": ev.base["sms_alternate"]}, "snapshot", "account", "pool", "email")
		res, _, err := ev.e.channel.eval(ev.ctx, in)
		if err != nil {
			return nil, fmt.Errorf("evaluate channel rules for pool %s in SNS region %s: %w", p.ID, alt, err)
		}
		other := splitChannels(res, alt)
		for _, r := range other {
			if !slices.ContainsFunc(primary, func(q channelResult) bool { return sameResult(q, r) }) {
				ev.channelResults = append(ev.channelResults, r)
			}
		}
		d.SMS = combineRegions(smsOnly(primary), smsOnly(other), p.SMS.Region, alt)
	}
	for _, c := range []*ChannelDelivery{&d.SMS, &d.Email} {
		for _, l := range []*[]DeliveryEntry{&c.Blocks, &c.Endangers, &c.Unread} {
			if *l == nil {
				*l = []DeliveryEntry{}
			}
		}
	}
	ev.delivery = d
	return toTerm(d)
}

// splitChannels keeps the channels each result is about: the one its
// evidence names, when the rule declares several, else the rule's.
func splitChannels(res []result, smsRegion string) []channelResult {
	out := make([]channelResult, 0, len(res))
	for _, r := range res {
		chs := r.rule.Channels
		if named, _ := r.evidence["channel"].(string); named != "" && slices.Contains(chs, named) {
			chs = []string{named}
		}
		cr := channelResult{result: r, channels: chs}
		// Only SMS rules judge an SNS region; a pool rule's finding is the
		// same in both passes and is reported once.
		if r.rule.Kind == KindSMS {
			if r.evidence == nil {
				cr.evidence = map[string]any{}
			} else {
				cr.evidence = copyMap(r.evidence)
			}
			if _, ok := cr.evidence["sms_region"]; !ok && smsRegion != "" {
				cr.evidence["sms_region"] = smsRegion
			}
		}
		out = append(out, cr)
	}
	return out
}

func copyMap(m map[string]any) map[string]any {
	c := make(map[string]any, len(m)+1)
	for k, v := range m {
		c[k] = v
	}
	return c
}

func sameResult(a, b channelResult) bool {
	return a.rule == b.rule && a.verdict == b.verdict && a.message == b.message && reflect.DeepEqual(a.evidence, b.evidence)
}

func entryOf(r channelResult) DeliveryEntry {
	e := DeliveryEntry{Rule: r.rule.ID, Title: r.rule.Title, Message: r.message, Kind: r.rule.Kind}
	e.Exception, _ = r.evidence["exception"].(string)
	if reg, ok := r.evidence["sms_region"].(string); ok && slices.Contains(r.channels, ChannelSMS) {
		e.Region = reg
	}
	if r.verdict == Indeterminate {
		e.Source = r.evidence["source"]
	}
	return e
}

// addEntry files a result under each of its channels.
func addEntry(d *Delivery, r channelResult) {
	for _, ch := range r.channels {
		c := d.Channel(ch)
		e := entryOf(r)
		switch {
		case r.verdict == Indeterminate && r.effect != "":
			// Unread facts of a rule that cannot change a verdict
			// (no effect) leave every verdict as it is.
			c.Unread = append(c.Unread, e)
		case r.effect == EffectBlocks:
			c.Blocks = append(c.Blocks, e)
		case r.effect == EffectEndangers:
			c.Endangers = append(c.Endangers, e)
		}
	}
}

func smsOnly(rs []channelResult) ChannelDelivery {
	d := &Delivery{}
	for _, r := range rs {
		if slices.Contains(r.channels, ChannelSMS) {
			addEntry(d, channelResult{result: r.result, channels: []string{ChannelSMS}})
		}
	}
	return d.SMS
}

// combineRegions joins the SMS state of the two regions Cognito may send
// through: blocked only where both are blocked; blocked in one region
// endangers; unread or endangered in either counts.
func combineRegions(a, b ChannelDelivery, ra, rb string) ChannelDelivery {
	out := ChannelDelivery{
		Blocks:    []DeliveryEntry{},
		Endangers: append(slices.Clone(a.Endangers), b.Endangers...),
		Unread:    append(slices.Clone(a.Unread), b.Unread...),
	}
	switch {
	case len(a.Blocks) > 0 && len(b.Blocks) > 0:
		out.Blocks = append(slices.Clone(a.Blocks), b.Blocks...)
	case len(a.Blocks) > 0 || len(b.Blocks) > 0:
		blocked := a.Blocks
		if len(b.Blocks) > 0 {
			blocked = b.Blocks
		}
		for _, e := range blocked {
			e.Message = fmt.Sprintf("The pool sets no SnsRegion, so Cognito may send its texts through %s or %s, and which one is not documented. In %s: %s", ra, rb, e.Region, e.Message)
			out.Endangers = append(out.Endangers, e)
		}
	}
	out.Blocks = dedupe(out.Blocks)
	out.Endangers = dedupe(out.Endangers)
	out.Unread = dedupe(out.Unread)
	return out
}

func dedupe(es []DeliveryEntry) []DeliveryEntry {
	out := make([]DeliveryEntry, 0, len(es))
	for _, e := range es {
		if !slices.ContainsFunc(out, func(o DeliveryEntry) bool { return reflect.DeepEqual(o, e) }) {
			out = append(out, e)
		}
	}
	return out
}

// inUse reports whether the pool can route a user's code to channel: its
// recovery order includes the channel (or its settings were not read).
// Users counted on the channel now are not required: a pool that falls
// back to SMS sends a text to every user who lacks the first channel, so
// what breaks SMS there is a finding before the first such user exists.
func (ev *evaluation) inUse(channel string) bool {
	if !ev.poolSettings.Read.OK() || ev.tally.byChannel[channel] > 0 || ev.tally.byChannel["unknown"] > 0 {
		return true
	}
	return slices.Contains(ev.order, any(channel))
}

// reportChannels sends the channel rules' findings whose channel is in use.
func (ev *evaluation) reportChannels() error {
	for _, r := range ev.channelResults {
		used := false
		for _, ch := range r.channels {
			used = used || ev.inUse(ch)
		}
		if !used {
			continue
		}
		res := r.result
		res.evidence = copyMap(r.evidence)
		for _, ch := range r.channels {
			res.evidence["users_routed_to_"+ch] = ev.tally.byChannel[ch]
		}
		if ev.tally.byChannel["unknown"] > 0 {
			res.evidence["users_with_unknown_channel"] = ev.tally.byChannel["unknown"]
		}
		f := ev.finding(res, Resource{})
		if err := ev.send(&f); err != nil {
			return err
		}
	}
	ev.channelResults = nil
	return nil
}
