#!/usr/bin/env bash
# `npm test`: set up whatever is missing (quietly when nothing is), typecheck, then every suite in
# one mocha run so a failure in one suite never hides the others' results.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The lockfile pins the SDK; its notice about future releases needing Node 22 is noise in test logs.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

bash scripts/setup.sh --quiet
echo "typecheck: tsc -p ."
npx tsc -p .
if command -v go >/dev/null; then
  echo "go test: the Node.js language host (tools/pulumi)"
  (cd tools/pulumi && go test ./...)
else
  echo "go test: skipped, no Go on PATH (the language host comes with the pulumi on PATH)"
fi
npx mocha --timeout 300000 'tests/unit/**/*.test.ts' 'tests/integration/**/*.test.ts' 'tests/e2e/**/*.test.ts'
