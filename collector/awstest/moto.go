// Package awstest helps tests run recoverscan against an emulated AWS:
// it starts moto_server, seeds a world of Cognito pools and users through
// the AWS SDK, and serves the operations moto lacks from a stand-in that
// speaks the real AWS wire format.
//
// All fixture data is synthetic (example.com / example.net addresses,
// +1 555 and +44 7700 900 numbers).
package awstest

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// MotoBinary is the emulator StartMoto runs, looked up on PATH.
const MotoBinary = "moto_server"

// StartMoto starts moto_server on a free loopback port and returns its
// endpoint URL; the server is stopped when the test ends. Without
// moto_server on PATH the test is skipped, or fails when CI=true, because
// CI must run these tests.
func StartMoto(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath(MotoBinary)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not found on PATH (required in CI): %v", MotoBinary, err)
		}
		t.Skipf("%s not found on PATH: %v", MotoBinary, err)
	}
	port := freePort(t)
	out := &syncBuffer{}
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	cmd.Stdout, cmd.Stderr = out, out
	setProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", MotoBinary, err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		killProcessGroup(cmd)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			t.Logf("%s did not exit", MotoBinary)
		}
	})

	endpoint := fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(60 * time.Second)
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		resp, err := client.Get(endpoint + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			return endpoint
		}
		select {
		case <-exited:
			t.Fatalf("%s exited before it was ready:\n%s", MotoBinary, out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not ready after 60s: %v\n%s", MotoBinary, err, out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// syncBuffer collects the emulator's output for failure messages.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.b.Len() > 1<<20 {
		return len(p), nil // enough to diagnose; do not grow without bound
	}
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Config returns an AWS config for endpoint with dummy credentials, in
// region, making at most maxAttempts attempts per request (0: SDK default).
// It is for seeding; code under test should load its config the way the
// CLI does.
func Config(ctx context.Context, endpoint, region string, maxAttempts int) (aws.Config, error) {
	opts := []func(*config.LoadOptions) error{
		config.WithRegion(region),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("testing", "testing", "")),
		config.WithBaseEndpoint(endpoint),
	}
	if maxAttempts > 0 {
		opts = append(opts, config.WithRetryMaxAttempts(maxAttempts))
	}
	return config.LoadDefaultConfig(ctx, opts...)
}
