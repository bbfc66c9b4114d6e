/**
 * The kubeadm tier: real kubeadm, built from its published module by test/upstream/build.sh, judges
 * the kubeadm files clusterkit renders. Every node's config of every example kubeadm stack, at every
 * supported Kubernetes minor, passes `kubeadm config validate` of that minor; the init phases that
 * write certificates, kubeconfigs and static pod manifests run with our config in a scratch root,
 * and the manifests carry our flags. A broken config is rejected, so the check is shown to bite.
 */
import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { parse, parseAllDocuments, stringify } from "yaml";
import * as kubeadm from "../core/render/kubeadm";
import { kubeadmConfigPath } from "../core/render/kubeadm/paths";
import type { ClusterSpec, NodeSpec } from "../core/spec";
import { kubeadmKubernetes } from "../core/versions";
import { kubeadmStacks, realSecrets, stackSpec, withVersion } from "./render-kubeadm-specs";
import { findTools, tierSkip } from "./upstream/tools";

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const patches = Object.values(kubeadmKubernetes);
/** One kubeadm per supported minor: each part of the tier runs when the kubeadm it needs is built. */
const tools = new Map(patches.map((v) => [v, findTools([`kubeadm-v${v}`])]));
const skipFor = (version: string) => tierSkip(`kubeadm tier (kubeadm ${version})`, tools.get(version)!);
const kubeadmFor = (version: string) => tools.get(version)!.paths[`kubeadm-v${version}`];

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "clusterkit-kubeadm-"));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

const secretValues = [realSecrets.init.bootstrapToken, realSecrets.init.certificateKey, realSecrets.join.token, realSecrets.join.certificateKey!];
/** kubeadm output shown in a failure, with the (fake, but secret-shaped) token and keys blanked out. */
const redact = (text: string) => secretValues.reduce((t, s) => t.split(s).join("<secret>"), text);

interface Run {
  status: number | null;
  output: string;
}

/** Runs kubeadm without a network: versions are explicit in our configs, and nothing may be fetched. */
function run(bin: string, args: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync(bin, args, { encoding: "utf8", timeout: 120_000, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env } });
  if (r.error) throw r.error;
  return { status: r.status, output: redact(`${r.stdout}${r.stderr}`) };
}

let fileSeq = 0;
function writeScratch(name: string, content: string): string {
  const file = path.join(scratch, `${fileSeq++}-${name}`);
  fs.writeFileSync(file, content, { mode: 0o600 });
  return file;
}

/** A node as the provider sees it once DHCP told its address (vSphere nodes have none in the spec). */
const addressed = (node: NodeSpec, i: number): NodeSpec => (node.address ? node : { ...node, address: `10.9.9.${10 + i}` });

/** The kubeadm config file of every node (init on the first control plane, join everywhere else). */
function kubeadmConfigs(spec: ClusterSpec): { node: string; content: string }[] {
  return spec.nodes.map(addressed).map((node) => {
    const file = kubeadm.nodeFiles(spec, node, realSecrets).find((f) => f.path === kubeadmConfigPath);
    assert.ok(file, `no ${kubeadmConfigPath} for ${node.name}`);
    return { node: node.name, content: file.content };
  });
}

/** The init config of the first control plane: all four kinds kubeadm init reads, in one file. */
function initConfigOf(spec: ClusterSpec): string {
  const node = addressed(kubeadm.firstControlPlane(spec), 0);
  return kubeadm.nodeFiles(spec, node, realSecrets).find((f) => f.path === kubeadmConfigPath)!.content;
}

const validate = (version: string, content: string, name: string) => run(kubeadmFor(version), ["config", "validate", "--config", writeScratch(name, content)]);

describe("kubeadm config validate accepts every rendered kubeadm config", () => {
  for (const stack of kubeadmStacks) {
    for (const version of patches) {
      it(`${stack} on ${version}`, skipFor(version), () => {
        const spec = withVersion(stackSpec(stack), version);
        const configs = kubeadmConfigs(spec);
        assert.ok(configs.length >= 2, "an init and at least one join config");
        const kinds = new Set(configs.flatMap((c) => parseAllDocuments(c.content).map((d) => (d.toJSON() as Doc).kind)));
        for (const kind of ["InitConfiguration", "ClusterConfiguration", "JoinConfiguration", "KubeletConfiguration"]) assert.ok(kinds.has(kind), `${kind} among ${[...kinds]}`);
        for (const { node, content } of configs) {
          const r = validate(version, content, `${stack}-${node}.yaml`);
          assert.equal(r.status, 0, `kubeadm ${version} rejects the config of ${node}:\n${r.output}`);
          assert.match(r.output, /ok/i);
          assert.doesNotMatch(r.output, /unknown field|deprecated|duplicate field/i, `kubeadm ${version} warns about the config of ${node}`);
        }
      });
    }
  }
  // kube-proxy's other mode, on every minor (nftables is beta in 1.32, GA from 1.33).
  for (const version of patches) {
    it(`metal-ber1 with kube-proxy in nftables mode on ${version}`, skipFor(version), () => {
      const base = withVersion(stackSpec("metal-ber1"), version);
      const spec: ClusterSpec = { ...base, networking: { ...base.networking, kubeProxyMode: "nftables" } };
      const init = initConfigOf(spec);
      assert.match(init, /kind: KubeProxyConfiguration\n(.*\n)*mode: nftables/);
      const r = validate(version, init, `nftables-${version}.yaml`);
      assert.equal(r.status, 0, `kubeadm ${version} rejects it:\n${r.output}`);
      assert.doesNotMatch(r.output, /unknown field|deprecated|duplicate field/i);
    });
  }
});

