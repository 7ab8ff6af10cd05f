package main

import (
	"encoding/json"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"
)

func runRequest(t *testing.T, options map[string]any) *pulumirpc.RunRequest {
	t.Helper()
	opts, err := structpb.NewStruct(options)
	if err != nil {
		t.Fatal(err)
	}
	return &pulumirpc.RunRequest{
		Project: "talentbase-iam", Stack: "local", Pwd: "/work/project", Organization: "organization",
		MonitorAddress: "127.0.0.1:4000", DryRun: true, Parallel: 16,
		Config:           map[string]string{"aws:region": "us-east-1"},
		ConfigSecretKeys: []string{"talentbase-iam:token"},
		Info: &pulumirpc.ProgramInfo{
			RootDirectory: "/work/project", ProgramDirectory: "/work/project", EntryPoint: "infra/index.ts", Options: opts,
		},
	}
}

func TestRunFlagsMatchTheRunScriptsUsage(t *testing.T) {
	flags := runFlags(runRequest(t, nil), "127.0.0.1:5000")
	for _, want := range []string{
		"--monitor=127.0.0.1:4000", "--engine=127.0.0.1:5000", "--project=talentbase-iam", "--stack=local",
		"--organization=organization", "--pwd=/work/project", "--root-directory=/work/project", "--dry-run", "--parallel=16",
	} {
		if !slices.Contains(flags, want) {
			t.Errorf("flags %v lack %s", flags, want)
		}
	}
	update := runRequest(t, nil)
	update.DryRun = false
	if slices.Contains(runFlags(update, ""), "--dry-run") {
		t.Error("an update must not pass --dry-run")
	}
}

func TestProgramPathJoinsTheEntryPoint(t *testing.T) {
	if got := programPath(runRequest(t, nil)); got != "/work/project/infra/index.ts" {
		t.Fatalf("programPath = %s", got)
	}
}

func TestProgramEnvironmentPassesConfigAsTheSDKReadsIt(t *testing.T) {
	req := runRequest(t, map[string]any{"typescript": false, "nodeargs": "--import tsx"})
	env, err := programEnvironment(req, runtimeOptions(req.GetInfo()))
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]string{}
	for _, entry := range env {
		key, value, _ := strings.Cut(entry, "=")
		values[key] = value
	}
	var config map[string]string
	if err := json.Unmarshal([]byte(values["PULUMI_CONFIG"]), &config); err != nil || config["aws:region"] != "us-east-1" {
		t.Errorf("PULUMI_CONFIG = %q", values["PULUMI_CONFIG"])
	}
	if values["PULUMI_CONFIG_SECRET_KEYS"] != `["talentbase-iam:token"]` {
		t.Errorf("PULUMI_CONFIG_SECRET_KEYS = %q", values["PULUMI_CONFIG_SECRET_KEYS"])
	}
	if _, set := values["PULUMI_NODEJS_TYPESCRIPT"]; set {
		t.Error("typescript: false must not turn on the SDK's ts-node")
	}
}

func TestNodeArgsComeFromTheRuntimeOptions(t *testing.T) {
	req := runRequest(t, map[string]any{"nodeargs": "--import tsx --max-old-space-size=4096"})
	got := splitNodeArgs(runtimeOptions(req.GetInfo())["nodeargs"])
	if !slices.Equal(got, []string{"--import", "tsx", "--max-old-space-size=4096"}) {
		t.Fatalf("node args = %v", got)
	}
}

func TestExitWithParentExitsOnlyOnceTheParentChanges(t *testing.T) {
	var parent atomic.Int64
	parent.Store(42)
	exited := make(chan struct{})
	exitWithParent(42, func() int { return int(parent.Load()) }, time.Millisecond, func() { close(exited) })

	select {
	case <-exited:
		t.Fatal("exited while the engine still runs")
	case <-time.After(20 * time.Millisecond):
	}
	parent.Store(1) // re-parented: the engine is gone
	select {
	case <-exited:
	case <-time.After(time.Second):
		t.Fatal("did not exit after the engine was gone")
	}
}
