// Package synth generates synthetic snapshots of any size: the demo world's
// accounts, regions and pool settings, filled with users drawn from a
// realistic mix of statuses, contact attributes, channels and MFA factors.
// The same seed always gives the same bytes. Benchmarks and `recoverscan
// demo --users` use it; every name, address and number is invented.
package synth

import (
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/recoverscan/recoverscan/collector/demo"
	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// Options sizes a synthetic snapshot.
type Options struct {
	// Users is the total number of users, spread over the demo pools.
	Users int
	// Seed picks the users; the same seed gives the same snapshot.
	Seed uint64
}

// poolShare is the fraction of all users each demo pool holds, by pool id;
// pools not listed hold none. One large consumer pool dominates, as in most
// accounts.
var poolShare = map[string]float64{
	"us-east-1_DemoCust1": 0.50,
	"us-east-1_DemoLeg3":  0.15,
	"eu-west-1_DemoShop6": 0.10,
	"eu-west-2_DemoShop8": 0.08,
	"us-east-1_DemoPart4": 0.05,
	"us-east-1_DemoFld5":  0.04,
	"us-east-1_DemoStaf2": 0.03,
	"eu-west-2_DemoClin7": 0.03,
	"us-east-1_DemoNews9": 0.02,
}

// Write streams a synthetic snapshot of opts.Users users to w.
func Write(w io.Writer, opts Options) error {
	if opts.Users < 0 {
		return fmt.Errorf("synth: negative user count %d", opts.Users)
	}
	world := demo.Snapshot()
	counts := split(world, opts.Users)
	g := &generator{rng: rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15)), takenAt: world.TakenAt}

	sw := snapshot.NewWriter(w)
	if err := sw.Begin(world.Header); err != nil {
		return err
	}
	for _, a := range world.Accounts {
		if err := sw.BeginAccount(a.ID, a.Identity); err != nil {
			return err
		}
		for _, r := range a.Regions {
			pools := r.Pools
			r.Pools = nil
			if err := sw.BeginRegion(r); err != nil {
				return err
			}
			for _, p := range pools {
				if err := g.pool(sw, &r, p.PoolSettings, counts[p.ID]); err != nil {
					return err
				}
			}
			if err := sw.EndRegion(); err != nil {
				return err
			}
		}
		if err := sw.EndAccount(); err != nil {
			return err
		}
	}
	return sw.Close()
}

// split shares n users out among the pools by poolShare, exactly: the
// remainder goes to the pools with the largest fractional parts.
func split(s *snapshot.Snapshot, n int) map[string]int {
	counts := map[string]int{}
	left := n
	var ids []string
	for _, a := range s.Accounts {
		for _, r := range a.Regions {
			for _, p := range r.Pools {
				c := int(float64(n) * poolShare[p.ID])
				counts[p.ID] = c
				left -= c
				if poolShare[p.ID] > 0 {
					ids = append(ids, p.ID)
				}
			}
		}
	}
	for i := 0; left > 0 && len(ids) > 0; i++ {
		counts[ids[i%len(ids)]]++
		left--
	}
	return counts
}

type generator struct {
	rng     *rand.Rand
	takenAt time.Time
	next    int
	u       snapshot.User
}

func (g *generator) pool(sw *snapshot.Writer, r *snapshot.Region, p snapshot.PoolSettings, n int) error {
	p.EstimatedUsers = int64(n)
	if err := sw.BeginPool(p); err != nil {
		return err
	}
	sandbox := false
	for _, s := range r.SMS {
		if s.Region == p.SMS.Region {
			sandbox = s.Sandbox.InSandbox
		}
	}
	for range n {
		g.user(&p, sandbox)
		if err := sw.WriteUser(&g.u); err != nil {
			return err
		}
	}
	return sw.EndPool(snapshot.Source{Status: snapshot.SourceOK, Action: "cognito-idp:ListUsers"}, int64(n))
}

// weighted picks an index with probability proportional to its weight.
func (g *generator) weighted(weights []float64) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	x := g.rng.Float64() * total
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

func (g *generator) chance(p float64) bool { return g.rng.Float64() < p }

// either is a if cond holds, else b.
func either(cond bool, a, b float64) float64 {
	if cond {
		return a
	}
	return b
}

