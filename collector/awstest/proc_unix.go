//go:build unix

package awstest

import (
	"os/exec"
	"syscall"
)

// moto_server is often a pyenv or venv shim that starts Python as a child:
// run it in its own process group and stop the whole group.
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

func killProcessGroup(cmd *exec.Cmd) {
	if cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
