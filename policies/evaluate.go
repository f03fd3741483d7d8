package policies

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"golang.org/x/sync/errgroup"

	"github.com/recoverscan/recoverscan/collector/snapshot"
	"github.com/recoverscan/recoverscan/policies/internal/plan"
)

// chunkSize is how many users one worker evaluates per task: large enough
// to amortise scheduling, small enough to keep memory flat.
const chunkSize = 256

// Evaluate reads a snapshot from r and evaluates every rule against it. The
// report holds every finding, sorted; for snapshots of millions of users,
// Stream hands findings over as they are made instead.
func (e *Engine) Evaluate(ctx context.Context, r io.Reader) (*Report, error) {
	var fs []Finding
	rep, err := e.evaluate(ctx, r, &evaluation{emit: func(f *Finding) error {
		fs = append(fs, *f)
		return nil
	}})
	if err != nil {
		return nil, err
	}
	SortFindings(fs)
	rep.Findings = fs
	return rep, nil
}

// Stream reads a snapshot from r, evaluates every rule against it, and
// calls emit with each finding as it is made: per pool, its clients'
// findings, then its users' in snapshot order, then the pool's own. The
// order is the same on every run. emit must not keep f. The returned
// report has everything but the findings; memory does not grow with the
// number of users.
func (e *Engine) Stream(ctx context.Context, r io.Reader, emit func(f *Finding) error) (*Report, error) {
	return e.evaluate(ctx, r, &evaluation{emit: emit})
}

// evaluate runs an evaluation prepared by the caller (which may restrict it
// to one pool or watch for one user).
func (e *Engine) evaluate(ctx context.Context, r io.Reader, ev *evaluation) (*Report, error) {
	ev.e, ev.ctx, ev.report = e, ctx, &Report{Tool: "recoverscan", Rules: e.enabledRules()}
	if ev.emit == nil {
		ev.emit = func(f *Finding) error {
			ev.report.Findings = append(ev.report.Findings, *f)
			return nil
		}
	}
	err := snapshot.Walk(r, snapshot.Visitor{
		Header:  ev.onHeader,
		Region:  ev.onRegion,
		Pool:    ev.onPool,
		User:    ev.onUser,
		PoolEnd: ev.onPoolEnd,
	})
	if err != nil {
		ev.abandon()
		return nil, err
	}
	for i := range ev.report.Scopes {
		sort.Slice(ev.report.Scopes[i].Problems, func(a, b int) bool {
			pa, pb := ev.report.Scopes[i].Problems[a], ev.report.Scopes[i].Problems[b]
			return pa.Where+pa.Action < pb.Where+pb.Action
		})
	}
	return ev.report, nil
}

// evaluation is the state of one Evaluate call.
type evaluation struct {
	e      *Engine
	ctx    context.Context
	report *Report
	// emit receives every finding, in order, on the reading goroutine.
	emit func(f *Finding) error

	// onlyPool, when set, restricts the evaluation to that pool.
	onlyPool string
	// watch, when set, is called for every user of the evaluated pools
	// with the user's rule input, before the user is evaluated.
	watch func(u *snapshot.User, input ast.Value) error
	// inputs, when set, sees every client, user and pool rule input before
	// it is evaluated (the tests check them against the input schemas).
	inputs func(kind Kind, input ast.Value) error
	skip   bool // the current pool is outside onlyPool

	takenAt string
	account *snapshot.Account
	region  *snapshot.Region
	scope   *Scope

	// Per pool.
	poolSettings *snapshot.PoolSettings
	base         map[string]*ast.Term // snapshot, account, pool, sms, email terms
	// cache holds the plan's shared results for the pool.
	cache *plan.Cache[*sharedResult]
	// remediation is each rule's remediation with the pool filled in.
	remediation map[*Rule]string
	chunk       []snapshot.User
	// The pool's workers take chunks from work; group runs them, and
	// stops holds the group's context, cancelled when one fails.
	work  chan *batch
	group *errgroup.Group
	stops context.Context
	// pending are the chunks handed to workers, oldest first: findings
	// are emitted in snapshot order as the oldest completes.
	pending []*batch
	// spares are drained batches, whose slices and maps the next chunks
	// reuse.
	spares []*batch
	tally  tally
	// channelResults are the channel rules' findings for the pool, sent
	// once its users are counted; order the channels it can route to.
	channelResults []channelResult
	order          []any
	// delivery is the pool's input.delivery.
	delivery *Delivery
}

