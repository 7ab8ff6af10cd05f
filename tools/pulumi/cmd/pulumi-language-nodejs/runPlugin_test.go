package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

func TestPluginArgsPutNodeFlagsFirstThenTheScriptTheDirectoryAndTheEngine(t *testing.T) {
	got := pluginArgs("/nm/@pulumi/pulumi/cmd/run-plugin", "/work/policy", map[string]string{"nodeargs": "--import tsx"}, []string{"127.0.0.1:5000"})
	want := []string{"--import", "tsx", "/nm/@pulumi/pulumi/cmd/run-plugin", "/work/policy", "127.0.0.1:5000"}
	if !slices.Equal(got, want) {
		t.Fatalf("pluginArgs = %v, want %v", got, want)
	}
}

func TestPluginEnvironmentKeepsTheEnginesAndFollowsTheTypeScriptOption(t *testing.T) {
	engine := []string{"PATH=/usr/bin", "PULUMI_HOME=/home/p"}
	compiled := pluginEnvironment(engine, map[string]string{"typescript": "false"})
	if !slices.Equal(compiled, engine) {
		t.Fatalf("typescript false: env = %v", compiled)
	}
	if !slices.Contains(pluginEnvironment(engine, map[string]string{}), "PULUMI_NODEJS_TYPESCRIPT=true") {
		t.Fatal("without the option the plugin runs as TypeScript, as a program does")
	}
	if len(engine) != 2 {
		t.Fatal("the engine's environment was changed")
	}
}

func TestFindPulumiCommandFindsRunPluginBesideRun(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "node_modules", "@pulumi", "pulumi", "cmd", "run-plugin")
	if err := os.MkdirAll(script, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(script, "index.js"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := findPulumiCommand(dir+"/policy", "run-plugin")
	if err != nil || got != dir+"/node_modules/@pulumi/pulumi/cmd/run-plugin" {
		t.Fatalf("findPulumiCommand = %s, %v", got, err)
	}
	if _, err := findPulumiCommand(dir+"/policy", "run"); err == nil {
		t.Fatal("a missing entry point must be an error")
	}
}

func TestAPolicyPackRunsInItsOwnDirectoryOtherPluginsWhereTheEngineSays(t *testing.T) {
	req := &pulumirpc.RunPluginRequest{Pwd: "/work/project/infra", Kind: "analyzer", Info: &pulumirpc.ProgramInfo{ProgramDirectory: "/work/project/policy"}}
	if got := pluginWorkingDirectory(req); got != "/work/project/policy" {
		t.Fatalf("analyzer: %s", got)
	}
	req.Kind = "resource"
	if got := pluginWorkingDirectory(req); got != "/work/project/infra" {
		t.Fatalf("resource plugin: %s", got)
	}
}
