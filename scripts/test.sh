#!/usr/bin/env bash
# `npm test`: set up whatever is missing (quietly when nothing is), typecheck, lint, then the language
# host's Go tests and the mocha suites; a failing part never hides the others' results.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh --quiet
echo "typecheck: tsc -p ."
npx tsc -p .
echo "lint and format: biome ci ."
npx biome ci --colors=off .

status=0
if command -v go >/dev/null; then
  echo "go test: the Node.js language host (tools/pulumi)"
  (cd tools/pulumi && go test ./...) || status=1
else
  echo "go test: skipped, no Go on PATH (the language host comes with the pulumi on PATH)"
fi
npx mocha 'tests/unit/**/*.test.ts' 'tests/integration/**/*.test.ts' || status=1
# The end-to-end files, two at a time: each spends most of its time waiting on engine, plugin and moto
# processes, so two workers finish in about 60% of the serial time on two cores (8.7 min, not 14).
npx mocha --timeout 300000 --parallel --jobs 2 'tests/e2e/**/*.test.ts' || status=1
exit "$status"