// batch is a chunk of users being evaluated by a worker.
type batch struct {
	users    []snapshot.User
	findings []Finding
	tally    tally
	err      error
	done     chan struct{}
}

// tally counts a pool's users by outcome, status, channel and country.
type tally struct {
	counts       UserCounts
	byStatus     map[string]int64
	byChannel    map[string]int64
	smsByCountry map[string]int64
	// counted are the users in each pool rule's aggregate, by name.
	counted map[string]int64
}

func newTally() tally {
	return tally{
		byStatus:     map[string]int64{},
		byChannel:    map[string]int64{"email": 0, "sms": 0, "none": 0, "unknown": 0},
		smsByCountry: map[string]int64{},
		counted:      map[string]int64{},
	}
}

// reset empties t for reuse, as newTally makes it.
func (t *tally) reset() {
	if t.byStatus == nil {
		*t = newTally()
		return
	}
	t.counts = UserCounts{}
	clear(t.byStatus)
	clear(t.smsByCountry)
	clear(t.counted)
	for k := range t.byChannel {
		t.byChannel[k] = 0
	}
}

func (t *tally) add(o *tally) {
	t.counts.Add(o.counts)
	for k, v := range o.byStatus {
		t.byStatus[k] += v
	}
	for k, v := range o.byChannel {
		t.byChannel[k] += v
	}
	for k, v := range o.smsByCountry {
		t.smsByCountry[k] += v
	}
	for k, v := range o.counted {
		t.counted[k] += v
	}
}

func (ev *evaluation) onHeader(h *snapshot.Header) error {
	ev.report.SnapshotTakenAt = h.TakenAt
	ev.takenAt = h.TakenAt.UTC().Format("2006-01-02T15:04:05Z")
	return nil
}

func (ev *evaluation) onRegion(a *snapshot.Account, r *snapshot.Region) error {
	ev.account, ev.region = a, r
	ev.report.Scopes = append(ev.report.Scopes, Scope{Account: a.ID, Region: r.Name})
	ev.scope = &ev.report.Scopes[len(ev.report.Scopes)-1]
	ev.problem("account "+a.ID+" identity", a.Identity)
	ev.problem("region "+r.Name+" pools", r.PoolsRead)
	for _, s := range r.SMS {
		where := "sms " + s.Region
		ev.problem(where+" attributes", s.Attributes.Read)
		ev.problem(where+" sandbox", s.Sandbox.Read)
		ev.problem(where+" sandbox destinations", s.Sandbox.DestinationsRead)
		ev.problem(where+" origination numbers", s.OriginationNumbers.Read)
		ev.problem(where+" opt-outs", s.OptOuts.Read)
		ev.problem(where+" spend", s.Spend.Read)
		ev.problem(where+" end user messaging account", s.EUMS.Account.Read)
		ev.problem(where+" end user messaging spend limit", s.EUMS.SpendLimit.Read)
		ev.problem(where+" end user messaging phone numbers", s.EUMS.PhoneNumbers.Read)
		ev.problem(where+" end user messaging sender ids", s.EUMS.SenderIDs.Read)
	}
	for _, s := range r.Email {
		where := "email " + s.Region
		ev.problem(where+" account", s.Account.Read)
		ev.problem(where+" suppression list", s.Suppression.Read)
		ev.problem(where+" verified identities", s.VerifiedIdentities.Read)
		for _, id := range s.Identities {
			ev.problem(where+" identity "+id.Name, id.Read)
		}
	}
	return nil
}

