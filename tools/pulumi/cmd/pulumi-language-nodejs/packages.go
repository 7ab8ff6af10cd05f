package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// packageJSON is the part of package.json that decides whether a package needs an engine plugin.
type packageJSON struct {
	Name         string            `json:"name"`
	Version      string            `json:"version"`
	Dependencies map[string]string `json:"dependencies"`
	Pulumi       *struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Server   string `json:"server"`
	} `json:"pulumi"`
}

// resourcePackages walks the program's runtime dependency tree (package.json `dependencies`,
// resolved through node_modules like Node's require) and returns every package that declares
// `"pulumi": {"resource": true}`, which is how the engine learns which provider plugins to load.
func resourcePackages(programDir string) ([]*pulumirpc.PackageDependency, error) {
	rootDir, err := findPackageRoot(programDir)
	if err != nil {
		return nil, err
	}
	root, err := readPackageJSON(rootDir)
	if err != nil {
		return nil, err
	}

	found := map[string]*pulumirpc.PackageDependency{}
	visited := map[string]bool{}
	var visit func(fromDir string, deps map[string]string) error
	visit = func(fromDir string, deps map[string]string) error {
		for name := range deps {
			dir, ok := resolvePackageDir(fromDir, name)
			if !ok || visited[dir] {
				continue
			}
			visited[dir] = true
			pkg, err := readPackageJSON(dir)
			if err != nil {
				return err
			}
			if pkg.Pulumi != nil && pkg.Pulumi.Resource {
				dep := pluginDependency(pkg)
				found[dep.Name+"@"+dep.Version] = dep
			}
			if err := visit(dir, pkg.Dependencies); err != nil {
				return err
			}
		}
		return nil
	}
	if err := visit(rootDir, root.Dependencies); err != nil {
		return nil, err
	}

	keys := make([]string, 0, len(found))
	for key := range found {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	packages := make([]*pulumirpc.PackageDependency, 0, len(keys))
	for _, key := range keys {
		packages = append(packages, found[key])
	}
	return packages, nil
}

func pluginDependency(pkg packageJSON) *pulumirpc.PackageDependency {
	name := pkg.Pulumi.Name
	if name == "" {
		name = strings.TrimPrefix(pkg.Name, "@pulumi/")
	}
	version := pkg.Pulumi.Version
	if version == "" {
		version = pkg.Version
	}
	return &pulumirpc.PackageDependency{
		Name:    name,
		Kind:    "resource",
		Version: "v" + strings.TrimPrefix(version, "v"),
		Server:  pkg.Pulumi.Server,
	}
}

func findPackageRoot(programDir string) (string, error) {
	for dir := programDir; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "package.json")); err == nil {
			return dir, nil
		}
		if filepath.Dir(dir) == dir {
			return "", fmt.Errorf("no package.json found in %s or above", programDir)
		}
	}
}

// resolvePackageDir looks for node_modules/<name> from fromDir upwards.
func resolvePackageDir(fromDir, name string) (string, bool) {
	for dir := fromDir; ; dir = filepath.Dir(dir) {
		candidate := filepath.Join(dir, "node_modules", filepath.FromSlash(name))
		if _, err := os.Stat(filepath.Join(candidate, "package.json")); err == nil {
			return candidate, true
		}
		if filepath.Dir(dir) == dir {
			return "", false
		}
	}
}

func readPackageJSON(dir string) (packageJSON, error) {
	var pkg packageJSON
	data, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return pkg, fmt.Errorf("%s has no package.json", dir)
	}
	if err != nil {
		return pkg, err
	}
	if err := json.Unmarshal(data, &pkg); err != nil {
		return pkg, fmt.Errorf("parsing %s/package.json: %w", dir, err)
	}
	return pkg, nil
}
