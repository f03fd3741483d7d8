package collector

import "strings"

// maskEmail masks an address the way Cognito shows a CodeDeliveryDetails
// destination: the first character of the local part and of the domain
// name, then "***", keeping the top-level domain ("j***@e***.com").
func maskEmail(addr string) string {
	local, domain, found := strings.Cut(strings.TrimSpace(addr), "@")
	if !found || local == "" || domain == "" {
		return "***"
	}
	out := firstRune(local) + "***@"
	name, tld := domain, ""
	if i := strings.LastIndexByte(domain, '.'); i > 0 && i < len(domain)-1 {
		name, tld = domain[:i], domain[i:]
	}
	return out + firstRune(name) + "***" + tld
}

// maskPhone masks a number as Cognito does: the plus sign, a star for every
// digit but the last four, then those four ("+*******1234").
func maskPhone(num string) string {
	d := digits(num)
	if len(d) <= 4 {
		return "+" + strings.Repeat("*", len(d))
	}
	return "+" + strings.Repeat("*", len(d)-4) + d[len(d)-4:]
}

func firstRune(s string) string {
	for _, r := range s {
		return string(r)
	}
	return ""
}

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