// problem records a source that could not be read. Skipped and
// not-applicable sources are choices, not problems.
func (ev *evaluation) problem(where string, s snapshot.Source) {
	switch s.Status {
	case snapshot.SourceOK, snapshot.SourceSkipped, snapshot.SourceNotApplicable:
		return
	}
	ev.scope.Problems = append(ev.scope.Problems, SourceProblem{Where: where, Status: string(s.Status), Action: s.Action, Error: s.Error})
}

func (ev *evaluation) onPool(p *snapshot.PoolSettings) error {
	if ev.scope == nil {
		return fmt.Errorf("snapshot: pool %s outside a region", p.ID)
	}
	ev.skip = ev.onlyPool != "" && p.ID != ev.onlyPool
	if ev.skip {
		return nil
	}
	settings := *p
	ev.poolSettings = &settings
	ev.problem("pool "+p.ID+" settings", p.Read)
	ev.problem("pool "+p.ID+" mfa configuration", p.MFA.Read)
	ev.problem("pool "+p.ID+" log delivery", p.LogDelivery.Read)
	ev.problem("pool "+p.ID+" app clients", p.Clients.Read)
	for _, c := range p.Clients.Items {
		ev.problem("pool "+p.ID+" app client "+c.ID, c.Read)
	}
	ev.base = map[string]*ast.Term{
		"snapshot": ast.NewTerm(ast.NewObject(ast.Item(ast.StringTerm("taken_at"), ast.StringTerm(ev.takenAt)))),
		"account": ast.NewTerm(ast.NewObject(
			ast.Item(ast.StringTerm("id"), ast.StringTerm(ev.account.ID)),
			ast.Item(ast.StringTerm("region"), ast.StringTerm(ev.region.Name)),
		)),
	}
	var err error
	if ev.base["pool"], err = toTerm(p); err != nil {
		return err
	}
	if ev.base["sms"], err = toTerm(smsStateFor(ev.region, p)); err != nil {
		return err
	}
	if ev.base["email"], err = toTerm(emailStateFor(ev.region, p)); err != nil {
		return err
	}
	if ev.base["sms_alternate"], err = toTerm(alternateSMSFor(ev.region, p)); err != nil {
		return err
	}
	if ev.base["delivery"], err = ev.judgeChannels(p); err != nil {
		return err
	}
	ev.tally = newTally()
	for _, a := range ev.e.aggs {
		for _, name := range a.names {
			ev.tally.counted[name] = 0
		}
	}
	ev.cache = nil
	if ev.e.plan != nil {
		ev.cache = plan.NewCache[*sharedResult](ev.e.plan.plan)
	}
	ev.remediation = make(map[*Rule]string, len(ev.e.rules))
	for i := range ev.e.rules {
		r := &ev.e.rules[i]
		ev.remediation[r] = fillRemediation(r.Remediation, Resource{PoolID: p.ID, Region: ev.region.Name}, p)
	}
	ev.startWorkers()

	for i := range p.Clients.Items {
		c := &p.Clients.Items[i]
		ct, err := toTerm(c)
		if err != nil {
			return err
		}
		in := ev.input(map[string]*ast.Term{"client": ct}, "snapshot", "account", "pool")
		if err := ev.see(KindClient, in); err != nil {
			return err
		}
		res, _, err := ev.e.client.eval(ev.ctx, in)
		if err != nil {
			return fmt.Errorf("evaluate client rules for pool %s client %s: %w", p.ID, c.ID, err)
		}
		for _, r := range res {
			f := ev.finding(r, Resource{ClientID: c.ID})
			if err := ev.send(&f); err != nil {
				return err
			}
		}
	}
	return nil
}

// input builds an input object from the pool's base terms plus extra.
func (ev *evaluation) input(extra map[string]*ast.Term, keys ...string) ast.Value {
	obj := ast.NewObject()
	for _, k := range keys {
		obj.Insert(ast.StringTerm(k), ev.base[k])
	}
	for k, v := range extra {
		obj.Insert(ast.StringTerm(k), v)
	}
	return obj
}

