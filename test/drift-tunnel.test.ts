// `clusterkit drift` on bastion stacks: the runner (root netns) reaches only the bastion, not the
// API endpoint (the VIP on cp1), where an HTTPS server stands in for the API server. The pulumi
// stand-in's refresh of such a stack ("needsApi") fails the way the Kubernetes provider does unless
// an HTTPS request to the stack's tunnel port is answered while it runs, so a stack reported clean
// was refreshed through the tunnel drift opened itself.
import assert from "node:assert/strict";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { stringify } from "yaml";
import { netnsName } from "./hosts/fleet-net";
import { startFleet, type Fleet } from "./hosts/harness";
import { clusterkit, type CliResult } from "./support/cli";
import { writeBastionStack } from "./support/bastion-stack";
import { repoRoot, tempProject, type TempProject } from "./support/temp-project";

const standin = path.join(repoRoot, "test", "standins", "pulumi");

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

type Behaviour = { behaviour: string; fixture?: string; region?: string; needsApi?: string; config?: Record<string, string> };
const metalClean = { behaviour: "events", fixture: "metal-clean", region: "ber1" };

interface Run extends CliResult {
  report: any;
  markdown: string;
  calls: { argv?: string[] }[];
}

describe("clusterkit drift opens a bastion stack's API tunnel itself", () => {
  let fleet: Fleet;
  let vip: string;
  let dir: string;
  let server: ChildProcess;
  let project: TempProject;
  let keyPem: string;
  const ports: Record<string, number> = {};
  let runs = 0;

  before(async () => {
    fleet = await startFleet([{ name: "bastion" }, { name: "cp1", role: "control-plane" }]);
    keyPem = fleet.clientKey.privateKeyPem;
    vip = `10.77.${fleet.slot}.100`;
    const cp1 = fleet.host("cp1");
    await cp1.exec(`ip addr add ${vip}/32 dev eth0`);
    // The runner's own bridge would reach the whole subnet: this route takes the VIP away from it.
    execFileSync("ip", ["route", "add", "unreachable", `${vip}/32`]);

    dir = fs.mkdtempSync(path.join(os.tmpdir(), "clusterkit-drift-tunnel-"));
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "api.key", "-out", "api.crt", "-days", "1", "-subj", "/CN=kube-apiserver", "-addext", `subjectAltName=IP:${vip}`], { cwd: dir, stdio: "pipe" });
    const serverJs = `require("https").createServer({ key: require("fs").readFileSync("api.key"), cert: require("fs").readFileSync("api.crt") }, (q, r) => r.end("apiserver " + q.url)).listen(6443, ${JSON.stringify(vip)}, () => console.log("listening"));`;
    server = spawn("ip", ["netns", "exec", netnsName(fleet.slot, 1), process.execPath, "-e", serverJs], { cwd: dir, stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve, reject) => {
      server.stdout!.once("data", () => resolve());
      server.once("exit", (code) => reject(new Error(`the stand-in API server exited (${code})`)));
    });

    // Bare-metal stacks at this site: metal-tun pins the bastion's host key, metal-badkey another host's.
    project = tempProject("clusterkit-drift-tunnel-project-");
    const b = fleet.host("bastion");
    for (const [stack, hostKey] of [
      ["metal-tun", b.hostKeyFingerprint],
      ["metal-badkey", cp1.hostKeyFingerprint],
    ] as const) {
      ports[stack] = await freePort();
      writeBastionStack(project, stack, { slot: fleet.slot, vip, cp1, bastion: b }, { hostKey, apiTunnelPort: ports[stack] });
    }
  });

  after(async () => {
    server?.kill();
    if (vip) execFileSync("ip", ["route", "del", "unreachable", `${vip}/32`]);
    await fleet?.stop();
    project?.cleanup();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  function drift(stacks: Record<string, Behaviour>, args: string[]): Run {
    const n = ++runs;
    const scenario = path.join(project.root, `scenario-${n}.json`);
    const calls = path.join(project.root, `calls-${n}.jsonl`);
    fs.writeFileSync(scenario, JSON.stringify({ version: "3.248.0", calls, stacks }));
    const r = clusterkit(["drift", "--pulumi-root", standin, "--json", `report-${n}.json`, "--markdown", `report-${n}.md`, ...args], project.root, { PULUMI_STANDIN_SCENARIO: scenario });
    const read = (f: string) => (fs.existsSync(path.join(project.root, f)) ? fs.readFileSync(path.join(project.root, f), "utf8") : "");
    return {
      ...r,
      report: read(`report-${n}.json`) ? JSON.parse(read(`report-${n}.json`)) : null,
      markdown: read(`report-${n}.md`),
      calls: read(`calls-${n}.jsonl`).split("\n").filter(Boolean).map((l) => JSON.parse(l)),
    };
  }

  const statuses = (run: Run) => Object.fromEntries(run.report.stacks.map((s: any) => [s.stack, s.error ? `${s.status}:${s.error.kind}` : s.status]));
  const errorOf = (run: Run, stack: string): string => run.report.stacks.find((s: any) => s.stack === stack).error.message;
  const keyBody = () => keyPem.split("\n").find((l) => l.length > 40 && !l.startsWith("-----"))!;

  function assertNoKey(run: Run): void {
    for (const text of [run.stdout, run.stderr, JSON.stringify(run.report), run.markdown]) {
      assert.doesNotMatch(text, /PRIVATE KEY/);
      assert.ok(!text.includes(keyBody()), "the SSH key leaked");
    }
  }

  const tunnelLine = (stack: string) => new RegExp(`^API tunnel for ${stack}: https://127\\.0\\.0\\.1:${ports[stack]} -> ${vip.replace(/\./g, "\\.")}:6443 through root@${fleet.host("bastion").address.replace(/\./g, "\\.")}:22`, "m");

  it("reports a bastion stack clean, refreshed through the tunnel it opened with the key from the stack's secret", () => {
    const run = drift(
      {
        "metal-tun": { ...metalClean, needsApi: `127.0.0.1:${ports["metal-tun"]}`, config: { "clusterkit:sshPrivateKey": keyPem } },
        "metal-ber1": metalClean,
      },
      ["--stacks", "metal-tun,metal-ber1"],
    );
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(statuses(run), { "metal-ber1": "clean", "metal-tun": "clean" });
    assert.match(run.stderr, tunnelLine("metal-tun"));
    assert.doesNotMatch(run.stderr, /API tunnel for metal-ber1/, "a stack without a bastion gets no tunnel");
    // The key is read through the Automation API, as `pulumi config get … --json`, for that stack only.
    const gets = run.calls.filter((c) => c.argv?.[0] === "config").map((c) => c.argv!.filter((a) => a !== "--non-interactive"));
    assert.deepEqual(gets, [["config", "get", "clusterkit:sshPrivateKey", "--json", "--stack", "metal-tun"]]);
    assertNoKey(run);
  });

  it("reports a bastion with the wrong host key as not checked (auth), and still checks the other stacks", () => {
    const closed = 1; // nothing listens there: the stand-in's provider check must fail without a tunnel
    const run = drift(
      {
        "metal-tun": { ...metalClean, needsApi: `127.0.0.1:${ports["metal-tun"]}` },
        "metal-badkey": { ...metalClean, needsApi: `127.0.0.1:${ports["metal-badkey"]}` },
        "metal-ber1": metalClean,
        "metal-nyc1": { ...metalClean, needsApi: `127.0.0.1:${closed}` },
      },
      ["--stacks", "metal-*", "--ssh-key", fleet.clientKey.privateKeyPath, "--concurrency", "4"],
    );
    assert.equal(run.code, 2, run.stderr);
    assert.deepEqual(statuses(run), { "metal-badkey": "error:auth", "metal-ber1": "clean", "metal-nyc1": "error:cli", "metal-tun": "clean" });
    assert.match(errorOf(run, "metal-badkey"), /API tunnel through the bastion root@[\d.]+:22 did not open: host key mismatch: .* bastion\.hostKey pins/);
    assert.match(errorOf(run, "metal-nyc1"), /cluster is unreachable: .*dial tcp 127\.0\.0\.1:1: connect: connection refused/);
    assert.match(run.stdout, /^error    metal-badkey .*: auth: API tunnel through the bastion/m);
    assert.match(run.stderr, tunnelLine("metal-tun"));
    // No refresh runs without its tunnel, and --ssh-key means no secret is read.
    assert.equal(run.calls.filter((c) => c.argv?.[0] === "refresh" && c.argv.includes("metal-badkey")).length, 0);
    assert.equal(run.calls.filter((c) => c.argv?.[0] === "config").length, 0);
    assertNoKey(run);
  });

  it("makes a missing or unusable key or a stack file that does not load that stack's error, and refuses an unreadable --ssh-key up front", () => {
    project.write("stacks/Pulumi.metal-broken.yaml", stringify({ config: { "clusterkit:blueprint": "baremetal-ha", "clusterkit:region": "ber1", "clusterkit:variables": { nodeCidr: "not-a-cidr" } } }));
    try {
      const notAKey = "sk-live-this-is-no-ssh-key";
      const run = drift(
        {
          "metal-tun": { ...metalClean, needsApi: `127.0.0.1:${ports["metal-tun"]}` },
          "metal-badkey": { ...metalClean, config: { "clusterkit:sshPrivateKey": notAKey } },
          "metal-broken": metalClean,
          "metal-ber1": metalClean,
        },
        ["--stacks", "metal-tun,metal-badkey,metal-broken,metal-ber1"],
      );
      assert.equal(run.code, 2, run.stderr);
      assert.deepEqual(statuses(run), { "metal-badkey": "error:auth", "metal-ber1": "clean", "metal-broken": "error:cli", "metal-tun": "error:auth" });
      // A secret that is no usable key is refused before any connection (none is left open), unquoted.
      assert.match(errorOf(run, "metal-badkey"), /did not open: the SSH private key cannot be used: /);
      for (const text of [run.stdout, run.stderr, JSON.stringify(run.report)]) assert.ok(!text.includes(notAKey), "the secret leaked");
      assert.match(errorOf(run, "metal-tun"), /clusterkit:sshPrivateKey.*configuration key 'clusterkit:sshPrivateKey' not found for stack 'metal-tun'.*--ssh-key/);
      assert.equal(errorOf(run, "metal-tun").match(/not found for stack/g)!.length, 1, "the CLI's words once");
      assert.match(errorOf(run, "metal-broken"), /^stacks\/Pulumi\.metal-broken\.yaml: .*run clusterkit validate --stack metal-broken$/);
      assert.equal(run.calls.filter((c) => c.argv?.[0] === "refresh" && !c.argv.includes("metal-ber1")).length, 0);
      assertNoKey(run);

      const bad = drift({ "metal-ber1": metalClean }, ["--stacks", "metal-ber1", "--ssh-key", path.join(dir, "no-such-key")]);
      assert.equal(bad.code, 2, bad.stderr);
      assert.match(bad.stderr, /^\(command line\): --ssh-key: cannot read the key file: ENOENT/m);
      assert.deepEqual(bad.calls, []);
    } finally {
      fs.rmSync(path.join(project.root, "stacks/Pulumi.metal-broken.yaml"));
    }
  });
});
