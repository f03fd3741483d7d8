package snapshot

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// MaskEmail masks an address the way Cognito shows a CodeDeliveryDetails
// destination: the first character of the local part and of the domain
// name, then "***", keeping the top-level domain ("j***@e***.com").
func MaskEmail(addr string) string {
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

// MaskPhone masks a number as Cognito does: the plus sign, a star for every
// digit but the last four, then those four ("+*******1234").
func MaskPhone(num string) string {
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

// ContactShaped says whether a username is contact data: "email" for one
// shaped like an email address (text@domain), "phone" for one shaped like a
// phone number (a plus sign and 7 to 15 digits, or 10 to 15 digits, with
// nothing but spaces, dots, dashes and brackets between them), else "".
// Pools without username attributes let users pick such usernames.
func ContactShaped(username string) string {
	s := strings.TrimSpace(username)
	if local, domain, ok := strings.Cut(s, "@"); ok && local != "" && domain != "" {
		return "email"
	}
	plus := strings.HasPrefix(s, "+")
	n := 0
	for _, r := range strings.TrimPrefix(s, "+") {
		switch {
		case r >= '0' && r <= '9':
			n++
		case strings.ContainsRune(" .-()", r):
		default:
			return ""
		}
	}
	if n <= 15 && (plus && n >= 7 || n >= 10) {
		return "phone"
	}
	return ""
}

// UsernameDigest is the keyed hash by which a masked username is found
// again: HMAC-SHA256 of the lower-cased username keyed with the user's sub,
// so the same name hashes differently for every user and no table of
// addresses can be matched against a snapshot at once.
func UsernameDigest(sub, username string) string {
	m := hmac.New(sha256.New, []byte("recoverscan username\x00"+sub))
	m.Write([]byte(strings.ToLower(strings.TrimSpace(username))))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// MaskContactUsername replaces a contact-shaped username with its masked
// form (as Cognito masks the address or number) and keeps its digest, so
// that no email address or phone number is stored as a username.
func (u *User) MaskContactUsername() {
	if u.UsernameMasked {
		return
	}
	var masked string
	switch ContactShaped(u.Username) {
	case "email":
		masked = MaskEmail(u.Username)
	case "phone":
		masked = MaskPhone(u.Username)
	default:
		return
	}
	u.UsernameDigest = UsernameDigest(u.Sub, u.Username)
	u.Username, u.UsernameMasked = masked, true
}

// HasUsername reports whether name is the user's username: as stored, or,
// for a masked username, the name whose digest was kept.
func (u *User) HasUsername(name string) bool {
	if u.Username == name {
		return true
	}
	return u.UsernameMasked && u.UsernameDigest != "" &&
		hmac.Equal([]byte(u.UsernameDigest), []byte(UsernameDigest(u.Sub, name)))
}

// CommandUsername is the Username to put in an AWS CLI command for the
// user: the sub, which Cognito accepts as Username, when the username is
// masked.
func (u *User) CommandUsername() string {
	if u.UsernameMasked && u.Sub != "" {
		return u.Sub
	}
	return u.Username
}