// see shows a rule input to ev.inputs, if set.
func (ev *evaluation) see(kind Kind, in ast.Value) error {
	if ev.inputs == nil {
		return nil
	}
	return ev.inputs(kind, in)
}

// send hands a finding to the caller.
func (ev *evaluation) send(f *Finding) error {
	if f.Verdict == Indeterminate {
		ev.report.indeterminate = true
	}
	return ev.emit(f)
}

func (ev *evaluation) onUser(u *snapshot.User) error {
	if ev.skip {
		return nil
	}
	if ev.ctx.Err() != nil {
		// Stop reading: a worker reports why.
		return ev.stopped()
	}
	if ev.watch != nil || ev.inputs != nil {
		in := ev.userInput(u)
		if ev.watch != nil {
			if err := ev.watch(u, in); err != nil {
				return err
			}
		}
		if err := ev.see(KindUser, in); err != nil {
			return err
		}
	}
	ev.chunk = append(ev.chunk, *u)
	if len(ev.chunk) >= chunkSize {
		return ev.flush()
	}
	return nil
}

// stopped is the error of an evaluation whose context ended: the
// workers' error, which names the rule, if there is one.
func (ev *evaluation) stopped() error {
	if err := ev.stopWorkers(); err != nil {
		return err
	}
	for _, b := range ev.pending {
		if b.err != nil {
			return b.err
		}
	}
	return fmt.Errorf("evaluate user rules for pool %s: %w", ev.poolSettings.ID, &StoppedError{Where: ev.e.user.where(nil), Err: context.Cause(ev.ctx)})
}

// abandon waits for the workers of an evaluation that failed.
func (ev *evaluation) abandon() {
	if ev.group != nil {
		_ = ev.stopWorkers()
	}
}

// startWorkers starts the pool's workers: long-lived, so that each keeps
// its memo, and its stack grown to the depth evaluations need, for the
// whole pool.
func (ev *evaluation) startWorkers() {
	ev.group, ev.stops = errgroup.WithContext(ev.ctx)
	work := make(chan *batch)
	ev.work = work
	for range ev.e.workers {
		var memo *plan.Memo
		if ev.e.plan != nil && !ev.e.noMemo {
			memo = ev.e.plan.plan.NewMemo()
		}
		w := ev.newWorker(memo)
		ev.group.Go(func() error {
			for b := range work {
				// Once done is closed, b is the reader's again.
				err := ev.evalUsers(b, w)
				b.err = err
				close(b.done)
				if err != nil {
					return err
				}
			}
			return nil
		})
	}
}

// stopWorkers tells the pool's workers that no more chunks come, waits
// for them and returns the first error of one.
func (ev *evaluation) stopWorkers() error {
	if ev.work != nil {
		close(ev.work)
		ev.work = nil
	}
	return ev.group.Wait()
}

// maxPending bounds the chunks in flight per worker, and so memory.
const maxPending = 4

// flush hands the pending users to a worker, then emits the findings of
// every chunk that is done, in order.
func (ev *evaluation) flush() error {
	if len(ev.chunk) > 0 {
		b := ev.spare()
		b.users, ev.chunk = ev.chunk, b.users[:0]
		select {
		case ev.work <- b:
			ev.pending = append(ev.pending, b)
		case <-ev.stops.Done():
			// A worker failed (or the scan was cancelled): say why.
			return ev.stopped()
		}
	}
	return ev.drain(len(ev.pending) > maxPending*ev.e.workers)
}

// spare returns a batch to hand the next chunk in: a drained one when
// there is one, so that its slices are reused.
func (ev *evaluation) spare() *batch {
	b := &batch{}
	if n := len(ev.spares); n > 0 {
		b, ev.spares = ev.spares[n-1], ev.spares[:n-1]
	}
	if cap(b.users) < chunkSize {
		b.users = make([]snapshot.User, 0, chunkSize)
	}
	clear(b.findings)
	b.findings, b.err, b.done = b.findings[:0], nil, make(chan struct{})
	return b
}

