#!/usr/bin/env node
// The `talentbase-iam` command: the CLI, compiled when the build is current (build/loadCompiled.cjs),
// loaded from this package's own files, so it runs the same from any directory.
"use strict";
require("../build/loadCompiled.cjs").loadCompiled("automation/cli/main");
