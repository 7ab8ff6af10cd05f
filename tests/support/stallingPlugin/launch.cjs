// Starts the stalling plugin from its TypeScript source (tests are never compiled).
"use strict";
require("tsx/cjs/api").register();
require("./main.ts");