// drain emits the findings of completed chunks, oldest first. With wait,
// it waits for the oldest chunk; at the end of a pool, for all of them.
func (ev *evaluation) drain(wait bool) error {
	for len(ev.pending) > 0 {
		b := ev.pending[0]
		if wait {
			<-b.done
		} else {
			select {
			case <-b.done:
			default:
				return nil
			}
		}
		if b.err != nil {
			return b.err
		}
		for i := range b.findings {
			if err := ev.send(&b.findings[i]); err != nil {
				return err
			}
		}
		ev.tally.add(&b.tally)
		ev.tellProgress(false)
		ev.pending[0] = nil
		ev.pending = ev.pending[1:]
		ev.spares = append(ev.spares, b)
		wait = wait && len(ev.pending) > maxPending*ev.e.workers
	}
	return nil
}

// evalUsers judges a chunk of users, making their findings and tallies.
func (ev *evaluation) evalUsers(b *batch, w *worker) error {
	b.tally.reset()
	vals := make([]any, 1+len(ev.e.aggs))
	for i := range b.users {
		u := &b.users[i]
		res, err := ev.judge(u, w, vals)
		ch := stringOr(vals[0])
		if err != nil {
			return fmt.Errorf("evaluate user rules for pool %s user %s: %w", ev.poolSettings.ID, u.Username, err)
		}
		t := &b.tally
		t.counts.Total++
		t.byStatus[u.Status]++
		if _, ok := t.byChannel[ch]; !ok {
			ch = "unknown"
		}
		t.byChannel[ch]++
		if ch == "sms" {
			t.smsByCountry[u.Phone.Country]++
		}
		for k := range ev.e.aggs {
			a := &ev.e.aggs[k]
			if err := a.count(vals[1+k], t.counted); err != nil {
				return fmt.Errorf("evaluate pool rule aggregates for pool %s user %s: %w", ev.poolSettings.ID, u.Username, err)
			}
		}
		cannot := false
		for _, r := range res {
			if r.verdict == Fail && r.effect == EffectBlocks {
				cannot = true
			}
			who := Resource{Username: u.Username, Sub: u.Sub}
			if u.UsernameMasked {
				who.commandUser = u.CommandUsername()
			}
			b.findings = append(b.findings, ev.finding(r, who))
		}
		switch {
		case cannot:
			t.counts.Cannot++
		case len(res) > 0:
			t.counts.MayNot++
		default:
			t.counts.Can++
		}
	}
	return nil
}

func (ev *evaluation) onPoolEnd(p *snapshot.PoolSettings, usersRead snapshot.Source, listed int64) error {
	if ev.skip {
		return nil
	}
	if err := ev.flush(); err != nil {
		return err
	}
	if err := ev.stopWorkers(); err != nil {
		return err
	}
	if err := ev.drain(true); err != nil {
		return err
	}
	ev.logCache(ev.tally.counts.Total)
	ev.cache = nil
	ev.problem("pool "+p.ID+" users", usersRead)
	if err := ev.reportChannels(); err != nil {
		return err
	}
	t := &ev.tally
	users := map[string]any{
		"listed":         listed,
		"read":           usersRead,
		"by_status":      t.byStatus,
		"by_channel":     t.byChannel,
		"sms_by_country": t.smsByCountry,
	}
	for k, v := range t.counted {
		users[k] = v
	}
	ut, err := toTerm(users)
	if err != nil {
		return err
	}
	in := ev.input(map[string]*ast.Term{"users": ut}, "snapshot", "account", "pool", "sms", "email")
	if err := ev.see(KindPool, in); err != nil {
		return err
	}
	res, _, err := ev.e.pool.eval(ev.ctx, in)
	if err != nil {
		return fmt.Errorf("evaluate pool rules for pool %s: %w", p.ID, err)
	}
	for _, r := range res {
		f := ev.finding(r, Resource{})
		if err := ev.send(&f); err != nil {
			return err
		}
	}
	ev.tellProgress(true)
	ev.scope.Pools = append(ev.scope.Pools, PoolSummary{
		ID: p.ID, Name: p.Name, Users: t.counts,
		Complete: p.Read.OK() && usersRead.OK(),
	})
	return nil
}

