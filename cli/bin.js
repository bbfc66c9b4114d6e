#!/usr/bin/env node
"use strict";
// The CLI is TypeScript run through tsx's CommonJS hook, the same loader Pulumi.yaml gives the
// program, so `npx clusterkit` needs no build step.
require("tsx/cjs");
require("./main.ts")
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
