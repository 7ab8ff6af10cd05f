#!/usr/bin/env bash
# `npm test`: set up whatever is missing (quietly when nothing is), typecheck, then every suite in
# one mocha run so a failure in one suite never hides the others' results.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh --quiet
echo "typecheck: tsc -p ."
npx tsc -p .
npx mocha --timeout 300000 'tests/unit/**/*.test.ts' 'tests/integration/**/*.test.ts' 'tests/e2e/**/*.test.ts'
