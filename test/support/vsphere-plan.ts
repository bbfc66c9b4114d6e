/**
 * Runs the real program (index.ts) offline under mocks for one vSphere example stack and asserts
 * what the vSphere platform must always build: the VM graph, DRS anti-affinity, the cloud-init each
 * VM boots with (decoded from its guestinfo), host keys pinned end to end into the kubeadm step,
 * secrets kept secret, and parents. Each stack's test file calls `vsphereProgramSuite` once (one
 * program per process). The mocks' raw inputs are captured too: they still hold secret values,
 * which the plan's view redacts.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { isRpcSecret, unwrapRpcSecret } from "@pulumi/pulumi/runtime/rpc";
import { utils as sshUtils } from "ssh2";
import { parse } from "yaml";
import { planMocks } from "../../cli/plan/mocks";
import { ed25519FromSeed } from "../../cli/plan/mocks/vsphere";
import { runProgramOffline, type PlannedResource, type ProgramRun } from "../../cli/plan/run-program";
import { loadFleet } from "../../core/load/project";
import { sshFingerprintSha256 } from "../../core/render/cloud-init/fingerprint";
import type { ClusterSpec, VspherePlatformSpec } from "../../core/spec";
import { exampleRoot } from "./temp-project";

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const T = {
  vm: "vsphere:index/virtualMachine:VirtualMachine",
  rule: "vsphere:index/computeClusterVmAntiAffinityRule:ComputeClusterVmAntiAffinityRule",
  folder: "vsphere:index/folder:Folder",
  tag: "vsphere:index/tag:Tag",
  category: "vsphere:index/tagCategory:TagCategory",
  provider: "pulumi:providers:vsphere",
  hostKey: "tls:index/privateKey:PrivateKey",
  kubeadmNode: "pulumi-nodejs:dynamic/clusterkit:KubeadmNode",
  sizeGuard: "pulumi-nodejs:dynamic/clusterkit:VmSizeGuard",
  rotation: "pulumi-nodejs:dynamic/clusterkit:HostKeyRotation",
  hostPrep: "pulumi-nodejs:dynamic/clusterkit:HostPreparation",
};

interface Captured {
  type: string;
  name: string;
  provider?: string;
  /** As the provider would receive them: secrets still wrapped. */
  inputs: Doc;
  state: Doc;
}

