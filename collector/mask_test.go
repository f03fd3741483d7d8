package collector

import "testing"

func TestMaskEmail(t *testing.T) {
	for in, want := range map[string]string{
		"jane.doe@example.com":   "j***@e***.com",
		"a@b.co":                 "a***@b***.co",
		"Bob@mail.example.co.uk": "B***@m***.uk",
		"ünïcode@exämple.de":     "ü***@e***.de",
		"nodomain@localhost":     "n***@l***",
		"  padded@example.org  ": "p***@e***.org",
		"not-an-address":         "***",
		"@example.com":           "***",
		"user@":                  "***",
	} {
		if got := maskEmail(in); got != want {
			t.Errorf("maskEmail(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskPhone(t *testing.T) {
	for in, want := range map[string]string{
		"+14155550123":      "+*******0123",
		"+447700900123":     "+********0123",
		"+1234":             "+****",
		"+12":               "+**",
		"+1 (415) 555-0123": "+*******0123",
	} {
		if got := maskPhone(in); got != want {
			t.Errorf("maskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPhoneCountry(t *testing.T) {
	for _, tc := range []struct{ in, code, country string }{
		{"+14155550123", "1", "US"},
		{"+15555550123", "1", "US"},
		{"+18005550123", "1", "US"}, // toll-free
		{"+16045550123", "1", "CA"},
		{"+14165550123", "1", "CA"},
		{"+18765550123", "1", "JM"},
		{"+17875550123", "1", "PR"},
		{"+12425550123", "1", "BS"},
		{"+447700900123", "44", "GB"},
		{"+4915112345678", "49", "DE"},
		{"+33612345678", "33", "FR"},
		{"+79161234567", "7", "RU"},
		{"+77011234567", "7", "KZ"},
		{"+353871234567", "353", "IE"},
		{"+97150123456", "971", "AE"},
		{"+8613812345678", "86", "CN"},
		{"+919812345678", "91", "IN"},
		{"+61412345678", "61", "AU"},
		{"+5511912345678", "55", "BR"},
		{"+2348031234567", "234", "NG"},
		{"+8521234567", "852", "HK"},
		{"+999123456", "", ""},
		{"", "", ""},
	} {
		code, country := phoneCountry(tc.in)
		if code != tc.code || country != tc.country {
			t.Errorf("phoneCountry(%q) = %q, %q, want %q, %q", tc.in, code, country, tc.code, tc.country)
		}
	}
}

// Calling codes are prefix free; a table entry that is a prefix of another
// would shadow it.
func TestCallingCodesPrefixFree(t *testing.T) {
	for a := range callingCodes {
		for b := range callingCodes {
			if a != b && len(a) < len(b) && b[:len(a)] == a {
				t.Errorf("calling code %s is a prefix of %s", a, b)
			}
		}
	}
}