var (
	statuses      = []string{snapshot.StatusConfirmed, snapshot.StatusUnconfirmed, snapshot.StatusForceChangePassword, snapshot.StatusExternalProvider, snapshot.StatusResetRequired, "COMPROMISED", "ARCHIVED"}
	statusWeights = []float64{88, 5, 3, 2, 1, 0.6, 0.4}

	// Calling code and ISO country of synthetic phone numbers.
	countries      = [][2]string{{"1", "US"}, {"44", "GB"}, {"49", "DE"}, {"91", "IN"}, {"55", "BR"}, {"33", "FR"}, {"81", "JP"}, {"61", "AU"}}
	countryWeights = []float64{40, 15, 10, 10, 8, 7, 5, 5}

	// Masked forms only: the snapshot never holds an address.
	maskedDomains = []string{"e***.com", "m***.net", "p***.org", "s***.co.uk"}
)

// user fills g.u with the next synthetic user of pool p.
func (g *generator) user(p *snapshot.PoolSettings, smsSandbox bool) {
	g.next++
	u := &g.u
	*u = snapshot.User{
		Username: fmt.Sprintf("user-%08d", g.next),
		Sub:      g.uuid(),
		Status:   statuses[g.weighted(statusWeights)],
		Enabled:  g.chance(0.98),
	}
	// Spread over three years; temporary passwords are recent.
	age := time.Duration(g.rng.Int64N(int64(3 * 365 * 24 * time.Hour)))
	u.CreatedAt = g.takenAt.Add(-age).Truncate(time.Second)
	since := time.Duration(g.rng.Int64N(int64(age) + 1))
	if u.Status == snapshot.StatusForceChangePassword {
		since = time.Duration(g.rng.Int64N(int64(30 * 24 * time.Hour)))
	}
	u.LastModifiedAt = g.takenAt.Add(-since).Truncate(time.Second)
	if u.LastModifiedAt.Before(u.CreatedAt) {
		u.LastModifiedAt = u.CreatedAt
	}

	confirmed := u.Status == snapshot.StatusConfirmed
	phoneFirst := len(p.AccountRecovery.Mechanisms) > 0 && p.AccountRecovery.Mechanisms[0].Name == snapshot.MechanismPhone
	if g.chance(either(phoneFirst, 0.45, 0.93)) {
		u.Email = snapshot.Email{
			Present:  true,
			Verified: g.chance(either(confirmed, 0.9, 0.3)),
			Masked:   string(rune('a'+g.rng.IntN(26))) + "***@" + maskedDomains[g.rng.IntN(len(maskedDomains))],
		}
		if g.chance(0.005) {
			u.Email.Suppressed = true
			u.Email.SuppressionReason = []string{"BOUNCE", "COMPLAINT"}[g.rng.IntN(2)]
		}
	}
	if g.chance(either(phoneFirst, 0.9, 0.3)) {
		c := countries[g.weighted(countryWeights)]
		u.Phone = snapshot.Phone{
			Present:     true,
			Verified:    g.chance(either(confirmed, 0.85, 0.4)),
			Masked:      fmt.Sprintf("+*******%04d", g.rng.IntN(10000)),
			CallingCode: c[0],
			Country:     c[1],
			OptedOut:    g.chance(0.003),
		}
		u.Phone.SandboxVerified = smsSandbox && g.chance(0.01)
	}

	u.MFA.Read.Action = "cognito-idp:AdminGetUser"
	if p.MFA.Configuration == "" || p.MFA.Configuration == "OFF" {
		u.MFA.Read.Status = snapshot.SourceNotApplicable
		return
	}
	// Pools with MFA were scanned with --with-mfa.
	u.MFA.Read.Status = snapshot.SourceOK
	switch x := g.rng.Float64(); {
	case x < 0.2:
		u.MFA.Methods = []string{snapshot.MFATOTP}
	case x < 0.27 && u.Phone.Verified:
		u.MFA.Methods = []string{snapshot.MFASMS}
	case x < 0.30 && u.Email.Verified:
		u.MFA.Methods = []string{snapshot.MFAEmail}
	}
	if len(u.MFA.Methods) > 0 {
		u.MFA.Preferred = u.MFA.Methods[0]
	}
}

// uuid returns a random version 4 UUID from the generator's source.
func (g *generator) uuid() string {
	const hex = "0123456789abcdef"
	var b [36]byte
	hi, lo := g.rng.Uint64(), g.rng.Uint64()
	for i, j := 0, 0; i < len(b); i++ {
		switch i {
		case 8, 13, 18, 23:
			b[i] = '-'
			continue
		}
		var nib uint64
		if j < 16 {
			nib = hi >> (60 - 4*j) & 0xf
		} else {
			nib = lo >> (60 - 4*(j-16)) & 0xf
		}
		switch i {
		case 14:
			nib = 4
		case 19:
			nib = 8 | nib&3
		}
		b[i] = hex[nib]
		j++
	}
	return string(b[:])
}
