/**
 * The API server tier: a real etcd and kube-apiserver, started from the manifests real kubeadm
 * writes with our ClusterConfiguration, judge our API server files and our add-on objects. The API
 * server must start with our audit policy, encryption, authentication and admission files (it
 * refuses invalid ones); a Secret written through it is stored encrypted in etcd; the write is
 * audited at our policy's level; an OIDC token from a local issuer authenticates with the claims
 * and prefixes we map, and our OIDC ClusterRoleBindings authorize it; Pod Security enforces our
 * defaults and exemptions; kube-controller-manager runs with kubeadm's flags and ours. Then every
 * object clusterkit renders as a plain manifest goes through server-side apply with dryRun=All and
 * strict field validation. Broken files make the real API server refuse to start, so the checks
 * are shown to bite.
 */
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { parse, stringify } from "yaml";
import type { K8sObject } from "../core/render/addons/k8s";
import { addonPlan } from "../core/render/addons/plan";
import { storageSecrets } from "../core/render/addons/storage";
import { kubeVipPod } from "../core/render/kubeadm/kube-vip";
import * as paths from "../core/render/kubeadm/paths";
import type { NodeSecrets } from "../core/render/kubeadm/secrets";
import type { ClusterSpec, NodeSpec } from "../core/spec";
import { specFor } from "./addons-support/specs";
import { realSecrets, stackSpec } from "./render-kubeadm-specs";
import { freePort, remap, start, startControlPlane, stop, stopAll, tail, type ControlPlane as SharedControlPlane, type ControlPlaneTools, type Running } from "./upstream/control-plane";
import { etcdGet } from "./upstream/etcd-read";
import { discovery, serverSideApply } from "./upstream/kube-api";
import { startOidcIssuer, type OidcIssuer } from "./upstream/oidc-issuer";
import { findTools, tierSkip } from "./upstream/tools";

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const tools = findTools(["kubeadm", "etcd", "kube-apiserver", "kube-controller-manager"]);
const skip = tierSkip("API server tier", tools);

/** The stack the API server runs as: vSphere with kube-vip and OIDC, at the built API server's minor. */
const stack = "vsphere-fra1";
const exampleStacks = ["metal-ber1", "metal-nyc1", "vsphere-fra1", "vsphere-ams1", "prod-us-east-1", "prod-eu-west-1"];

const encryption: NonNullable<NodeSecrets["encryption"]> = { keys: [{ name: "key1", secret: randomBytes(32).toString("base64") }] };
const secretValues = [realSecrets.init.bootstrapToken, realSecrets.init.certificateKey, encryption.keys[0].secret];
/** Process output shown in a failure, with the token, keys and ID tokens blanked out. */
const redact = (text: string) => secretValues.reduce((t, s) => t.split(s).join("<secret>"), text).replace(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g, "<token>");

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "clusterkit-apiserver-"));
// Top level, so it also runs when the tier is skipped; after the suite's own `after` stopped the servers.
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

const addressed = (node: NodeSpec): NodeSpec => (node.address ? node : { ...node, address: "10.9.9.10" });

/** The stack's spec with its OIDC issuer moved to the local test issuer. */
function specWithIssuer(issuerUrl: string): ClusterSpec {
  const spec = stackSpec(stack);
  assert.ok(spec.oidc, `${stack} has OIDC configured`);
  assert.equal(spec.kubernetes.minor, "1.34", "the built kube-apiserver is 1.34; the stack must be at that minor");
  return { ...spec, oidc: { ...spec.oidc, issuerUrl } };
}

let cp: SharedControlPlane & { issuer: OidcIssuer };
let oidcIssuer: OidcIssuer | undefined;

async function startOurControlPlane(issuer: OidcIssuer): Promise<typeof cp> {
  const started = await startControlPlane({ tools: tools.paths as unknown as ControlPlaneTools, spec: specWithIssuer(issuer.url), secrets: realSecrets, encryption, scratch, redact, apiserverEnv: { SSL_CERT_FILE: issuer.caFile } });
  assert.deepEqual(started.files.map((f) => f.path).sort(), [paths.admissionConfigPath, paths.auditPolicyPath, paths.authenticationConfigPath, paths.encryptionConfigPath].sort(), "all four API server files are rendered");
  return { ...started, issuer };
}

