// Command pulumi-language-nodejs is a Node.js language host for the Pulumi engine.
//
// Pulumi's own host lives in a module that the Go module proxy serves only by a commit
// pseudo-version, and no source reachable from this machine names the commit of a release
// (see README, "Offline toolchain"). This host implements the part of the LanguageRuntime
// protocol that `pulumi preview/up/refresh/destroy` and the Automation API use: it reports the
// resource packages found in node_modules and runs the program through the same
// `@pulumi/pulumi/cmd/run` entry point, with the same flags and environment, as the upstream host.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// exitCodeAfterUserActionableMessage is what @pulumi/pulumi/cmd/run exits with once it has
// already reported the error to the engine; the engine must then not report it again.
const exitCodeAfterUserActionableMessage = 32

type nodeLanguageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
}

// parentPollInterval is how often the host checks that the engine that started it still runs.
const parentPollInterval = time.Second

func main() {
	exitWithParent(os.Getppid(), os.Getppid, parentPollInterval, func() { os.Exit(1) })
	host := &nodeLanguageHost{}
	if args := os.Args[1:]; len(args) > 0 {
		// The engine passes its address as the last positional argument.
		host.engineAddress = args[len(args)-1]
	}

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "fatal: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "fatal: %v\n", err)
		os.Exit(1)
	}
}

// exitWithParent ends the host once the engine that started it is gone (its parent changes: it
// was re-parented). A killed engine cannot stop its plugins, and an orphaned host would wait for
// calls forever.
func exitWithParent(parent int, currentParent func() int, every time.Duration, exit func()) {
	go func() {
		for range time.Tick(every) {
			if currentParent() != parent {
				exit()
				return
			}
		}
	}()
}

func (host *nodeLanguageHost) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	host.engineAddress = req.GetEngineAddress()
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (host *nodeLanguageHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: strings.TrimPrefix(version.Version, "v")}, nil
}

func (host *nodeLanguageHost) GetRequiredPackages(
	_ context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	packages, err := resourcePackages(req.GetInfo().GetProgramDirectory())
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: packages}, nil
}

func (host *nodeLanguageHost) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, errors.New("could not find `node` on PATH: install Node.js 20 or later")
	}
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("running `node --version`: %w", err)
	}
	return &pulumirpc.AboutResponse{
		Executable: node,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "v"),
	}, nil
}

func (host *nodeLanguageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	programDir := info.GetProgramDirectory()
	runScript, err := findPulumiCommand(programDir, "run")
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	options := runtimeOptions(info)

	args := append(splitNodeArgs(options["nodeargs"]), runScript)
	args = append(args, runFlags(req, host.engineAddress)...)
	args = append(args, programPath(req))

	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir = req.GetPwd()
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	cmd.Env, err = programEnvironment(req, options)
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not start node: %v", err)}, nil
	}
	stopForwarding := forwardSignals(cmd.Process)
	defer stopForwarding()

	var exitErr *exec.ExitError
	switch err := cmd.Wait(); {
	case err == nil:
		return &pulumirpc.RunResponse{}, nil
	case errors.As(err, &exitErr) && exitErr.ExitCode() == exitCodeAfterUserActionableMessage:
		return &pulumirpc.RunResponse{Bail: true}, nil
	case errors.As(err, &exitErr):
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
		}, nil
	default:
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
}

// runFlags are the flags @pulumi/pulumi/cmd/run understands (see its usage text).
func runFlags(req *pulumirpc.RunRequest, engineAddress string) []string {
	flags := []string{
		"--monitor=" + req.GetMonitorAddress(),
		"--organization=" + req.GetOrganization(),
		"--project=" + req.GetProject(),
		"--stack=" + req.GetStack(),
		"--pwd=" + req.GetPwd(),
		"--root-directory=" + req.GetInfo().GetRootDirectory(),
	}
	if engineAddress != "" {
		flags = append(flags, "--engine="+engineAddress)
	}
	if req.GetDryRun() {
		flags = append(flags, "--dry-run")
	}
	if req.GetParallel() > 0 {
		flags = append(flags, "--parallel="+strconv.Itoa(int(req.GetParallel())))
	}
	return flags
}

func programPath(req *pulumirpc.RunRequest) string {
	info := req.GetInfo()
	if info.GetEntryPoint() != "" {
		return filepath.Join(info.GetProgramDirectory(), info.GetEntryPoint())
	}
	return req.GetProgram()
}

// programEnvironment passes config the way the Node.js SDK reads it (runtime/config.ts).
func programEnvironment(req *pulumirpc.RunRequest, options map[string]string) ([]string, error) {
	config, err := json.Marshal(req.GetConfig())
	if err != nil {
		return nil, fmt.Errorf("encoding config: %w", err)
	}
	secretKeys, err := json.Marshal(req.GetConfigSecretKeys())
	if err != nil {
		return nil, fmt.Errorf("encoding secret config keys: %w", err)
	}
	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys),
	)
	if options["typescript"] != "false" {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if tsconfig := options["tsconfig"]; tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+tsconfig)
	}
	return env, nil
}

// runtimeOptions flattens Pulumi.yaml `runtime.options` to strings; booleans become "true"/"false".
func runtimeOptions(info *pulumirpc.ProgramInfo) map[string]string {
	options := map[string]string{}
	for key, value := range info.GetOptions().AsMap() {
		options[key] = fmt.Sprint(value)
	}
	return options
}

func splitNodeArgs(nodeargs string) []string {
	return strings.Fields(nodeargs)
}

// findPulumiCommand resolves one of @pulumi/pulumi's entry points (cmd/run, cmd/run-plugin) from the
// program directory upwards, as Node's require does.
func findPulumiCommand(programDir string, command string) (string, error) {
	for dir := programDir; ; dir = filepath.Dir(dir) {
		candidate := filepath.Join(dir, "node_modules", "@pulumi", "pulumi", "cmd", command)
		if _, err := os.Stat(filepath.Join(candidate, "index.js")); err == nil {
			return candidate, nil
		}
		if filepath.Dir(dir) == dir {
			return "", fmt.Errorf(
				"could not find @pulumi/pulumi in node_modules above %s: run `npm ci` first", programDir)
		}
	}
}

func forwardSignals(process *os.Process) (stop func()) {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case sig := <-signals:
				_ = process.Signal(sig)
			case <-done:
				return
			}
		}
	}()
	return func() {
		signal.Stop(signals)
		close(done)
	}
}
