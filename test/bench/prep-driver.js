"use strict";
// One clusterkit host preparation as a whole process, for the bench's comparison with
// ansible-playbook (which is timed as a whole process too): node start-up, the package's compiled
// copy as the CLI loads it (cli/compile.js), then HostPreparation's create for every host at once,
// as the dynamic provider runs it under `pulumi up`. argv[2]: a JSON file of HostPrepInputs (it
// holds the fleet's private key; the bench writes it 0600 and removes it).
const fs = require("node:fs");
const path = require("node:path");

const tree = require("../../cli/compile").compiledTree();
const { hostPreparation } = require(path.join(tree, "providers", "kubeadm", "runtime.js"));
const { closeConnections, setLogger } = require(path.join(tree, "providers", "kubeadm", "context.js"));

setLogger(() => undefined);
const inputs = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
Promise.all(inputs.map((i) => hostPreparation.create(i))).then(
  () => closeConnections(),
  (e) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
    closeConnections();
  },
);
