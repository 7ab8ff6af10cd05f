// The Pulumi program's entry (Pulumi.yaml `main`): infra/index.ts, compiled when the build is
// current (build/loadCompiled.cjs), so `pulumi up` runs no TypeScript compiler on its hot path.
"use strict";
module.exports = require("../build/loadCompiled.cjs").loadCompiled("infra/index");
