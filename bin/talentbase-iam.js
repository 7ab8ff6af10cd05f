#!/usr/bin/env node
// The `talentbase-iam` command: the TypeScript CLI, loaded through tsx from this package's own
// node_modules, so it runs the same from any directory.
"use strict";
require("tsx/cjs/api").register();
require("../automation/cli/main.ts");