describe("kubeadm config validate rejects a broken config (the check bites)", skipFor(kubeadmKubernetes["1.34"]), () => {
  const version = kubeadmKubernetes["1.34"];
  const init = () => parseAllDocuments(initConfigOf(stackSpec("metal-ber1"))).map((d) => d.toJSON() as Doc);
  const render = (docs: Doc[]) => docs.map((d) => stringify(d)).join("---\n");
  const byKind = (docs: Doc[], kind: string) => docs.find((d) => d.kind === kind)!;

  it("the unbroken config passes (so the failures below are the breakage's)", () => {
    assert.equal(validate(version, render(init()), "unbroken.yaml").status, 0);
  });

  it("a field the type does not have", () => {
    const docs = init();
    byKind(docs, "ClusterConfiguration").apiServer.extraArgz = [{ name: "profiling", value: "false" }];
    const r = validate(version, render(docs), "unknown-field.yaml");
    assert.notEqual(r.status, 0, r.output);
    assert.match(r.output, /extraArgz/);
  });

  for (const kind of ["KubeletConfiguration", "KubeProxyConfiguration"]) {
    it(`a field ${kind} does not have (component configs are decoded strictly too)`, () => {
      const docs = init();
      byKind(docs, kind).clusterkitTypo = true;
      const r = validate(version, render(docs), `unknown-${kind}.yaml`);
      assert.notEqual(r.status, 0, r.output);
      assert.match(r.output, new RegExp(`${kind}.*unknown field "clusterkitTypo"`));
    });
  }

  it("a pod subnet that is no CIDR", () => {
    const docs = init();
    byKind(docs, "ClusterConfiguration").networking.podSubnet = "10.66.0.0/33";
    const r = validate(version, render(docs), "bad-cidr.yaml");
    assert.notEqual(r.status, 0, r.output);
    assert.match(r.output, /podSubnet/);
  });

  it("extraArgs in the v1beta3 map form", () => {
    const docs = init();
    byKind(docs, "ClusterConfiguration").scheduler.extraArgs = { profiling: "false" };
    const r = validate(version, render(docs), "map-args.yaml");
    assert.notEqual(r.status, 0, r.output);
  });

  it("a control plane older than this kubeadm supports", () => {
    const docs = init();
    byKind(docs, "ClusterConfiguration").kubernetesVersion = "v1.31.9";
    const r = validate(version, render(docs), "too-old.yaml");
    assert.notEqual(r.status, 0, r.output);
    assert.match(r.output, /1\.31\.9/);
  });
});

/** The command line of a static pod's only container, as `--name=value` strings. */
function commandOf(manifest: Doc): string[] {
  const [container] = manifest.spec.containers;
  return container.command as string[];
}

const flag = (a: { name: string; value: string }) => `--${a.name}=${a.value}`;

/** Runs the init phases that write files, chrooted (`--rootfs`) into a fresh scratch root. */
function initPhases(version: string, initYaml: string): { root: string; outputs: string[] } {
  const root = fs.mkdtempSync(path.join(scratch, "root-"));
  fs.writeFileSync(path.join(root, "kubeadm.yaml"), initYaml, { mode: 0o600 });
  const outputs: string[] = [];
  for (const phase of [["certs", "all"], ["kubeconfig", "all"], ["control-plane", "all"], ["etcd", "local"]]) {
    const r = run(kubeadmFor(version), ["init", "phase", ...phase, "--config", "/kubeadm.yaml", "--rootfs", root]);
    assert.equal(r.status, 0, `kubeadm ${version} init phase ${phase.join(" ")} failed:\n${r.output}`);
    outputs.push(r.output);
  }
  return { root, outputs };
}

