package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// envPrefix starts the environment variable that sets a flag:
// --fail-on is RECOVERSCAN_FAIL_ON. A flag on the command line wins.
const envPrefix = "RECOVERSCAN_"

// envName is the environment variable for the flag called name.
func envName(name string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// applyEnv sets every flag of cmd that the command line left alone from its
// RECOVERSCAN_<FLAG> variable, if set and not empty. A repeatable flag takes a
// comma-separated list there. A value the flag rejects is a usage error that
// names the variable.
func applyEnv(cmd *cobra.Command) error {
	var err error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if err != nil || f.Changed || f.Name == "help" || f.Name == "version" {
			return
		}
		v := os.Getenv(envName(f.Name))
		if v == "" {
			return
		}
		if serr := cmd.Flags().Set(f.Name, v); serr != nil {
			err = &flagError{fmt.Errorf("$%s: invalid value %q for --%s: %w", envName(f.Name), v, f.Name, serr)}
			return
		}
		_ = cmd.Flags().SetAnnotation(f.Name, envAnnotation, []string{envName(f.Name)})
	})
	return err
}

// envAnnotation marks a flag that applyEnv set.
const envAnnotation = "recoverscan_env"

// fromEnv names the variables that set flags an error message mentions, so
// that a bad value from the environment can be found.
func fromEnv(cmd *cobra.Command, msg string) []string {
	var names []string
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if env := f.Annotations[envAnnotation]; env != nil && strings.Contains(msg, "--"+f.Name) {
			names = append(names, "--"+f.Name+" was set from $"+env[0])
		}
	})
	return names
}

// envHelp is the note every command's help ends with.
const envHelp = `
Every flag can also be set from the environment as RECOVERSCAN_<FLAG>, upper
case with dashes as underscores (RECOVERSCAN_FAIL_ON=high for --fail-on high,
RECOVERSCAN_REGION=us-east-1,eu-west-1); a flag on the command line wins.`
