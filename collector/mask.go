package collector

import (
	"strings"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// maskEmail and maskPhone mask contact data as Cognito does (see
// snapshot.MaskEmail and snapshot.MaskPhone).
func maskEmail(addr string) string { return snapshot.MaskEmail(addr) }

func maskPhone(num string) string { return snapshot.MaskPhone(num) }

// digits returns the ASCII digits of s.
func digits(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
