package main

import (
	"os"
	"path/filepath"
	"testing"
)

func writePackage(t *testing.T, dir, manifest string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestResourcePackagesFollowsRuntimeDependenciesOnly(t *testing.T) {
	root := t.TempDir()
	modules := filepath.Join(root, "node_modules")
	writePackage(t, root, `{"name": "program", "dependencies": {"@pulumi/aws": "7.48.0", "helper": "1.0.0"},
		"devDependencies": {"@pulumi/dev-only": "1.0.0"}}`)
	writePackage(t, filepath.Join(modules, "@pulumi", "aws"),
		`{"name": "@pulumi/aws", "version": "7.48.0", "pulumi": {"resource": true, "name": "aws", "version": "7.48.0"}}`)
	writePackage(t, filepath.Join(modules, "helper"),
		`{"name": "helper", "version": "1.0.0", "dependencies": {"@pulumi/random": "4.21.2"}}`)
	// A nested copy wins over a hoisted one, as in Node's resolution.
	writePackage(t, filepath.Join(modules, "helper", "node_modules", "@pulumi", "random"),
		`{"name": "@pulumi/random", "version": "4.21.2", "pulumi": {"resource": true}}`)
	writePackage(t, filepath.Join(modules, "@pulumi", "random"),
		`{"name": "@pulumi/random", "version": "4.0.0", "pulumi": {"resource": true}}`)
	writePackage(t, filepath.Join(modules, "@pulumi", "dev-only"),
		`{"name": "@pulumi/dev-only", "version": "1.0.0", "pulumi": {"resource": true}}`)

	packages, err := resourcePackages(filepath.Join(root))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, pkg := range packages {
		if pkg.Kind != "resource" {
			t.Errorf("%s has kind %q, want resource", pkg.Name, pkg.Kind)
		}
		got[pkg.Name] = pkg.Version
	}
	want := map[string]string{"aws": "v7.48.0", "random": "v4.21.2"}
	if len(got) != len(want) || got["aws"] != want["aws"] || got["random"] != want["random"] {
		t.Fatalf("resource packages = %v, want %v", got, want)
	}
}

func TestResourcePackagesFindsPackageJSONAboveTheProgramDirectory(t *testing.T) {
	root := t.TempDir()
	writePackage(t, root, `{"name": "program", "dependencies": {"@pulumi/aws": "*"}}`)
	writePackage(t, filepath.Join(root, "node_modules", "@pulumi", "aws"),
		`{"name": "@pulumi/aws", "version": "7.48.0", "pulumi": {"resource": true, "name": "aws"}}`)
	programDir := filepath.Join(root, "infra")
	if err := os.Mkdir(programDir, 0o755); err != nil {
		t.Fatal(err)
	}

	packages, err := resourcePackages(programDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(packages) != 1 || packages[0].Name != "aws" || packages[0].Version != "v7.48.0" {
		t.Fatalf("resource packages = %v, want aws v7.48.0", packages)
	}
}

func TestResourcePackagesReportsAMalformedManifest(t *testing.T) {
	root := t.TempDir()
	writePackage(t, root, `{"name": "program", "dependencies": {"broken": "*"}}`)
	writePackage(t, filepath.Join(root, "node_modules", "broken"), `{"name": `)
	if _, err := resourcePackages(root); err == nil {
		t.Fatal("expected an error for a malformed package.json")
	}
}