function startApiserver(args: string[], log: string, issuer: OidcIssuer): Running {
  return start("kube-apiserver", tools.paths["kube-apiserver"], args, path.join(scratch, log), { SSL_CERT_FILE: issuer.caFile });
}

const fileOf = (p: string) => cp.files.find((f) => f.path === p)!;

/** Creates an object for real; an existing one is fine (the tests share one API server). */
async function ensure(pathname: string, obj: Doc): Promise<void> {
  const r = await cp.api.request("POST", pathname, obj);
  assert.ok(r.status === 201 || r.status === 409, `POST ${pathname}: ${r.status} ${r.text}`);
}

/** Retries `probe` (a request that may need the API server to finish something in the background). */
async function eventually<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs / 1000} s; kube-apiserver log:\n${tail(redact(cp.apiserver.log()))}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

function auditEvents(): Doc[] {
  const file = remap(cp.kroot.root, paths.auditLogPath);
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Doc);
}

describe("the real kube-apiserver runs with our rendered API server files", skip, () => {
  before(async () => {
    oidcIssuer = await startOidcIssuer(path.join(scratch, "oidc"));
    cp = await startOurControlPlane(oidcIssuer);
  }, { timeout: 300_000 });
  after(async () => {
    await stopAll();
    await oidcIssuer?.close();
  });

  it("starts from kubeadm's manifest with every file we render and reports ready", async () => {
    for (const p of [paths.auditPolicyPath, paths.encryptionConfigPath, paths.authenticationConfigPath, paths.admissionConfigPath]) {
      assert.ok(cp.apiserverArgs.some((a) => a.endsWith(`=${remap(cp.kroot.root, p)}`)), `kube-apiserver reads ${p}`);
    }
    const ready = await cp.api.request("GET", "/readyz?verbose");
    assert.equal(ready.status, 200, ready.text);
    const version = await cp.api.request("GET", "/version");
    assert.equal(version.body.gitVersion, `v${cp.spec.kubernetes.version}`);
    // Our files are read at start; a file the API server half-understood would show in its log.
    const log = cp.apiserver.log();
    assert.doesNotMatch(log, /clusterkit\/apiserver\/[^ ]*.*(deprecated|unknown field|ignor)/i, tail(redact(log)));
  });

  it("kube-controller-manager runs with kubeadm's flags and ours, and works (a new namespace gets its default ServiceAccount)", async () => {
    const ns = `kcm-${randomBytes(4).toString("hex")}`;
    await ensure("/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
    await eventually("the default ServiceAccount of a new namespace", async () => ((await cp.api.request("GET", `/api/v1/namespaces/${ns}/serviceaccounts/default`)).status === 200 ? true : null));
  });

  it("lets anonymous requests reach the health endpoints only", async () => {
    const anonymous = { cert: undefined, key: undefined };
    assert.equal((await cp.api.request("GET", "/readyz", undefined, { as: anonymous })).status, 200);
    assert.equal((await cp.api.request("GET", "/livez", undefined, { as: anonymous })).status, 200);
    // 401, not 403: outside the listed paths the request is not even authenticated as anonymous.
    assert.equal((await cp.api.request("GET", "/api/v1/namespaces/default/secrets", undefined, { as: anonymous })).status, 401);
    assert.equal((await cp.api.request("GET", "/version", undefined, { as: anonymous })).status, 401);
    // kubeadm join reads cluster-info anonymously: authenticated (403 from RBAC here, where kubeadm's Role is not created), not 401.
    assert.equal((await cp.api.request("GET", "/api/v1/namespaces/kube-public/configmaps/cluster-info", undefined, { as: anonymous })).status, 403);
  });

  describe("a Secret written through the API server", () => {
    const plaintext = `clusterkit-plaintext-${randomBytes(8).toString("hex")}`;
    const name = `probe-${randomBytes(4).toString("hex")}`;
    const provider = () => {
      const config = parse(fileOf(paths.encryptionConfigPath).content) as Doc;
      const first = config.resources[0].providers[0] as Doc;
      const [kind] = Object.keys(first);
      return `k8s:enc:${kind}:v1:${first[kind].keys[0].name}:`;
    };

    before(async () => {
      const data = { value: Buffer.from(plaintext).toString("base64") };
      const s = await cp.api.request("POST", "/api/v1/namespaces/default/secrets", { apiVersion: "v1", kind: "Secret", metadata: { name }, data });
      assert.equal(s.status, 201, s.text);
      const c = await cp.api.request("POST", "/api/v1/namespaces/default/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data: { value: plaintext } });
      assert.equal(c.status, 201, c.text);
    });

    it("is stored in etcd encrypted with our provider and key, without its plaintext", async () => {
      const stored = await etcdGet(cp.etcdClient, `/registry/secrets/default/${name}`);
      assert.ok(stored, "etcd holds the Secret");
      assert.equal(stored.subarray(0, provider().length).toString("latin1"), provider(), "stored with the first provider and key of our EncryptionConfiguration");
      assert.ok(!stored.includes(plaintext), "the plaintext is not in etcd");
      assert.ok(!stored.includes(Buffer.from(plaintext).toString("base64")), "nor its base64");
      const read = await cp.api.request("GET", `/api/v1/namespaces/default/secrets/${name}`);
      assert.equal(Buffer.from(read.body.data.value as string, "base64").toString(), plaintext, "and decrypted on read");
    });

    it("while a ConfigMap, which our config leaves unencrypted, is stored in clear (so the etcd check can tell)", async () => {
      const stored = await etcdGet(cp.etcdClient, `/registry/configmaps/default/${name}`);
      assert.ok(stored, "etcd holds the ConfigMap");
      assert.equal(stored.subarray(0, 4).toString("latin1"), "k8s\0", "plain protobuf");
      assert.ok(stored.includes(plaintext));
    });

    it("is audited at Metadata level, with neither its body nor its value in the audit log", async () => {
      const event = await eventually("the audit event of the Secret's create", async () =>
        auditEvents().find((e) => e.verb === "create" && e.objectRef?.resource === "secrets" && e.objectRef?.name === name && e.stage === "ResponseComplete") ?? null,
      );
      assert.equal(event.level, "Metadata");
      assert.equal(event.requestObject, undefined);
      assert.equal(event.responseObject, undefined);
      assert.equal(event.user.username, "kubernetes-super-admin");
      const log = fs.readFileSync(remap(cp.kroot.root, paths.auditLogPath), "utf8");
      assert.ok(!log.includes(plaintext) && !log.includes(Buffer.from(plaintext).toString("base64")), "the Secret's value is not in the audit log");
      assert.ok(!auditEvents().some((e) => e.stage === "RequestReceived"), "RequestReceived is omitted");
    });

    it("other writes are audited with their request body (our policy, not a default one)", async () => {
      const sa = `audit-${randomBytes(4).toString("hex")}`;
      await ensure("/api/v1/namespaces/default/serviceaccounts", { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: sa } });
      const event = await eventually("the audit event of the ServiceAccount's create", async () =>
        auditEvents().find((e) => e.verb === "create" && e.objectRef?.resource === "serviceaccounts" && e.objectRef?.name === sa && e.stage === "ResponseComplete") ?? null,
      );
      assert.equal(event.level, "Request");
      assert.equal(event.requestObject?.metadata?.name, sa);
      assert.equal(event.responseObject, undefined);
    });
  });

  describe("OIDC sign-in through our AuthenticationConfiguration", () => {
    const review = (token: string) => cp.api.request("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" }, { as: { token } });
    const claims = (group: string) => {
      const oidc = cp.spec.oidc!;
      return { sub: "alice-0001", aud: oidc.clientId, [oidc.usernameClaim]: "alice@example.com", email_verified: true, [oidc.groupsClaim]: [group] };
    };

    it("maps the username and groups claims with our prefixes", async () => {
      const oidc = cp.spec.oidc!;
      const token = cp.issuer.token(claims(oidc.bindings[0].group));
      // The API server fetches the issuer's keys in the background after it starts.
      const r = await eventually("an OIDC token accepted", async () => {
        const res = await review(token);
        return res.status === 201 ? res : null;
      });
      const user = r.body.status.userInfo as Doc;
      assert.equal(user.username, `${oidc.usernamePrefix}alice@example.com`);
      assert.ok((user.groups as string[]).includes(`${oidc.groupsPrefix}${oidc.bindings[0].group}`), `groups ${user.groups}`);
      assert.ok((user.groups as string[]).includes("system:authenticated"));
    });

    it("our OIDC ClusterRoleBindings grant the bound group its role, and nobody else", async () => {
      const oidc = cp.spec.oidc!;
      const find = discovery(cp.api);
      for (const crb of addonPlan(cp.spec).oidc) {
        const ref = await find(crb.apiVersion, crb.kind);
        const r = await serverSideApply(cp.api, ref!, crb, false);
        assert.equal(r.status < 300, true, `${crb.metadata.name}: ${r.status} ${r.text}`);
      }
      const bound = cp.issuer.token(claims(oidc.bindings[0].group));
      const binding = oidc.bindings[0];
      assert.equal(binding.clusterRole, "cluster-admin", "the example binds an admin group");
      const allowed = await eventually("the binding to take effect", async () => {
        const res = await cp.api.request("GET", "/api/v1/namespaces/kube-system/secrets", undefined, { as: { token: bound } });
        return res.status === 200 ? res : null;
      }, 30_000);
      assert.equal(allowed.status, 200);
      const stranger = cp.issuer.token(claims("not-bound"));
      assert.equal((await cp.api.request("GET", "/api/v1/namespaces/kube-system/secrets", undefined, { as: { token: stranger } })).status, 403);
    });

    it("refuses a token for another audience, and one signed with a key the issuer does not publish", async () => {
      const wrongAudience = cp.issuer.token({ ...claims("platform-admins"), aud: "someone-else" });
      assert.equal((await review(wrongAudience)).status, 401);
      const forged = cp.issuer.token(claims("platform-admins"), "stranger");
      assert.equal((await review(forged)).status, 401);
    });
  });

  describe("Pod Security admission with our defaults", () => {
    const pod = (name: string, securityContext: Doc) => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name },
      spec: { automountServiceAccountToken: false, containers: [{ name: "c", image: "registry.k8s.io/pause:3.10", securityContext }] },
    });
    const dryRunCreate = (ns: string, body: Doc) => cp.api.request("POST", `/api/v1/namespaces/${ns}/pods?dryRun=All`, body);

    before(async () => {
      // The ServiceAccount admission plugin needs each namespace's `default` ServiceAccount; made here rather than waiting for the controller-manager.
      for (const ns of ["default", ...cp.spec.security.podSecurity.exemptNamespaces]) {
        await ensure(`/api/v1/namespaces`, { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
        await ensure(`/api/v1/namespaces/${ns}/serviceaccounts`, { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default" } });
      }
    });

    it(`rejects a privileged pod in a namespace without labels (enforce: our default level)`, async () => {
      const { enforce } = cp.spec.security.podSecurity;
      assert.notEqual(enforce, "privileged", "the example enforces a level that forbids privileged pods");
      const r = await dryRunCreate("default", pod("privileged", { privileged: true }));
      assert.equal(r.status, 403, r.text);
      assert.match(r.body.message as string, new RegExp(`violates PodSecurity "${enforce}:latest"`));
    });

    it("warns at our warn level about a pod that enforce lets through", async () => {
      const { warn } = cp.spec.security.podSecurity;
      const r = await dryRunCreate("default", pod("unhardened", {}));
      assert.equal(r.status, 201, r.text);
      assert.ok(r.warnings.some((w) => w.includes(`violate PodSecurity "${warn}:latest"`)), `warnings: ${r.warnings.join(" | ")}`);
    });

    it("admits a privileged pod in our exempt namespaces", async () => {
      const { exemptNamespaces } = cp.spec.security.podSecurity;
      assert.ok(exemptNamespaces.length > 0, "the example exempts a namespace");
      for (const ns of exemptNamespaces) {
        const r = await dryRunCreate(ns, pod("privileged", { privileged: true }));
        assert.equal(r.status, 201, `${ns}: ${r.text}`);
      }
    });
  });

  describe("every object clusterkit renders as a manifest passes server-side apply (dryRun=All, strict fields)", () => {
    /** Warnings the API server gives about objects as upstream ships them, each with why it is harmless; any other warning fails. */
    const knownWarnings: { object: string; warning: RegExp; why: string }[] = [
      {
        object: "Deployment vmware-system-csi/vsphere-csi-controller",
        warning: /duplicate port name "prometheus"/,
        why: "upstream's v3.3.0 manifest names the metrics ports of the driver and the syncer both `prometheus`; the Service targets them by number",
      },
    ];
    /** API groups whose CRDs come with a chart we install (not rendered by us, so not here). */
    const crdsFromCharts: Record<string, string> = { "metallb.io": "metallb" };
    const stackSpecs: [string, () => ClusterSpec][] = [
      ...exampleStacks.map((s): [string, () => ClusterSpec] => [s, () => stackSpec(s)]),
      ["metal-ber1 with Weave Net", () => specFor("baremetal", (bp) => void (bp.cni = { kind: "weave", acknowledgeUnmaintained: true }))],
    ];

    for (const [label, specOf] of stackSpecs) {
      it(label, async (t) => {
        const spec = specOf();
        const plan = addonPlan(spec);
        const installs = [plan.cni, ...plan.storage, ...plan.ingress];
        const charts = new Set(installs.flatMap((i) => i.releases.map((r) => r.chart.chart)));
        const objects: K8sObject[] = [
          plan.networkIdentity,
          ...installs.flatMap((i) => [...i.namespaces, ...(i.prerequisites ?? []), ...i.objects]),
          ...plan.oidc,
          ...storageSecrets(spec, { vspherePassword: "test-password", cephUserKey: "test-key" }),
        ];
        const staticPods = spec.nodes
          .filter((n) => n.role === "control-plane")
          .slice(0, 1)
          .flatMap((n) => (["bootstrap", "steady"] as const).map((v) => kubeVipPod(spec, addressed(n), v)))
          .filter((p): p is NonNullable<typeof p> => p !== null) as unknown as K8sObject[];
        const all = [...objects, ...staticPods];
        assert.ok(all.length > 3, `${label} renders objects`);

        const find = discovery(cp.api);
        const failures: string[] = [];
        const unserved: string[] = [];
        const id = (o: K8sObject) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name}`;
        // CRDs and namespaces for real first, so the objects that need them can be judged.
        const order = (o: K8sObject) => (o.kind === "CustomResourceDefinition" ? 0 : o.kind === "Namespace" ? 1 : 2);
        for (const o of [...all].sort((a, b) => order(a) - order(b))) {
          const ref = await find(o.apiVersion, o.kind);
          if (!ref) {
            const group = o.apiVersion.split("/")[0];
            if (crdsFromCharts[group] && charts.has(crdsFromCharts[group])) unserved.push(`${id(o)} (${o.apiVersion} comes with the ${crdsFromCharts[group]} chart)`);
            else failures.push(`${id(o)}: the API server does not serve ${o.apiVersion} ${o.kind}`);
            continue;
          }
          if (ref.namespaced && o.metadata.namespace) await ensure("/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: o.metadata.namespace } });
          const r = await serverSideApply(cp.api, ref, o, order(o) === 2);
          if (r.status >= 300) failures.push(`${id(o)}: ${r.status} ${r.body.message ?? r.text}`);
          for (const w of r.warnings) {
            const known = knownWarnings.find((k) => k.object === id(o) && k.warning.test(w));
            if (known) t.diagnostic(`${id(o)}: known warning: ${w} (${known.why})`);
            else failures.push(`${id(o)}: warning: ${w}`);
          }
        }
        for (const u of unserved) t.diagnostic(`not judged: ${u}`);
        assert.deepEqual(failures, [], `the API server refuses objects of ${label}:\n${failures.join("\n")}`);
      });
    }

    it("a wrong object fails (the check bites)", async () => {
      const find = discovery(cp.api);
      const spec = stackSpec("metal-ber1");
      const sc = addonPlan(spec).storage.flatMap((i) => i.objects).find((o) => o.kind === "StorageClass")!;
      const ref = (await find(sc.apiVersion, sc.kind))!;
      const typo = await serverSideApply(cp.api, ref, { ...sc, volumeBindingMod: "WaitForFirstConsumer" } as K8sObject, true);
      // Server-side apply answers an undeclared field with 500 (its typed patch cannot be built), not 400.
      assert.ok(typo.status >= 400, typo.text);
      assert.match(typo.body.message as string, /\.volumeBindingMod: field not declared in schema/);
      const invalid = await serverSideApply(cp.api, ref, { ...sc, reclaimPolicy: "Recycle" } as K8sObject, true);
      assert.equal(invalid.status, 422, invalid.text);
      assert.match(invalid.body.message as string, /reclaimPolicy/);
    });
  });

  describe("a broken API server file makes the real API server refuse to start (the check bites)", () => {
    const breakages: { name: string; file: string; flag: string; breakIt: (doc: Doc) => void; expect: RegExp }[] = [
      {
        name: "a secretbox key that is not 32 bytes",
        file: paths.encryptionConfigPath,
        flag: "encryption-provider-config",
        breakIt: (doc) => void (doc.resources[0].providers[0].secretbox.keys[0].secret = randomBytes(16).toString("base64")),
        expect: /command failed.*secretbox\.keys\[0\]\.secret.*expected length, got 16/,
      },
      {
        name: "an audit level that does not exist",
        file: paths.auditPolicyPath,
        flag: "audit-policy-file",
        breakIt: (doc) => void (doc.rules[doc.rules.length - 1].level = "Everything"),
        expect: /command failed.*audit policy.*level: Unsupported value.*Everything/,
      },
      {
        name: "a JWT authenticator without its username prefix",
        file: paths.authenticationConfigPath,
        flag: "authentication-config",
        breakIt: (doc) => void delete doc.jwt[0].claimMappings.username.prefix,
        expect: /command failed.*jwt\[0\]\.claimMappings\.username\.prefix: Required value/,
      },
      {
        name: "a Pod Security level that does not exist",
        file: paths.admissionConfigPath,
        flag: "admission-control-config-file",
        breakIt: (doc) => void (doc.plugins[0].configuration.defaults.enforce = "strict"),
        expect: /command failed.*PodSecurity configuration error: enforce: must be one of/,
      },
    ];

    for (const b of breakages) {
      it(b.name, async (t) => {
        const doc = parse(fileOf(b.file).content) as Doc;
        b.breakIt(doc);
        const broken = path.join(scratch, "broken", path.basename(b.file));
        fs.mkdirSync(path.dirname(broken), { recursive: true });
        fs.writeFileSync(broken, stringify(doc), { mode: 0o600 });
        const port = await freePort();
        const args = cp.apiserverArgs.map((a) => (a.startsWith(`--${b.flag}=`) ? `--${b.flag}=${broken}` : a.startsWith("--secure-port=") ? `--secure-port=${port}` : a));
        const proc = startApiserver(args, `broken-${path.basename(b.file)}.log`, cp.issuer);
        const timer = setTimeout(() => void stop(proc), 90_000);
        const exit = await proc.exited;
        clearTimeout(timer);
        const log = redact(proc.log());
        assert.match(exit, /^exit code [1-9]/, `kube-apiserver started with ${b.name}:\n${tail(log)}`);
        const line = log.split("\n").find((l) => b.expect.test(l));
        assert.ok(line, `kube-apiserver's refusal names the breakage:\n${tail(log)}`);
        t.diagnostic(`kube-apiserver: ${line.trim()}`);
      });
    }
  });
});
