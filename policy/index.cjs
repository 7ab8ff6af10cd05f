// The policy pack's entry (package.json `main`): policy/policyPack.ts, compiled when the build is
// current (build/loadCompiled.cjs), as the program's own entry loads it.
"use strict";
require("../build/loadCompiled.cjs").loadCompiled("policy/policyPack");
