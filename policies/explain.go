package policies

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// Explanation is everything recoverscan knows about one user's password
// recovery: the facts it was decided from, the library's channel decision
// and every finding about the user, the pool's channels and its clients.
type Explanation struct {
	Account string                `json:"account"`
	Region  string                `json:"region"`
	TakenAt string                `json:"taken_at"`
	Pool    snapshot.PoolSettings `json:"pool"`
	SMS     snapshot.SMSState     `json:"sms"`
	Email   snapshot.EmailState   `json:"email"`
	User    snapshot.User         `json:"user"`
	// Channel is where Cognito would send the code: "email", "sms",
	// "none" or "unknown"; Why says why, Order is the order Cognito tries
	// channels in.
	Channel string   `json:"channel"`
	Why     string   `json:"why"`
	Order   []string `json:"order"`
	// SMSAlternate is the SNS state of the pool's legacy alternate SNS
	// region (region "" when it has none).
	SMSAlternate snapshot.SMSState `json:"sms_alternate"`
	// Delivery is what the pool's channel rules found about each
	// channel's shared hops.
	Delivery Delivery `json:"delivery"`
	// Findings are the user's own findings followed by the pool's, its
	// channels' and its app clients', most severe first.
	Findings []Finding `json:"findings"`
	// Rules is the catalogue, for remediations and titles.
	Rules []Rule `json:"-"`
}

// ErrUserNotFound is returned by Explain when the snapshot has no such user.
var ErrUserNotFound = errors.New("user not found")

// Explain evaluates the snapshot's pool poolID and explains the recovery of
// the user whose username or sub is user.
func (e *Engine) Explain(ctx context.Context, r io.Reader, poolID, user string) (*Explanation, error) {
	q, err := e.explainQuery(ctx)
	if err != nil {
		return nil, err
	}
	var (
		ex    *Explanation
		found bool
	)
	ev := &evaluation{onlyPool: poolID}
	ev.watch = func(u *snapshot.User, input ast.Value) error {
		if found || (!u.HasUsername(user) && u.Sub != user) {
			return nil
		}
		found = true
		rs, err := q.Eval(ctx, rego.EvalParsedInput(input))
		if err != nil {
			return fmt.Errorf("explain user %s: %w", user, err)
		}
		ex = &Explanation{
			Account: ev.account.ID,
			Region:  ev.region.Name,
			TakenAt: ev.takenAt,
			Pool:    *ev.poolSettings,
			SMS:     smsStateFor(ev.region, ev.poolSettings),
			Email:   emailStateFor(ev.region, ev.poolSettings),
			User:    *u,

			SMSAlternate: alternateSMSFor(ev.region, ev.poolSettings),
			Delivery:     *ev.delivery,
		}
		if len(rs) == 1 {
			m, _ := rs[0].Bindings["x"].(map[string]any)
			ex.Channel, _ = m["chosen"].(string)
			ex.Why, _ = m["why"].(string)
			if order, ok := m["order"].([]any); ok {
				for _, o := range order {
					if s, ok := o.(string); ok {
						ex.Order = append(ex.Order, s)
					}
				}
			}
		}
		return nil
	}
	report, err := e.evaluate(ctx, r, ev)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("%w: no user %q in pool %s of the snapshot", ErrUserNotFound, user, poolID)
	}
	ex.Rules = report.Rules
	for _, f := range report.Findings {
		if f.Resource.PoolID != poolID {
			continue
		}
		if f.Kind == KindUser && f.Resource.Username != ex.User.Username {
			continue
		}
		ex.Findings = append(ex.Findings, f)
	}
	return ex, nil
}

// explainQuery reads the library's channel decision for one user.
func (e *Engine) explainQuery(ctx context.Context) (rego.PreparedEvalQuery, error) {
	e.explainOnce.Do(func() {
		e.explainQ, e.explainErr = e.prepareQuery(ctx,
			`x := {"chosen": data.recoverscan.lib.recovery.chosen, "why": data.recoverscan.lib.recovery.why, "order": data.recoverscan.lib.recovery.order}`)
	})
	return e.explainQ, e.explainErr
}

// explainState is the Engine's lazily prepared explain query.
type explainState struct {
	explainOnce sync.Once
	explainQ    rego.PreparedEvalQuery
	explainErr  error
}
