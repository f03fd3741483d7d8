package main

import (
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/recoverscan/recoverscan/output"
)

func newCompletionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print a shell completion script",
		Long: `Completion prints the script that makes your shell complete recoverscan's
commands, flags and flag values. Load it once per session, or install it where
your shell looks for completions:

  bash        source <(recoverscan completion bash)
              recoverscan completion bash > /etc/bash_completion.d/recoverscan
              (needs the bash-completion package)
  zsh         recoverscan completion zsh > "${fpath[1]}/_recoverscan"
              (with compinit enabled: autoload -U compinit; compinit)
  fish        recoverscan completion fish > ~/.config/fish/completions/recoverscan.fish
  powershell  recoverscan completion powershell | Out-String | Invoke-Expression`,
		Example: `  source <(recoverscan completion bash)
  recoverscan completion zsh > "${fpath[1]}/_recoverscan"`,
		ValidArgs:             []string{"bash", "zsh", "fish", "powershell"},
		DisableFlagsInUseLine: true,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return &flagError{fmt.Errorf("completion takes one shell: bash, zsh, fish or powershell; got %d arguments", len(args))}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			root, out := cmd.Root(), cmd.OutOrStdout()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(out, true)
			case "zsh":
				return root.GenZshCompletion(out)
			case "fish":
				return root.GenFishCompletion(out, true)
			case "powershell":
				return root.GenPowerShellCompletionWithDesc(out)
			}
			return &flagError{fmt.Errorf("completion %q: want bash, zsh, fish or powershell", args[0])}
		},
	}
}

// completeFlagValues registers what the shell offers for flag values on cmd
// and every command below it: the fixed sets of values, and directories for
// rule directories (other values complete as file names).
func completeFlagValues(cmd *cobra.Command) {
	severities := []string{"critical", "high", "medium", "low"}
	fixed := map[string][]string{
		"fail-on":   append(append([]string{}, severities...), "none"),
		"severity":  severities,
		"log-level": {"debug", "info", "warn", "error"},
		"kind":      {"user", "pool", "client", "sms", "email"},
		"per":       {"account-region", "account"},
	}
	// --format's values differ by command; table and json where not listed.
	formats := map[string][]string{
		"scan":     output.Formats(),
		"demo":     output.Formats(),
		"rules":    {"table", "json", "markdown"},
		"version":  {"text", "json"},
		"accounts": {"table", "json", "github-matrix"},
	}
	own := cmd.LocalNonPersistentFlags()
	cmd.PersistentFlags().VisitAll(func(f *pflag.Flag) { own.AddFlag(f) })
	own.VisitAll(func(f *pflag.Flag) {
		var values []string
		switch {
		case f.Name == "format":
			if values = formats[cmd.Name()]; values == nil {
				values = []string{"table", "json"}
			}
		case fixed[f.Name] != nil:
			values = fixed[f.Name]
		case f.Name == "policy" || f.Name == "dir":
			_ = cmd.MarkFlagDirname(f.Name)
			return
		default:
			return
		}
		_ = cmd.RegisterFlagCompletionFunc(f.Name, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
	})
	for _, c := range cmd.Commands() {
		completeFlagValues(c)
	}
}