describe("kubeadm init phases with our config write manifests that carry our flags", () => {
  for (const stack of kubeadmStacks) {
    for (const version of patches) {
      it(`${stack} on ${version}`, skipFor(version), () => {
        const spec = withVersion(stackSpec(stack), version);
        const initYaml = initConfigOf(spec);
        const docs = parseAllDocuments(initYaml).map((d) => d.toJSON() as Doc);
        const cc = docs.find((d) => d.kind === "ClusterConfiguration")!;
        const ic = docs.find((d) => d.kind === "InitConfiguration")!;
        const { root } = initPhases(version, initYaml);

        const etc = path.join(root, "etc", "kubernetes");
        for (const f of ["pki/ca.crt", "pki/apiserver.crt", "pki/etcd/ca.crt", "pki/sa.key", "admin.conf", "controller-manager.conf", "scheduler.conf"]) {
          assert.ok(fs.existsSync(path.join(etc, f)), `kubeadm wrote ${f}`);
        }
        const manifest = (name: string) => parse(fs.readFileSync(path.join(etc, "manifests", `${name}.yaml`), "utf8")) as Doc;
        const sans = servingNames(path.join(etc, "pki/apiserver.crt"));
        for (const n of cc.apiServer.certSANs ?? []) assert.ok(sans.includes(n), `the API server's certificate names ${n} (it names ${sans.join(", ")})`);

        const api = manifest("kube-apiserver");
        const apiCmd = commandOf(api);
        for (const a of cc.apiServer.extraArgs) assert.ok(apiCmd.includes(flag(a)), `kube-apiserver runs with ${flag(a)}`);
        assert.ok(apiCmd.includes(`--advertise-address=${ic.localAPIEndpoint.advertiseAddress}`));
        assert.ok(apiCmd.includes(`--secure-port=${ic.localAPIEndpoint.bindPort}`));
        assert.ok(apiCmd.includes(`--service-cluster-ip-range=${cc.networking.serviceSubnet}`));
        assert.equal(api.spec.containers[0].image.split(":").pop(), `v${version}`);
        const mounts = new Map((api.spec.containers[0].volumeMounts as Doc[]).map((m) => [m.name, m]));
        const volumes = new Map((api.spec.volumes as Doc[]).map((v) => [v.name, v]));
        for (const v of cc.apiServer.extraVolumes ?? []) {
          assert.equal(volumes.get(v.name)?.hostPath?.path, v.hostPath, `volume ${v.name} from ${v.hostPath}`);
          assert.equal(mounts.get(v.name)?.mountPath, v.mountPath, `volume ${v.name} mounted at ${v.mountPath}`);
          assert.equal(mounts.get(v.name)?.readOnly ?? false, v.readOnly ?? false, `volume ${v.name} read-only as rendered`);
        }

        const kcm = commandOf(manifest("kube-controller-manager"));
        for (const a of cc.controllerManager.extraArgs) assert.ok(kcm.includes(flag(a)), `kube-controller-manager runs with ${flag(a)}`);
        if (cc.networking.podSubnet) assert.ok(kcm.includes(`--cluster-cidr=${cc.networking.podSubnet}`));
        assert.ok(kcm.includes(`--cluster-name=${cc.clusterName}`));

        const sched = commandOf(manifest("kube-scheduler"));
        for (const a of cc.scheduler.extraArgs) assert.ok(sched.includes(flag(a)), `kube-scheduler runs with ${flag(a)}`);

        const etcd = commandOf(manifest("etcd"));
        for (const a of cc.etcd?.local?.extraArgs ?? []) assert.ok(etcd.includes(flag(a)), `etcd runs with ${flag(a)}`);
        assert.ok(etcd.includes(`--advertise-client-urls=https://${ic.localAPIEndpoint.advertiseAddress}:2379`));
        assert.ok(etcd.includes(`--name=${ic.nodeRegistration.name}`));

        // Nothing secret reaches a manifest: the token and certificate key are kubeadm's inputs only.
        const written = fs.readdirSync(path.join(etc, "manifests")).map((f) => fs.readFileSync(path.join(etc, "manifests", f), "utf8")).join("\n");
        for (const s of secretValues) assert.ok(!written.includes(s), "a secret value in a static pod manifest");
      });
    }
  }
});

/** The DNS names and IP addresses a certificate is issued for, as openssl prints them. */
function servingNames(crt: string): string[] {
  const out = execFileSync("openssl", ["x509", "-noout", "-ext", "subjectAltName", "-in", crt], { encoding: "utf8" });
  return [...out.matchAll(/(?:DNS|IP Address):([^,\s]+)/g)].map((m) => m[1]);
}

describe("a name added to controlPlane.certSANs is in the certificate kubeadm issues", skipFor(kubeadmKubernetes["1.34"]), () => {
  it("metal-ber1 with api.ber1.example.com and 10.5.0.99", () => {
    const base = stackSpec("metal-ber1");
    const spec = { ...base, controlPlane: { ...base.controlPlane, certSANs: [...base.controlPlane.certSANs, "api.ber1.example.com", "10.5.0.99"] } };
    const { root } = initPhases(kubeadmKubernetes["1.34"], initConfigOf(spec));
    const sans = servingNames(path.join(root, "etc/kubernetes/pki/apiserver.crt"));
    for (const n of ["api.ber1.example.com", "10.5.0.99", "kubernetes.default.svc.cluster.local"]) assert.ok(sans.includes(n), `${n} in ${sans.join(", ")}`);
  });
});

