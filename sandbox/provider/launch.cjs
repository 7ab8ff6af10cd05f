// Starts the stand-in aws plugin: compiled when the build is current (build/loadCompiled.cjs).
"use strict";
require("../../build/loadCompiled.cjs").loadCompiled("sandbox/provider/main");