// tellProgress tells the engine's Progress callback, if any, how far the pool
// got.
func (ev *evaluation) tellProgress(done bool) {
	if ev.e.progress == nil {
		return
	}
	p := ev.poolSettings
	ev.e.progress(Progress{
		Account: ev.account.ID, Region: ev.region.Name, PoolID: p.ID,
		UsersDone: ev.tally.counts.Total, EstimatedUsers: p.EstimatedUsers, Done: done,
	})
}

// finding turns a rule result into a finding about the current pool.
func (ev *evaluation) finding(r result, res Resource) Finding {
	p := ev.poolSettings
	res.Account, res.Region = ev.account.ID, ev.region.Name
	res.PoolID, res.PoolName = p.ID, p.Name
	remediation := RemediationText(ev.remediation[r.rule])
	switch {
	case res.ClientID != "":
		remediation = RemediationText(fillRemediation(r.rule.Remediation, res, p))
	case res.Username != "" && strings.Contains(remediation.shape, "<username>"):
		remediation.user = res.usernameForCommands()
	}
	return Finding{
		RuleID:         r.rule.ID,
		Title:          r.rule.Title,
		Severity:       r.rule.Severity,
		Kind:           r.rule.Kind,
		Verdict:        r.verdict,
		Message:        r.message,
		Resource:       res,
		Remediation:    remediation,
		Evidence:       r.evidence,
		Effect:         r.effect,
		BlocksRecovery: r.effect == EffectBlocks,
	}
}

