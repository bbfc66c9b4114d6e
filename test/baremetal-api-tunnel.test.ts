// Add-ons at a bastion site: the runner (root netns) cannot route to the API endpoint (the VIP on
// cp1), only to the bastion. An HTTPS server on VIP:6443, with a certificate from a test CA carrying
// the endpoint as its SAN, stands in for the API server. The provider's kubeconfig (rewritten to the
// tunnel) must reach it with client-go's TLS settings; the admin kubeconfig as it is must not.
import assert from "node:assert/strict";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as https from "node:https";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as tls from "node:tls";
import { after, before, describe, it } from "node:test";
import { parse, stringify } from "yaml";
import { loadStackAlone } from "../core/load/project";
import { apiTunnelPlan, tunnelledKubeconfig, type ApiTunnelPlan } from "../core/render/kubeadm/api-tunnel";
import { isSshError } from "../providers/ssh/errors";
import { ApiTunnel } from "../providers/ssh/tunnel";
import { startFleet, type Fleet } from "./hosts/harness";
import { netnsName } from "./hosts/fleet-net";
import { writeBastionStack } from "./support/bastion-stack";
import { repoRoot, tempProject, type TempProject } from "./support/temp-project";

const STACK = "metal-tun";

/** What client-go does with a kubeconfig: server URL, CA, and tls-server-name (else the URL's host). */
function getVersion(kubeconfig: string, timeoutMs = 3000): Promise<string> {
  const cluster = parse(kubeconfig).clusters[0].cluster;
  const url = new URL(cluster.server);
  const serverName: string = cluster["tls-server-name"] ?? url.hostname;
  return new Promise((resolve, reject) => {
    const req = https.get(
      { host: url.hostname, port: Number(url.port), path: "/version", ca: Buffer.from(cluster["certificate-authority-data"], "base64"), agent: false, checkServerIdentity: (_h, cert) => tls.checkServerIdentity(serverName, cert), timeout: timeoutMs },
      (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve(body));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

describe("API tunnel through the bastion (runner cannot route to the VIP)", () => {
  let fleet: Fleet;
  let vip: string;
  let dir: string;
  let server: ChildProcess;
  let project: TempProject;
  let plan: ApiTunnelPlan;
  let adminConf: string;
  const routes: string[] = [];

  before(async () => {
    fleet = await startFleet([{ name: "bastion" }, { name: "cp1", role: "control-plane" }]);
    vip = `10.77.${fleet.slot}.100`;
    const cp1 = fleet.host("cp1");
    await cp1.exec(`ip addr add ${vip}/32 dev eth0`);
    // The runner's own bridge would reach the whole subnet: this route takes the VIP away from it.
    execFileSync("ip", ["route", "add", "unreachable", `${vip}/32`]);
    routes.push(`${vip}/32`);

    dir = fs.mkdtempSync(path.join(os.tmpdir(), "clusterkit-tunnel-"));
    const ossl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
    ossl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=test-kubernetes-ca");
    ossl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "apiserver.key", "-out", "apiserver.csr", "-subj", "/CN=kube-apiserver");
    fs.writeFileSync(path.join(dir, "san.ext"), `subjectAltName=IP:${vip},DNS:kubernetes\n`);
    ossl("x509", "-req", "-in", "apiserver.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "apiserver.crt", "-days", "1", "-extfile", "san.ext");
    const serverJs = `require("https").createServer({ key: require("fs").readFileSync("apiserver.key"), cert: require("fs").readFileSync("apiserver.crt") }, (q, r) => r.end("apiserver " + q.url)).listen(6443, ${JSON.stringify(vip)}, () => console.log("listening"));`;
    server = spawn("ip", ["netns", "exec", netnsName(fleet.slot, 1), process.execPath, "-e", serverJs], { cwd: dir, stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve, reject) => {
      server.stdout!.once("data", () => resolve());
      server.once("exit", (code) => reject(new Error(`the stand-in API server exited (${code})`)));
    });

    const ca = fs.readFileSync(path.join(dir, "ca.crt")).toString("base64");
    adminConf = stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "kubernetes", cluster: { "certificate-authority-data": ca, server: `https://${vip}:6443` } }],
      contexts: [{ name: "admin@kubernetes", context: { cluster: "kubernetes", user: "admin" } }],
      "current-context": "admin@kubernetes",
      users: [{ name: "admin", user: { "client-key-data": "c2VjcmV0LWtleS1kYXRh" } }],
    });

    // A bare-metal stack at this site, resolved by the real loader like the program and the CLI do.
    project = tempProject("clusterkit-tunnel-project-");
    const b = fleet.host("bastion");
    writeBastionStack(project, STACK, { slot: fleet.slot, vip, cp1, bastion: b }, { hostKey: b.hostKeyFingerprint, apiTunnelPort: await freePort() });
    plan = apiTunnelPlan(loadStackAlone(project.root, STACK).spec)!;
  });

  after(async () => {
    server?.kill();
    for (const r of routes) execFileSync("ip", ["route", "del", "unreachable", r]);
    await fleet?.stop();
    project?.cleanup();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("forwards to the VIP and checks the certificate as the endpoint", () => {
    assert.equal(plan.targetHost, vip);
    assert.equal(plan.targetPort, 6443);
    assert.equal(plan.serverName, vip);
  });

  it("the admin kubeconfig as is (the provider's before) cannot reach the API from the runner", async () => {
    await assert.rejects(getVersion(adminConf), (e: NodeJS.ErrnoException) => /EHOSTUNREACH|ENETUNREACH|timed out/.test(`${e.code} ${e.message}`));
  });

  it("the provider's kubeconfig reaches the API server through the tunnel, with the certificate verified", async () => {
    const tunnel = await ApiTunnel.open({ bastion: plan.bastion as ApiTunnelPlan["bastion"] & { hostKey: string }, privateKey: fleet.clientKey.privateKeyPem, target: { host: plan.targetHost, port: plan.targetPort }, localPort: plan.localPort, holdProcess: false });
    try {
      const kubeconfig = tunnelledKubeconfig(adminConf, plan);
      assert.equal(await getVersion(kubeconfig), "apiserver /version");
      // Several at once, as the provider does: one SSH connection, one channel each.
      assert.deepEqual(await Promise.all([1, 2, 3, 4].map(() => getVersion(kubeconfig))), Array(4).fill("apiserver /version"));
      // The name is really checked: one the certificate does not carry is refused.
      const wrongName = kubeconfig.replace(`tls-server-name: ${vip}`, "tls-server-name: api.elsewhere.example");
      assert.notEqual(wrongName, kubeconfig);
      await assert.rejects(getVersion(wrongName), /does not match certificate's altnames|Hostname\/IP does not match/);
    } finally {
      await tunnel.close();
    }
    await assert.rejects(getVersion(tunnelledKubeconfig(adminConf, plan)), /ECONNREFUSED/, "closed: nothing listens any more");
  });

  it("refuses a bastion whose host key is not the pinned one, and then listens on nothing", async () => {
    const wrongKey = fleet.host("cp1").hostKeyFingerprint;
    await assert.rejects(
      ApiTunnel.open({ bastion: { ...plan.bastion, hostKey: wrongKey }, privateKey: fleet.clientKey.privateKeyPem, target: { host: plan.targetHost, port: plan.targetPort }, localPort: plan.localPort, holdProcess: false }),
      (e: unknown) => isSshError(e, "host-key") && /bastion\.hostKey/.test((e as Error).message) && !/PRIVATE KEY/.test((e as Error).message),
    );
    await assert.rejects(getVersion(tunnelledKubeconfig(adminConf, plan)), /ECONNREFUSED/);
  });

  it("inside the program it never keeps the process alive", async () => {
    // A process that opens the tunnel the way the program does, uses it, and then has nothing left to do.
    const script = `
      const { ApiTunnel } = require(${JSON.stringify(path.join(repoRoot, "providers/ssh/tunnel.ts"))});
      const tls = require("node:tls");
      const o = JSON.parse(process.env.TUNNEL);
      ApiTunnel.open({ ...o, privateKey: require("fs").readFileSync(o.keyFile, "utf8"), holdProcess: false }).then((t) => {
        const s = tls.connect({ host: "127.0.0.1", port: t.port, ca: require("fs").readFileSync(o.ca), checkServerIdentity: () => undefined }, () => { console.log("connected"); s.end(); });
      });`;
    const env = { ...process.env, TUNNEL: JSON.stringify({ bastion: plan.bastion, keyFile: fleet.clientKey.privateKeyPath, target: { host: plan.targetHost, port: plan.targetPort }, localPort: 0, ca: path.join(dir, "ca.crt") }) };
    const child = spawn(process.execPath, ["--import", "tsx", "-e", script], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve(null);
      }, 20_000);
      child.once("exit", (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    assert.equal(code, 0, `the process must exit on its own: ${out}`);
    assert.match(out, /connected/);
  });

  it("clusterkit tunnel holds it open at the stack's port, says where on stderr without secrets, and stops on SIGTERM", async () => {
    const cli = spawn(process.execPath, [path.join(repoRoot, "cli", "bin.js"), "tunnel", "--stack", STACK, "--ssh-key", fleet.clientKey.privateKeyPath], { cwd: project.root, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let stdout = "";
    cli.stdout.on("data", (d) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => cli.once("exit", (c) => resolve(c)));
    await new Promise<void>((resolve, reject) => {
      cli.stderr.on("data", (d) => {
        stderr += d;
        if (/Ctrl-C/.test(stderr)) resolve();
      });
      void exited.then((c) => reject(new Error(`clusterkit tunnel exited early (${c}): ${stderr}`)));
    });
    assert.match(stderr, new RegExp(`^API tunnel for ${STACK}: https://127\\.0\\.0\\.1:${plan.localPort} -> ${vip.replace(/\./g, "\\.")}:6443 through root@${fleet.host("bastion").address.replace(/\./g, "\\.")}:22`, "m"));
    assert.equal(await getVersion(tunnelledKubeconfig(adminConf, plan)), "apiserver /version");
    cli.kill("SIGTERM");
    assert.equal(await exited, 0, stderr);
    assert.match(stderr, /API tunnel closed \(SIGTERM\)/);
    assert.doesNotMatch(stderr + stdout, /PRIVATE KEY|c2VjcmV0|BEGIN/);
    await assert.rejects(getVersion(tunnelledKubeconfig(adminConf, plan)), /ECONNREFUSED/);
  });

  it("clusterkit tunnel -- <command> runs it while the tunnel is open and exits with its code", async () => {
    const probe = `require("https").get({ host: "127.0.0.1", port: ${plan.localPort}, path: "/version", ca: require("fs").readFileSync(${JSON.stringify(path.join(dir, "ca.crt"))}), servername: "kubernetes" }, (r) => { r.on("data", (d) => process.stdout.write(d)); r.on("end", () => process.exit(7)); }).on("error", (e) => { console.error(e.message); process.exit(1); });`;
    const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const cli = spawn(process.execPath, [path.join(repoRoot, "cli", "bin.js"), "tunnel", "--stack", STACK, "--ssh-key", fleet.clientKey.privateKeyPath, "--", process.execPath, "-e", probe], { cwd: project.root, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      cli.stdout.on("data", (d) => (out += d));
      cli.stderr.on("data", (d) => (out += d));
      cli.once("exit", (code) => resolve({ code, out }));
    });
    assert.equal(r.code, 7, r.out);
    assert.match(r.out, /apiserver \/version/);
    await assert.rejects(getVersion(tunnelledKubeconfig(adminConf, plan)), /ECONNREFUSED/, "the tunnel closed after the command");
  });

  it("clusterkit tunnel refuses a stack without a bastion, naming the stack file", () => {
    const config = parse(project.read(`stacks/Pulumi.${STACK}.yaml`)).config;
    delete config["clusterkit:variables"].bastion;
    project.write("stacks/Pulumi.metal-direct.yaml", stringify({ config }));
    let code = 0;
    let stderr = "";
    try {
      execFileSync(process.execPath, [path.join(repoRoot, "cli", "bin.js"), "tunnel", "--stack", "metal-direct", "--ssh-key", fleet.clientKey.privateKeyPath], { cwd: project.root, stdio: "pipe", encoding: "utf8" });
    } catch (e) {
      code = (e as { status: number }).status;
      stderr = (e as { stderr: string }).stderr;
    }
    assert.equal(code, 2);
    assert.match(stderr, /^stacks\/Pulumi\.metal-direct\.yaml: config\.clusterkit:variables\.bastion: the stack has no bastion/m);
    assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace");
  });
});
