package collector

import "testing"

func TestParseRateLimits(t *testing.T) {
	got, err := ParseRateLimits(" ListUsers=20, poolread = 7.5 ")
	if err != nil {
		t.Fatal(err)
	}
	if want := (RateLimits{ListUsers: 20, PoolRead: 7.5}); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	for _, bad := range []string{"ListUsers", "ListUsers=", "ListUsers=0", "ListUsers=-1", "ListUsers=NaN",
		"ListUsers=Inf", "ListUsers=fast", "Users=5", "ListUsers=5,", ""} {
		if l, err := ParseRateLimits(bad); err == nil {
			t.Errorf("ParseRateLimits(%q) = %+v, want an error", bad, l)
		}
	}
}

func TestRateLimitsEnv(t *testing.T) {
	t.Setenv(RateLimitsEnv, "ListUsers=25,Messaging=2")
	got := RateLimits{PoolRead: 3}.withDefaults()
	want := DefaultRateLimits
	want.ListUsers, want.Messaging, want.PoolRead = 25, 2, 3 // Options win over the environment
	if got != want {
		t.Errorf("with $%s: got %+v, want %+v", RateLimitsEnv, got, want)
	}

	t.Setenv(RateLimitsEnv, "ListUsers=lots")
	if _, err := RateLimitsFromEnv(); err == nil {
		t.Errorf("RateLimitsFromEnv accepted a malformed value")
	}
	if got := (RateLimits{}).withDefaults(); got != DefaultRateLimits {
		t.Errorf("malformed $%s: got %+v, want the defaults", RateLimitsEnv, got)
	}

	t.Setenv(RateLimitsEnv, "")
	if got := (RateLimits{}).withDefaults(); got != DefaultRateLimits {
		t.Errorf("no $%s: got %+v, want the defaults", RateLimitsEnv, got)
	}
}
