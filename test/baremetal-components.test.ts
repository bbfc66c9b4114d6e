// BareMetalCluster and KubeadmCluster under Pulumi mocks: the resources they declare, parents,
// the join order as dependencies, secrets kept secret, and the dynamic providers' serialised
// closures: each one is loaded the way the engine's provider process loads it (require-from-string)
// and answers a call, so a closure that captured something unserialisable fails here.
import assert from "node:assert/strict";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { loadStackFile, resolveStackFile } from "../core/load/project";
import type { ClusterSpec } from "../core/spec";
import { planMocks } from "../cli/plan/mocks";

const root = path.resolve(__dirname, "..");
const KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZWQyNTUxOQ\n-----END OPENSSH PRIVATE KEY-----\n";

interface Seen {
  resource: pulumi.Resource;
  type: string;
  name: string;
  parent?: pulumi.Resource;
  dependsOn: pulumi.Resource[];
  props: Record<string, unknown>;
  secretOutputs: string[];
}

const seen: Seen[] = [];
let spec: ClusterSpec;
let outputs: { kubeconfig: pulumi.Output<string>; apiServerUrl: pulumi.Output<string> };

const byName = (type: string, name: string) => {
  const s = seen.find((x) => x.type === type && x.name === name);
  assert.ok(s, `${type} ${name}`);
  return s;
};
const nameOf = (r: pulumi.Resource) => seen.find((s) => s.resource === r)?.name;
const settle = <T>(o: pulumi.Output<T>) => new Promise<T>((res) => o.apply((v) => res(v)));
const isSecret = (o: pulumi.Output<unknown>) => (o as unknown as { isSecret: Promise<boolean> }).isSecret;

const NODE = "pulumi-nodejs:dynamic/clusterkit:KubeadmNode";
const PREP = "pulumi-nodejs:dynamic/clusterkit:HostPreparation";

