#!/usr/bin/env node
// The `talentbase-iam` command: the CLI, compiled when the build is current (build/loadCompiled.cjs),
// loaded from this package's own files, so it runs the same from any directory.
// biome-ignore lint/suspicious/noRedundantUseStrict: a CommonJS file (the package has no "type"), where strict mode is not the default
"use strict";
require("../build/loadCompiled.cjs").loadCompiled("automation/cli/main");
