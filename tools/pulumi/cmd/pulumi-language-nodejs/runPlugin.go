package main

import (
	"errors"
	"fmt"
	"io"
	"os/exec"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// RunPlugin runs a plugin written in Node.js: what `pulumi preview --policy-pack DIR` asks for a
// CrossGuard policy pack (a directory with PulumiPolicy.yaml). @pulumi/pulumi/cmd/run-plugin loads the
// directory's program, which serves the plugin's gRPC interface and prints its port; the process's
// output is streamed back to the engine, which reads the port from it.
func (host *nodeLanguageHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer,
) error {
	programDir := req.GetInfo().GetProgramDirectory()
	runScript, err := findPulumiCommand(programDir, "run-plugin")
	if err != nil {
		return err
	}
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	options := runtimeOptions(req.GetInfo())
	cmd := exec.CommandContext(server.Context(), "node", pluginArgs(runScript, programDir, options, req.GetArgs())...)
	cmd.Dir = pluginWorkingDirectory(req)
	cmd.Env = pluginEnvironment(req.GetEnv(), options)
	// Wrapped: node may make the streams it is handed non-blocking, which Go's writes then trip over.
	cmd.Stdout, cmd.Stderr = struct{ io.Writer }{stdout}, struct{ io.Writer }{stderr}
	var exitErr *exec.ExitError
	if err := cmd.Run(); errors.As(err, &exitErr) {
		return fmt.Errorf("plugin %s exited with code %d", programDir, exitErr.ExitCode())
	} else if err != nil {
		return fmt.Errorf("could not run node for plugin %s: %w", programDir, err)
	}
	return closer.Close()
}

// pluginWorkingDirectory: a policy pack runs in its own directory, as the pulumi-analyzer-policy shim
// ran it and as @pulumi/policy expects (it reads its version from ./package.json); other plugins in
// the directory the engine names.
func pluginWorkingDirectory(req *pulumirpc.RunPluginRequest) string {
	if req.GetKind() == "analyzer" {
		return req.GetInfo().GetProgramDirectory()
	}
	return req.GetPwd()
}

// pluginArgs: node's own flags (runtime option nodeargs), the run-plugin script, the plugin's
// directory, then the engine's arguments (its address).
func pluginArgs(runScript, programDir string, options map[string]string, engineArgs []string) []string {
	args := append(splitNodeArgs(options["nodeargs"]), runScript, programDir)
	return append(args, engineArgs...)
}

// pluginEnvironment is the environment the engine gives the plugin, with the TypeScript switch of
// the plugin's runtime options, as for a program.
func pluginEnvironment(engineEnv []string, options map[string]string) []string {
	env := append([]string{}, engineEnv...)
	if options["typescript"] != "false" {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	return env
}
