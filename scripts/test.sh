#!/usr/bin/env bash
# `npm test`: set up whatever is missing (quietly when nothing is), typecheck, then the language
# host's Go tests and every mocha suite in one run; a failing part never hides the others' results.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh --quiet
echo "typecheck: tsc -p ."
npx tsc -p .

status=0
if command -v go >/dev/null; then
  echo "go test: the Node.js language host (tools/pulumi)"
  (cd tools/pulumi && go test ./...) || status=1
else
  echo "go test: skipped, no Go on PATH (the language host comes with the pulumi on PATH)"
fi
npx mocha --timeout 300000 'tests/unit/**/*.test.ts' 'tests/integration/**/*.test.ts' 'tests/e2e/**/*.test.ts' || status=1
exit "$status"
