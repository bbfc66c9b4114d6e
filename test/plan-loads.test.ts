/**
 * What `clusterkit plan` loads, as a user runs it (`node cli/bin.js`, a child process that lists
 * its loaded module files on exit): only the platform's own provider packages (no @pulumi/aws on
 * bare metal or vSphere), none of the SDK parts the offline plan never uses (its Automation API,
 * @npmcli/arborist), and no TypeScript loader (the CLI runs its compiled copy, cli/compile.js).
 * The EKS plan is the control: it must show @pulumi/aws, or the listing proves nothing.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { exampleRoot, repoRoot } from "./support/temp-project";

const run = promisify(execFile);

async function loadedModules(stack: string): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clusterkit-loads-"));
  try {
    const hook = path.join(dir, "list-modules.js");
    const out = path.join(dir, "modules.txt");
    fs.writeFileSync(hook, `process.on("exit", () => require("fs").writeFileSync(${JSON.stringify(out)}, Object.keys(require.cache).join("\\n")));\n`);
    await run(process.execPath, ["--require", hook, path.join(repoRoot, "cli", "bin.js"), "plan", "--stack", stack], { cwd: exampleRoot(), maxBuffer: 1 << 28 });
    return fs.readFileSync(out, "utf8").split("\n");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const under = (modules: string[], part: string) => modules.filter((m) => m.includes(`${path.sep}node_modules${path.sep}${part}${path.sep}`));

describe("what a plan loads", () => {
  // Side by side: each is a whole plan, mostly start-up.
  const loads = Promise.all(["metal-ber1", "vsphere-fra1", "prod-us-east-1"].map(loadedModules));

  it("a bare-metal or vSphere plan loads no @pulumi/aws; an EKS plan does", async () => {
    const [metal, vsphere, eks] = await loads;
    assert.deepEqual(under(metal!, "@pulumi/aws"), [], "bare metal");
    assert.deepEqual(under(vsphere!, "@pulumi/aws"), [], "vSphere");
    assert.ok(under(eks!, "@pulumi/aws").length > 0, "the EKS plan loads @pulumi/aws (else the listing is broken)");
  });

  it("no plan loads the SDK's Automation API or @npmcli/arborist", async () => {
    // Each one's entry file is in the require cache as the plan's lazy stand-in (cli/plan/defer-sdk-modules.ts); nothing else of them may be.
    const entries = [path.join("automation", "index.js"), path.join("arborist", "lib", "index.js")];
    const loaded = (modules: string[], part: string) => under(modules, part).filter((m) => !entries.some((e) => m.endsWith(`${path.sep}${e}`)));
    for (const modules of await loads) {
      assert.deepEqual(loaded(modules, path.join("@pulumi", "pulumi", "automation")), []);
      assert.deepEqual(loaded(modules, path.join("@npmcli", "arborist")), []);
    }
  });

  it("runs the compiled CLI, not TypeScript through tsx", async () => {
    for (const modules of await loads) {
      assert.deepEqual(under(modules, "tsx"), []);
      assert.deepEqual(modules.filter((m) => m.endsWith(".ts")), []);
    }
  });
});
