#!/usr/bin/env node
"use strict";
// The CLI runs a compiled JavaScript copy of the package (cli/compile.js: built by `npm ci`,
// rebuilt when a source changes), so a command loads no TypeScript loader and no source maps.
// Where that copy cannot be had, or with CLUSTERKIT_LOADER=tsx, it runs the TypeScript through
// tsx's CommonJS hook, the loader Pulumi.yaml gives the program: slower, same behaviour.
const path = require("node:path");
const compiled = process.env.CLUSTERKIT_LOADER === "tsx" ? null : require("./compile").compiledTree();
let cli;
if (compiled) cli = require(path.join(compiled, "cli", "main.js"));
else {
  require("tsx/cjs");
  cli = require("./main.ts");
}
cli.main(process.argv).then((code) => {
  process.exitCode = code;
});
