//go:build tools

// Package tools pins the Pulumi CLI release that scripts/setup builds offline.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
