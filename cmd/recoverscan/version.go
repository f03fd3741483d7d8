package main

import (
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	opaversion "github.com/open-policy-agent/opa/v1/version"
	"github.com/spf13/cobra"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// Set at link time by release builds (see .goreleaser.yaml):
//
//	-ldflags "-X main.buildVersion=1.2.3 -X main.buildCommit=<sha> -X main.buildDate=<RFC 3339>"
var (
	buildVersion = ""
	buildCommit  = ""
	buildDate    = ""
)

// buildInfo describes this binary: where it came from and what it reads.
type buildInfo struct {
	Version        string `json:"version"`
	Commit         string `json:"commit,omitempty"`
	Date           string `json:"date,omitempty"`
	Modified       bool   `json:"modified,omitempty"`
	GoVersion      string `json:"go"`
	Platform       string `json:"platform"`
	OPAVersion     string `json:"opa"`
	SnapshotSchema int    `json:"snapshot_schema_version"`
}

// readBuildInfo combines what the linker set with what the Go toolchain
// recorded: a release build has all three link-time values; a `go install
// …@v1.2.3` build has the module version; a build in a git checkout has the
// VCS revision and time.
func readBuildInfo() buildInfo {
	b := buildInfo{
		Version:        strings.TrimPrefix(buildVersion, "v"),
		Commit:         buildCommit,
		Date:           buildDate,
		GoVersion:      runtime.Version(),
		Platform:       runtime.GOOS + "/" + runtime.GOARCH,
		OPAVersion:     opaversion.Version,
		SnapshotSchema: snapshot.SchemaVersion,
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if b.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			b.Version = strings.TrimPrefix(bi.Main.Version, "v")
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if b.Commit == "" {
					b.Commit = s.Value
				}
			case "vcs.time":
				if b.Date == "" {
					b.Date = s.Value
				}
			case "vcs.modified":
				b.Modified = s.Value == "true" && buildCommit == ""
			}
		}
	}
	if b.Version == "" {
		b.Version = "dev"
	}
	return b
}

// version is the tool's version, as reports and snapshots record it.
func version() string { return readBuildInfo().Version }

// String is the one-line form `recoverscan --version` prints.
func (b buildInfo) String() string {
	var extra []string
	if b.Commit != "" {
		c := b.Commit
		if len(c) > 12 {
			c = c[:12]
		}
		if b.Modified {
			c += "-dirty"
		}
		extra = append(extra, "commit "+c)
	}
	if b.Date != "" {
		extra = append(extra, "built "+b.Date)
	}
	extra = append(extra, b.GoVersion, b.Platform)
	return fmt.Sprintf("recoverscan %s (%s)", b.Version, strings.Join(extra, ", "))
}

func newVersionCommand() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit, build date and the versions of what it is built with",
		Long: `Version prints the recoverscan version with the commit and date it was built
from. With --format json it also gives the Go and OPA versions and the snapshot
schema version this build reads and writes.`,
		Example: `  recoverscan version
  recoverscan version --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			b := readBuildInfo()
			switch format {
			case "text":
				_, err := fmt.Fprintln(cmd.OutOrStdout(), b.String())
				return err
			case "json":
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(b)
			default:
				return &flagError{fmt.Errorf("--format %q: want text or json", format)}
			}
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "text or json")
	return cmd
}