// fillRemediation puts the resource's identifiers into the command shape.
func fillRemediation(s string, res Resource, p *snapshot.PoolSettings) string {
	if s == "" {
		return s
	}
	pairs := []string{"<pool-id>", res.PoolID, "<region>", res.Region}
	if r := p.SMS.Region; r != "" {
		pairs = append(pairs, "<sms-region>", r)
	}
	if r := p.Email.SESRegion; r != "" {
		pairs = append(pairs, "<ses-region>", r)
	}
	if res.Username != "" {
		pairs = append(pairs, "<username>", res.usernameForCommands())
	}
	if res.ClientID != "" {
		pairs = append(pairs, "<client-id>", res.ClientID)
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// smsStateFor finds the SMS state of the region a pool sends SMS through.
func smsStateFor(r *snapshot.Region, p *snapshot.PoolSettings) snapshot.SMSState {
	want := p.SMS.Region
	if want == "" {
		want = p.Region
	}
	for _, s := range r.SMS {
		if s.Region == want {
			return s
		}
	}
	st := snapshot.SMSState{Region: want}
	actions := []string{"sns:GetSMSAttributes", "sns:GetSMSSandboxAccountStatus", "sns:ListSMSSandboxPhoneNumbers", "sns:ListOriginationNumbers",
		"sns:ListPhoneNumbersOptedOut", "cloudwatch:GetMetricData", "sms-voice:DescribeAccountAttributes", "sms-voice:DescribeSpendLimits",
		"sms-voice:DescribePhoneNumbers", "sms-voice:DescribeSenderIds"}
	for i, src := range smsSources(&st) {
		*src = snapshot.Source{Status: snapshot.SourceError, Action: actions[i], Error: "not collected for this pool"}
	}
	st.OriginationNumbers.Numbers = []snapshot.OriginationNumber{}
	st.EUMS.PhoneNumbers.Numbers = []snapshot.OriginationNumber{}
	st.EUMS.SenderIDs.Items = []snapshot.SenderID{}
	return st
}

// alternateSMSFor is the SNS state of the pool's legacy alternate SNS
// region; with none, a state whose region is "" and whose reads are
// not_applicable.
func alternateSMSFor(r *snapshot.Region, p *snapshot.PoolSettings) snapshot.SMSState {
	if p.SMS.AlternateRegion == "" {
		na := snapshot.Source{Status: snapshot.SourceNotApplicable}
		st := snapshot.SMSState{}
		for _, src := range smsSources(&st) {
			*src = na
		}
		st.OriginationNumbers.Numbers = []snapshot.OriginationNumber{}
		st.EUMS.PhoneNumbers.Numbers = []snapshot.OriginationNumber{}
		st.EUMS.SenderIDs.Items = []snapshot.SenderID{}
		return st
	}
	q := *p
	q.SMS.Region = p.SMS.AlternateRegion
	return smsStateFor(r, &q)
}

// smsSources are the sources of an SMS state.
func smsSources(st *snapshot.SMSState) []*snapshot.Source {
	return []*snapshot.Source{&st.Attributes.Read, &st.Sandbox.Read, &st.Sandbox.DestinationsRead, &st.OriginationNumbers.Read,
		&st.OptOuts.Read, &st.Spend.Read, &st.EUMS.Account.Read, &st.EUMS.SpendLimit.Read, &st.EUMS.PhoneNumbers.Read, &st.EUMS.SenderIDs.Read}
}

// emailStateFor finds the SES state of the region a pool's SES identity
// lives in, keeping only that identity.
func emailStateFor(r *snapshot.Region, p *snapshot.PoolSettings) snapshot.EmailState {
	na := func(action string) snapshot.Source {
		return snapshot.Source{Status: snapshot.SourceNotApplicable, Action: action}
	}
	if p.Email.SourceARN == "" {
		return snapshot.EmailState{
			Account:            snapshot.SESAccount{Read: na("ses:GetAccount")},
			Identities:         []snapshot.EmailIdentity{},
			ConfigurationSets:  []snapshot.ConfigurationSet{},
			Suppression:        snapshot.Suppression{Read: na("ses:ListSuppressedDestinations")},
			VerifiedIdentities: snapshot.VerifiedIdentities{Read: na("ses:ListEmailIdentities")},
		}
	}
	for _, s := range r.Email {
		if s.Region != p.Email.SESRegion {
			continue
		}
		ids := []snapshot.EmailIdentity{}
		for _, id := range s.Identities {
			if id.Name == p.Email.Identity {
				ids = append(ids, id)
			}
		}
		sets := []snapshot.ConfigurationSet{}
		for _, cs := range s.ConfigurationSets {
			if cs.Name == p.Email.ConfigurationSet {
				sets = append(sets, cs)
			}
		}
		s.Identities, s.ConfigurationSets = ids, sets
		return s
	}
	missing := func(action string) snapshot.Source {
		return snapshot.Source{Status: snapshot.SourceError, Action: action, Error: "not collected for this pool"}
	}
	return snapshot.EmailState{
		Region:             p.Email.SESRegion,
		Account:            snapshot.SESAccount{Read: missing("ses:GetAccount")},
		Identities:         []snapshot.EmailIdentity{},
		ConfigurationSets:  []snapshot.ConfigurationSet{},
		Suppression:        snapshot.Suppression{Read: missing("ses:ListSuppressedDestinations")},
		VerifiedIdentities: snapshot.VerifiedIdentities{Read: missing("ses:ListEmailIdentities")},
	}
}

// SortFindings orders findings as reports list them: by account, region,
// pool, severity (most severe first), rule, client, user.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := &fs[i], &fs[j]
		ka := [...]string{a.Resource.Account, a.Resource.Region, a.Resource.PoolID}
		kb := [...]string{b.Resource.Account, b.Resource.Region, b.Resource.PoolID}
		if ka != kb {
			return strings.Join(ka[:], "\x00") < strings.Join(kb[:], "\x00")
		}
		if a.Severity.Rank() != b.Severity.Rank() {
			return a.Severity.Rank() > b.Severity.Rank()
		}
		if a.RuleID != b.RuleID {
			return a.RuleID < b.RuleID
		}
		if a.Resource.ClientID != b.Resource.ClientID {
			return a.Resource.ClientID < b.Resource.ClientID
		}
		if a.Resource.Username != b.Resource.Username {
			return a.Resource.Username < b.Resource.Username
		}
		return a.Verdict < b.Verdict
	})
}