/** Stack config as Pulumi hands it to the program: strings, structured values as JSON. */
function stackConfig(stack: string): Record<string, string> {
  const raw = parse(fs.readFileSync(path.join(exampleRoot(), "stacks", `Pulumi.${stack}.yaml`), "utf8")).config as Record<string, unknown>;
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

const b64 = (s: string) => Buffer.from(s, "base64").toString("utf8");
/** The mocks lift a nested secret to the top of the object that holds it. */
const extraConfigOf = (c: Captured) => unwrapRpcSecret(c.inputs.extraConfig) as Doc;

export function vsphereProgramSuite(stack: string): void {
  describe(`vSphere program under mocks: ${stack}`, () => {
    let run: ProgramRun;
    let spec: ClusterSpec;
    let platform: VspherePlatformSpec;
    const created: Captured[] = [];
    const calls: { token: string; inputs: Doc; provider?: string }[] = [];
    /** What the mocks answer for a lookup, asked without recording it as the program's. */
    let lookup: (token: string, inputs: Doc) => Doc;
    const sshKey = ed25519FromSeed(randomBytes(32));
    const password = `vc-password-${randomBytes(12).toString("hex")}`;

    const of = (type: string) => run.resources.filter((r) => r.type === type);
    const raw = (type: string, name: string) => {
      const c = created.find((x) => x.type === type && x.name === name);
      assert.ok(c, `${type} ${name} was registered`);
      return c;
    };
    const input = (r: PlannedResource) => r.inputs as Doc;
    const vmNamed = (name: string) => {
      const r = of(T.vm).find((v) => v.name === name);
      assert.ok(r, `VM ${name}`);
      return r;
    };

    before(async () => {
      const fleet = loadFleet(exampleRoot(), [stack]);
      assert.deepEqual(fleet.issues, []);
      spec = fleet.resolved.get(stack)!.spec;
      assert.equal(spec.platform.kind, "vsphere");
      platform = spec.platform as VspherePlatformSpec;
      const { newResource, call } = planMocks;
      lookup = (token, inputs) => call({ token, inputs }) as Doc;
      planMocks.newResource = async (args) => {
        const result = await newResource(args);
        created.push({ type: args.type, name: args.name, provider: args.provider, inputs: args.inputs, state: result.state });
        // planMocks echoes the SDK's empty import ID for new resources, which the SDK reads as an unknown ID.
        return { ...result, id: result.id || `${args.name}-id` };
      };
      planMocks.call = (args) => {
        calls.push({ token: args.token, inputs: args.inputs, provider: args.provider });
        return call(args);
      };
      process.chdir(exampleRoot());
      const config = { ...stackConfig(stack), "clusterkit:sshPrivateKey": sshKey.privateKeyOpenssh, "clusterkit:vspherePassword": password };
      run = await runProgramOffline({ root: exampleRoot(), project: "clusterkit", stack, config, secretKeys: ["clusterkit:sshPrivateKey", "clusterkit:vspherePassword"] });
    });

    it("clones one VM per node from the template, sized per pool, disk grown, disk UUIDs on", () => {
      assert.deepEqual(of(T.vm).map((v) => v.name), spec.nodes.map((n) => n.name));
      const template = calls.find((c) => c.token === "vsphere:index/getVirtualMachine:getVirtualMachine");
      assert.equal(template?.inputs.name, platform.vcenter.template);
      const templateResult = lookup(template!.token, template!.inputs);
      for (const node of spec.nodes) {
        const vm = input(vmNamed(node.name));
        assert.equal(node.size.kind, "vm");
        if (node.size.kind !== "vm") continue;
        assert.equal(vm.name, node.name);
        assert.equal(vm.numCpus, node.size.cpus);
        assert.equal(vm.memory, node.size.memoryMiB);
        assert.equal(vm.disks.length, templateResult.disks.length);
        assert.equal(vm.disks[0].size, node.size.diskGiB);
        assert.ok(vm.disks[0].size >= templateResult.disks[0].size, "never smaller than the template's disk");
        assert.equal(vm.disks[0].thinProvisioned, templateResult.disks[0].thinProvisioned);
        assert.equal(vm.enableDiskUuid, true, "the vSphere CSI driver needs disk UUIDs");
        assert.deepEqual(vm.clone, { templateUuid: templateResult.uuid, linkedClone: platform.linkedClone });
        assert.equal(vm.guestId, templateResult.guestId);
        assert.equal(vm.firmware, templateResult.firmware);
        assert.equal(vm.scsiType, templateResult.scsiType);
        assert.equal(vm.folder, platform.vcenter.folder);
        assert.ok(vm.waitForGuestNetTimeout > 0, "creation waits until the guest network is up");
        assert.match(vm.annotation, new RegExp(`cluster ${spec.name}`));
      }
    });

    it("guards each VM's size: the VM depends on a guard holding its shape, the field, and the URNs a safe resize targets", () => {
      for (const node of spec.nodes) {
        if (node.size.kind !== "vm") continue;
        const vm = vmNamed(node.name);
        const guard = of(T.sizeGuard).find((g) => g.name === `${node.name}-size`);
        assert.ok(guard, `${node.name} has a size guard`);
        assert.ok(vm.dependsOn.includes(guard.urn), "the VM changes only after its guard's diff passed");
        // No template roll (the guards recorded none): every VM is cloned at once.
        assert.deepEqual(vm.dependsOn.filter((u) => u.includes(`$${T.kubeadmNode}::`)), [], `${node.name} waits for no node`);
        const cps = spec.nodes.filter((n) => n.role === "control-plane").length;
        // A VM rolls where its node has a static address and, for a control plane, two others stay.
        const rollable = !!node.address && (node.role === "worker" || cps >= 3);
        const clone = input(vm).clone as { templateUuid: string };
        assert.deepEqual(input(guard), {
          node: node.name,
          stack: spec.stack,
          file: `blueprints/${spec.blueprint}.yaml`,
          path: node.pool ? `nodePools.${node.pool}.size` : "controlPlane.size",
          targets: [guard.urn, vm.urn],
          cpus: node.size.cpus,
          memoryMiB: node.size.memoryMiB,
          cpuHotAdd: false,
          memoryHotAdd: false,
          template: platform.vcenter.template,
          ...(rollable ? { templateUuid: clone.templateUuid } : {}),
          linkedClone: platform.linkedClone,
          role: node.role,
          controlPlanes: cps,
          dhcp: !node.address,
        });
        assert.ok(clone.templateUuid, "the VM is cloned from the template's UUID");
        const opts = { replace: run.replaceOnChanges?.[vm.urn] ?? [], ignore: run.ignoreChanges?.[vm.urn] ?? [] };
        if (rollable) assert.deepEqual(opts, { replace: ["numCpus", "memory", "cpuHotAddEnabled", "memoryHotAddEnabled", "clone"], ignore: ["extraConfig"] }, `${node.name} rolls`);
        else assert.deepEqual(opts, { replace: [], ignore: ["extraConfig", "clone.templateUuid"] }, `${node.name} keeps its VM`);
        assert.equal(input(vm).cpuHotAddEnabled, false, "the VM is told the hot-add setting the guard decides with");
        assert.equal(input(vm).memoryHotAddEnabled, false);
      }
    });

    it("places the VMs where the stack says: lookups by name through the cluster's vCenter provider", () => {
      const vc = platform.vcenter;
      const asked = (fn: string) => calls.filter((c) => c.token === `vsphere:index/${fn}:${fn}`);
      assert.deepEqual(asked("getDatacenter").map((c) => c.inputs.name), [vc.datacenter]);
      assert.deepEqual(asked("getComputeCluster").map((c) => c.inputs.name), [vc.computeCluster]);
      assert.deepEqual(asked("getNetwork").map((c) => c.inputs.name), [vc.network]);
      assert.deepEqual(asked("getDatastore").map((c) => c.inputs.name), vc.datastore ? [vc.datastore] : []);
      assert.deepEqual(asked("getDatastoreCluster").map((c) => c.inputs.name), vc.datastoreCluster ? [vc.datastoreCluster] : []);
      for (const c of calls.filter((x) => x.token.startsWith("vsphere:"))) {
        assert.ok(c.provider?.includes(`$pulumi:providers:vsphere::${spec.name}-vcenter::`), `${c.token} goes through the explicit provider`);
        if (c.token !== "vsphere:index/getDatacenter:getDatacenter") assert.ok(c.inputs.datacenterId, `${c.token} is scoped to the datacenter`);
      }
      const cluster = lookup("vsphere:index/getComputeCluster:getComputeCluster", asked("getComputeCluster")[0].inputs);
      const network = lookup("vsphere:index/getNetwork:getNetwork", asked("getNetwork")[0].inputs);
      for (const vm of of(T.vm).map(input)) {
        assert.equal(vm.resourcePoolId, cluster.resourcePoolId, "the compute cluster's root pool");
        assert.deepEqual(vm.networkInterfaces.map((n: Doc) => n.networkId), [network.id]);
        assert.ok(vm.datastoreId || vm.datastoreClusterId);
      }
      for (const c of created.filter((x) => x.type.startsWith("vsphere:"))) {
        assert.ok(c.provider?.includes(`$pulumi:providers:vsphere::${spec.name}-vcenter::`), `${c.type} ${c.name} uses the explicit provider`);
      }
      const provider = of(T.provider);
      assert.equal(provider.length, 1);
      assert.deepEqual(input(provider[0]), { vsphereServer: vc.server, user: vc.user, password: "[secret]", allowUnverifiedSsl: "false" });
    });

    it("keeps the control planes, and each worker pool, on separate ESXi hosts", () => {
      const uuidOf = (node: string) => raw(T.vm, node).state.uuid as string;
      const rules = new Map(of(T.rule).map((r) => [input(r).name, input(r)]));
      const expected = [
        [`${spec.name}-control-plane`, spec.nodes.filter((n) => n.role === "control-plane")],
        ...spec.nodePools.map((p) => [`${spec.name}-pool-${p.name}`, spec.nodes.filter((n) => n.pool === p.name)] as const),
      ] as const;
      assert.deepEqual([...rules.keys()].sort(), expected.map(([n]) => n).sort());
      const clusterId = lookup("vsphere:index/getComputeCluster:getComputeCluster", { name: platform.vcenter.computeCluster }).id;
      for (const [name, nodes] of expected) {
        const rule = rules.get(name)!;
        assert.deepEqual(rule.virtualMachineIds, nodes.map((n) => uuidOf(n.name)), `${name} lists exactly its VMs`);
        assert.equal(rule.computeClusterId, clusterId);
        assert.equal(rule.enabled, true);
        assert.equal(rule.mandatory, false);
      }
    });

    it("boots each VM with its cloud-init: hostname, network, SSH user and the generated host key", () => {
      const authorized = sshUtils.parseKey(sshKey.privateKeyOpenssh);
      assert.ok(!(authorized instanceof Error));
      const authorizedLine = `${authorized.type} ${authorized.getPublicSSH().toString("base64")}`;
      for (const node of spec.nodes) {
        const extra = extraConfigOf(raw(T.vm, node.name));
        assert.equal(extra["guestinfo.userdata.encoding"], "base64");
        assert.equal(extra["guestinfo.metadata.encoding"], "base64");
        const ud = parse(b64(unwrapRpcSecret(extra["guestinfo.userdata"]))) as Doc;
        const md = parse(b64(extra["guestinfo.metadata"])) as Doc;
        assert.match(b64(unwrapRpcSecret(extra["guestinfo.userdata"])), /^#cloud-config\n/);
        assert.equal(ud.hostname, node.name);
        assert.deepEqual(ud.users.map((u: Doc) => u.name), [node.ssh.user]);
        assert.deepEqual(ud.users[0].ssh_authorized_keys, [authorizedLine], "the public half of clusterkit:sshPrivateKey");
        const hostKey = raw(T.hostKey, `${node.name}-ssh-host-key`);
        assert.equal(hostKey.inputs.algorithm, "ED25519");
        assert.equal(ud.ssh_keys.ed25519_private, hostKey.state.privateKeyOpenssh);
        assert.equal(ud.ssh_keys.ed25519_public, String(hostKey.state.publicKeyOpenssh).trim());
        assert.equal(ud.ssh_deletekeys, true);
        assert.equal(md["instance-id"], node.name);
        assert.equal(md["local-hostname"], node.name);
        assert.equal(md["network.encoding"], "base64");
        const net = parse(b64(md.network)) as Doc;
        if (platform.templateOs === "ubuntu") {
          const nic = net.ethernets.primary;
          if (node.address && platform.staticNetwork) {
            assert.deepEqual(nic.addresses, [`${node.address}/${platform.staticNetwork.prefixLength}`]);
            assert.deepEqual(nic.routes, [{ to: "0.0.0.0/0", via: platform.staticNetwork.gateway }]);
            assert.deepEqual(nic.nameservers.addresses, platform.staticNetwork.nameservers);
          } else assert.equal(nic.dhcp4, true);
        } else assert.equal(net.version, 1);
      }
    });

    it("pins each host key before first contact; the key in guestinfo serves only the session that replaces it", () => {
      const kubeadm = new Map(of(T.kubeadmNode).map((r) => [r.name, r]));
      const preps = new Map(of(T.hostPrep).map((r) => [input(r).name, r]));
      assert.equal(kubeadm.size, spec.nodes.length, "one KubeadmNode per VM");
      /** Two independent derivations: from the public key line, and from the private key via ssh2. */
      const fingerprint = (name: string) => {
        const key = raw(T.hostKey, name).state;
        const parsed = sshUtils.parseKey(String(key.privateKeyOpenssh));
        assert.ok(!(parsed instanceof Error));
        const fromPrivate = sshFingerprintSha256(`${parsed.type} ${parsed.getPublicSSH().toString("base64")}`);
        assert.equal(sshFingerprintSha256(String(key.publicKeyOpenssh)), fromPrivate);
        return fromPrivate;
      };
      for (const node of spec.nodes) {
        const firstBoot = fingerprint(`${node.name}-ssh-host-key`);
        const lasting = fingerprint(`${node.name}-ssh-host-key-lasting`);
        assert.notEqual(firstBoot, lasting);
        const rotation = of(T.rotation).find((r) => r.name === `${node.name}-host-key`);
        assert.ok(rotation, `${node.name} has its host key replaced`);
        const rot = input(rotation);
        assert.equal(rot.bootstrapHostKey, firstBoot, "the one session trusting the guestinfo key");
        assert.equal(rot.hostKey, lasting);
        assert.equal(rot.hostPrivateKey, "[secret]");
        assert.equal(rot.privateKey, "[secret]");
        assert.equal(rot.user, node.ssh.user);
        assert.equal(rot.vmId, raw(T.vm, node.name).state.uuid, "a new VM gets its own rotation");
        assert.equal(unwrapRpcSecret(raw(T.rotation, rotation.name).inputs.hostPrivateKey), raw(T.hostKey, `${node.name}-ssh-host-key-lasting`).state.privateKeyOpenssh);
        assert.ok(rotation.dependsOn.includes(vmNamed(node.name).urn));
        const kn = input(kubeadm.get(node.name)!);
        const hp = input(preps.get(node.name)!);
        assert.equal(rot.address, hp.address);
        for (const r of [kn, hp]) {
          assert.equal(r.ssh.hostKey, lasting, `${node.name} is pinned to its lasting key, never the one vCenter shows`);
          assert.equal(r.ssh.user, node.ssh.user);
          assert.equal(r.connection.trustOnFirstUse, false);
          assert.equal(r.address, raw(T.vm, node.name).state.defaultIpAddress, "the address the VM reports");
        }
        if (node.address) assert.equal(kn.address, node.address);
        assert.ok(preps.get(node.name)!.dependsOn.includes(vmNamed(node.name).urn), `${node.name} is bootstrapped once its VM is up`);
        assert.ok(preps.get(node.name)!.dependsOn.includes(rotation.urn), `${node.name} is bootstrapped once its lasting key is in place`);
        const ud = parse(b64(unwrapRpcSecret(extraConfigOf(raw(T.vm, node.name))["guestinfo.userdata"]))) as Doc;
        assert.equal(ud.ssh_keys.ed25519_private, raw(T.hostKey, `${node.name}-ssh-host-key`).state.privateKeyOpenssh, "guestinfo holds the first-boot key");
        // The header lines of every unencrypted ed25519 key are alike: compare the key material.
        const lastingKey = raw(T.hostKey, `${node.name}-ssh-host-key-lasting`).state;
        const material = [String(lastingKey.publicKeyOpenssh).split(" ")[1], ...String(lastingKey.privateKeyOpenssh).split("\n").slice(3, -2)];
        for (const m of material) assert.ok(m && !JSON.stringify(ud).includes(m), "and never the lasting one");
      }
    });

    it("tags the folder and VMs with cluster, stack, blueprint, region and role", () => {
      const categories = new Map(of(T.category).map((c) => [c.name.slice(spec.name.length + 1), input(c)]));
      assert.deepEqual([...categories.keys()].sort(), [...Object.keys(spec.tags), "clusterkit.dev/role"].sort());
      for (const [key, c] of categories) {
        assert.equal(c.name, `${key} (${spec.name})`, "categories are per cluster: names are global in vCenter");
        assert.equal(c.cardinality, "SINGLE");
      }
      const tagId = (key: string, value: string) => {
        const r = of(T.tag).find((t) => t.name === `${spec.name}-${key}-${value}`);
        assert.ok(r, `tag ${key}=${value}`);
        assert.equal(input(r).name, value);
        return raw(T.tag, r.name).state.id ?? `${r.name}-id`;
      };
      const clusterTags = Object.entries(spec.tags).map(([k, v]) => tagId(k, v));
      assert.deepEqual(input(of(T.folder)[0]).tags, clusterTags);
      assert.equal(input(of(T.folder)[0]).path, platform.vcenter.folder);
      assert.equal(input(of(T.folder)[0]).type, "vm");
      for (const node of spec.nodes) assert.deepEqual(input(vmNamed(node.name)).tags, [...clusterTags, tagId("clusterkit.dev/role", node.role)]);
    });

    it("keeps secrets secret: no password, SSH key or host private key in any plain input, output or log", () => {
      const hostPrivateKeys = created.filter((c) => c.type === T.hostKey).map((c) => String(c.state.privateKeyOpenssh));
      const visible = JSON.stringify({ resources: run.resources, outputs: run.outputs, log: run.log });
      for (const s of [password, sshKey.privateKeyOpenssh.split("\n")[1], ...hostPrivateKeys.map((k) => k.split("\n")[1])]) assert.ok(!visible.includes(s));
      assert.doesNotMatch(visible, /BEGIN OPENSSH PRIVATE KEY/);
      for (const vm of of(T.vm)) {
        assert.equal(input(vm).extraConfig["guestinfo.userdata"], "[secret]");
        assert.notEqual(input(vm).extraConfig["guestinfo.metadata"], "[secret]", "meta-data holds nothing secret and stays readable in the plan");
        const c = raw(T.vm, vm.name);
        assert.ok(isRpcSecret(c.inputs.extraConfig) || isRpcSecret(c.inputs.extraConfig["guestinfo.userdata"]), "user-data reaches the provider as a secret");
      }
      assert.ok(isRpcSecret(raw(T.provider, `${spec.name}-vcenter`).inputs.password));
    });

    it("parents everything to VsphereCluster, itself under the Cluster component", () => {
      const top = run.resources.find((r) => r.type === "clusterkit:index:Cluster")!;
      const vs = run.resources.filter((r) => r.type === "clusterkit:vsphere:VsphereCluster");
      assert.equal(vs.length, 1);
      assert.equal(vs[0].parent, top.urn);
      const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
      const under = (r: PlannedResource, ancestor: PlannedResource) => {
        let cur: PlannedResource | undefined = r;
        while (cur && cur !== ancestor) cur = cur.parent ? byUrn.get(cur.parent) : undefined;
        return cur === ancestor;
      };
      for (const r of run.resources) if (r !== top) assert.ok(under(r, top), `${r.type} ${r.name}'s parent chain reaches the Cluster component`);
      // The destroy guard is the Cluster component's own: it depends on VsphereCluster, so it cannot sit under it.
      const guard = "pulumi-nodejs:dynamic/clusterkit:ClusterDestroyGuard";
      assert.equal(run.resources.find((r) => r.type === guard)?.parent, top.urn);
      for (const r of run.resources.filter((x) => x.type !== guard && /^(vsphere:|tls:|pulumi:providers:vsphere$|clusterkit:kubeadm:|pulumi-nodejs:dynamic\/clusterkit:)/.test(x.type))) {
        assert.ok(under(r, vs[0]), `${r.type} ${r.name} sits under VsphereCluster`);
      }
      for (const type of [T.vm, T.rule, T.folder, T.tag, T.category, T.provider, T.hostKey]) {
        for (const r of of(type)) assert.equal(r.parent, vs[0].urn, `${r.type} ${r.name} is a direct child`);
      }
      assert.equal(run.resources.find((r) => r.type === "clusterkit:kubeadm:KubeadmCluster")?.parent, vs[0].urn);
    });
  });
}