describe("BareMetalCluster under mocks", () => {
  before(async () => {
    await pulumi.runtime.setMocks(planMocks, "clusterkit", "metal-ber1", false);
    spec = resolveStackFile(root, loadStackFile(root, "metal-ber1")).spec;
    const { buildBaremetal } = require("../components/baremetal") as typeof import("../components/baremetal");
    const created: pulumi.Resource[] = [];
    await pulumi.runtime.runInPulumiStack(async () => {
      pulumi.runtime.registerStackTransformation((a) => {
        const deps = a.opts.dependsOn;
        created.push(a.resource);
        seen.push({
          resource: a.resource,
          type: a.type,
          name: a.name,
          parent: a.opts.parent,
          dependsOn: (Array.isArray(deps) ? deps : deps ? [deps] : []) as pulumi.Resource[],
          props: (a.props ?? {}) as Record<string, unknown>,
          secretOutputs: ((a.opts as pulumi.CustomResourceOptions).additionalSecretOutputs ?? []) as string[],
        });
        return undefined;
      });
      const top = new pulumi.ComponentResource("test:index:Root", "top");
      outputs = buildBaremetal(spec, { sshPrivateKey: pulumi.secret(KEY) }, top);
      return {};
    });
    await Promise.all(created.map((r) => new Promise((resolve) => r.urn.apply(resolve))));
  });

  it("declares a host preparation and a kubeadm node per host, an encryption key and a Kubernetes provider", () => {
    const count = (t: string) => seen.filter((s) => s.type === t).length;
    assert.equal(count(PREP), spec.nodes.length);
    assert.equal(count(NODE), spec.nodes.length);
    assert.equal(count("random:index/randomBytes:RandomBytes"), 1);
    assert.equal(count("pulumi:providers:kubernetes"), 1);
  });

  it("gives the Kubernetes provider the cluster's name as its identity, so a new tunnel port or answering control plane updates it instead of replacing every add-on", () => {
    const provider = seen.find((s) => s.type === "pulumi:providers:kubernetes")!;
    assert.equal(provider.props.clusterIdentifier, spec.name);
  });

  it("parents everything to KubeadmCluster, itself under BareMetalCluster", () => {
    const kc = byName("clusterkit:kubeadm:KubeadmCluster", "metal-ber1");
    const bm = byName("clusterkit:baremetal:BareMetalCluster", "metal-ber1");
    assert.equal(kc.parent, bm.resource);
    for (const s of seen.filter((x) => [NODE, PREP, "random:index/randomBytes:RandomBytes", "pulumi:providers:kubernetes"].includes(x.type))) {
      assert.equal(s.parent, kc.resource, `${s.type} ${s.name}`);
    }
  });

  it("host preparation first and all at once; control planes join one after another; workers after the first only", () => {
    for (const s of seen.filter((x) => x.type === PREP)) assert.deepEqual(s.dependsOn, [], s.name);
    const deps = (n: string) => byName(NODE, n).dependsOn.map(nameOf);
    assert.deepEqual(deps("ber1-cp-1"), ["ber1-cp-1-host"]);
    assert.deepEqual(deps("ber1-cp-2"), ["ber1-cp-2-host", "ber1-cp-1"]);
    assert.deepEqual(deps("ber1-cp-3"), ["ber1-cp-3-host", "ber1-cp-2"]);
    for (const w of ["ber1-worker-1", "ber1-worker-2", "ber1-worker-3"]) assert.deepEqual(deps(w), [`${w}-host`, "ber1-cp-1"]);
  });

  it("keeps the SSH key, the encryption config and the kubeconfig secret", async () => {
    for (const s of seen.filter((x) => x.type === NODE || x.type === PREP)) {
      assert.equal(await isSecret(s.props.privateKey as pulumi.Output<string>), true, `${s.name} privateKey`);
      assert.ok(s.secretOutputs.includes("privateKey"), `${s.name} marks privateKey a secret output`);
    }
    for (const s of seen.filter((x) => x.type === NODE)) {
      assert.ok(s.secretOutputs.includes("kubeconfig") && s.secretOutputs.includes("secretFiles"), s.name);
    }
    const cpFiles = byName(NODE, "ber1-cp-1").props.secretFiles as pulumi.Output<{ path: string; content: string }[]>;
    assert.equal(await isSecret(cpFiles), true);
    const files = await settle(cpFiles);
    assert.deepEqual(files.map((f) => f.path), ["/etc/kubernetes/clusterkit/apiserver/encryption-config.yaml"]);
    assert.match(files[0].content, /secretbox/);
    assert.equal(await isSecret(outputs.kubeconfig), true);
    assert.equal(await settle(outputs.apiServerUrl), "https://10.5.0.10:6443");
  });

  it("renders each node's files with placeholders where tokens and keys go, and only the first control plane inits", async () => {
    const init = await settle(byName(NODE, "ber1-cp-1").props.files as pulumi.Output<{ path: string; content: string }[]>);
    const cfg = init.find((f) => f.path === "/etc/kubernetes/clusterkit/kubeadm.yaml")!;
    assert.match(cfg.content, /kind: InitConfiguration/);
    assert.match(cfg.content, /<secret: bootstrap token>/);
    assert.match(cfg.content, /<secret: certificate key>/);
    assert.ok(!init.some((f) => f.path.endsWith("encryption-config.yaml")), "the encryption config travels only as a secret");
    const worker = await settle(byName(NODE, "ber1-worker-2").props.files as pulumi.Output<{ path: string; content: string }[]>);
    assert.match(worker[0].content, /kind: JoinConfiguration/);
    assert.equal(await settle(byName(NODE, "ber1-cp-2").props.init as pulumi.Output<boolean>), false);
    assert.deepEqual(await settle(byName(NODE, "ber1-worker-2").props.kubeadmCommand as pulumi.Output<string[]>), ["kubeadm", "join", "--config", "/etc/kubernetes/clusterkit/kubeadm.yaml"]);
  });

  it("serialises the dynamic providers into closures the engine's provider process can load and call", async () => {
    const requireFromString = require("require-from-string") as (code: string) => { handler: () => Record<string, (...a: unknown[]) => Promise<unknown>> };
    for (const t of [NODE, PREP]) {
      const text = await settle(seen.find((s) => s.type === t)!.props.__provider as pulumi.Output<string>);
      assert.ok(text.length < 10_000, `${t}: the closure stays small (${text.length} bytes)`);
      assert.ok(!text.includes("OPENSSH PRIVATE KEY"), "no secret in the closure");
      const provider = requireFromString(text).handler();
      assert.deepEqual(Object.keys(provider).sort(), ["create", "delete", "diff", "read", "update"]);
      const olds = { name: "n", address: "10.0.0.1", kubernetesVersion: "1.34.1", observed: { drift: [] }, pending: [] };
      assert.deepEqual(await provider.diff("id", olds, { ...olds }), { changes: false, replaces: [], deleteBeforeReplace: false });
    }
  });

  it("takes addresses and host keys that are outputs of other resources (as on vSphere)", async () => {
    const { KubeadmCluster } = require("../components/kubeadm") as typeof import("../components/kubeadm");
    let cluster: InstanceType<typeof KubeadmCluster> | undefined;
    await pulumi.runtime.runInPulumiStack(async () => {
      const later = (v: string) => pulumi.output(new Promise<string>((r) => setTimeout(() => r(v), 5)));
      cluster = new KubeadmCluster("vm-like", {
        spec,
        hosts: spec.nodes.map((n, i) => ({ name: n.name, role: n.role, address: later(`10.9.0.${20 + i}`), ssh: { user: "clusterkit", port: 22, hostKey: later(`SHA256:${"b".repeat(43)}`) } })),
        sshPrivateKey: pulumi.secret(KEY),
      });
      return {};
    });
    const prep = await settle(cluster!.hostPreparations[1].urn);
    assert.match(prep, /HostPreparation::ber1-cp-2-host$/);
    assert.equal(cluster!.nodes.length, spec.nodes.length);
  });
});
