/**
 * Mock outputs for the vSphere platform: the vCenter lookups (a datacenter with one compute
 * cluster, a vSAN datastore, a port group and an Ubuntu template), what a cloned VM reports once
 * VMware Tools runs, and the @pulumi/tls keys the VMs' SSH setup uses. Keys are real ed25519 keys
 * derived from the resource name, so fingerprints are stable from run to run and checkable. What
 * exists only after deploy (generated keys, VM ids, a DHCP lease) is recorded with `afterApply`;
 * vCenter lookups are not: a real plan reads them before deploying.
 */
import { createHash } from "node:crypto";
import { unwrapRpcSecret } from "@pulumi/pulumi/runtime/rpc";
import { utils as sshUtils } from "ssh2";
import { parse } from "yaml";
import { afterApply } from "../known-after-apply";
import { ed25519FromSeed } from "./ed25519";
import { registerComputedOutputs, registerInvokeResult } from "../mocks";

export { ed25519FromSeed };

type State = Record<string, unknown>;

const digest = (s: string) => createHash("sha256").update(s).digest();
const hex = (s: string, len: number) => digest(s).toString("hex").slice(0, len);
const moid = (prefix: string, s: string) => `${prefix}-${parseInt(hex(s, 6), 16) % 10000}`;
const uuidOf = (s: string) => hex(s, 32).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");

const fingerprint = (publicKeyOpenssh: string) => `SHA256:${createHash("sha256").update(Buffer.from(publicKeyOpenssh.split(" ")[1], "base64")).digest("base64").replace(/=+$/, "")}`;

/** Secrets arrive wrapped in the mocks; the value is what a provider would see. */
const plain = (v: unknown): unknown => unwrapRpcSecret(v);

/** A generated key's outputs, each recorded (with and without a trailing newline) as known only after deploy. */
const generated = <T extends Record<string, string>>(outputs: T): T => {
  for (const v of Object.values(outputs)) {
    afterApply(v);
    afterApply(v.trimEnd());
  }
  return outputs;
};

registerComputedOutputs("tls:index/privateKey:PrivateKey", (name, inputs) => generated(privateKeyOutputs(name, String(inputs.algorithm ?? "RSA"))));

function privateKeyOutputs(name: string, algorithm: string): Record<string, string> {
  if (algorithm === "ED25519") {
    const k = ed25519FromSeed(digest(`host-key:${name}`));
    return { ...k, privateKeyPem: `[mock PKCS#8 of ${name}]`, privateKeyPemPkcs8: `[mock PKCS#8 of ${name}]`, publicKeyPem: `[mock SPKI of ${name}]`, publicKeyFingerprintSha256: fingerprint(k.publicKeyOpenssh), publicKeyFingerprintMd5: hex(name, 32).replace(/(..)(?!$)/g, "$1:") };
  }
  return { privateKeyPem: `[mock ${algorithm} key ${name}]`, privateKeyOpenssh: `[mock ${algorithm} key ${name}]`, privateKeyPemPkcs8: `[mock ${algorithm} key ${name}]`, publicKeyPem: `[mock ${algorithm} public key ${name}]`, publicKeyOpenssh: `[mock ${algorithm} public key ${name}]`, publicKeyFingerprintSha256: `SHA256:${digest(name).toString("base64").replace(/=+$/, "")}`, publicKeyFingerprintMd5: hex(name, 32) };
}

/** Like the tls provider: the public half of a real key; a placeholder (offline plan) gets a stand-in. */
registerInvokeResult("tls:index/getPublicKey:getPublicKey", (inputs) => {
  const key = String(plain(inputs.privateKeyOpenssh) ?? plain(inputs.privateKeyPem) ?? "");
  const parsed = sshUtils.parseKey(key);
  const publicKeyOpenssh = parsed instanceof Error ? ed25519FromSeed(digest(`authorized:${key}`)).publicKeyOpenssh : `${parsed.type} ${parsed.getPublicSSH().toString("base64")}\n`;
  return { id: hex(publicKeyOpenssh, 40), algorithm: publicKeyOpenssh.startsWith("ssh-ed25519") ? "ED25519" : "RSA", publicKeyOpenssh, publicKeyPem: "[mock SPKI]", publicKeyFingerprintSha256: fingerprint(publicKeyOpenssh), publicKeyFingerprintMd5: "" };
});

const token = (fn: string) => `vsphere:index/${fn}:${fn}`;
registerInvokeResult(token("getDatacenter"), (i) => ({ id: moid("datacenter", String(i.name)), name: i.name, virtualMachines: [] }));
registerInvokeResult(token("getComputeCluster"), (i) => ({ id: moid("domain-c", String(i.name)), name: i.name, datacenterId: i.datacenterId, resourcePoolId: moid("resgroup", String(i.name)) }));
registerInvokeResult(token("getResourcePool"), (i) => ({ id: moid("resgroup", String(i.name)), name: i.name, datacenterId: i.datacenterId }));
registerInvokeResult(token("getDatastore"), (i) => ({ id: moid("datastore", String(i.name)), name: i.name, datacenterId: i.datacenterId }));
registerInvokeResult(token("getDatastoreCluster"), (i) => ({ id: moid("group-p", String(i.name)), name: i.name, datacenterId: i.datacenterId, datastores: [] }));
registerInvokeResult(token("getNetwork"), (i) => ({ id: moid("dvportgroup", String(i.name)), name: i.name, datacenterId: i.datacenterId, type: "DistributedVirtualPortgroup" }));
registerInvokeResult(token("getPolicy"), (i) => ({ id: uuidOf(`policy:${i.name}`), name: i.name }));
/** A template as Packer builds one for clusterkit: EFI, paravirtual SCSI, one vmxnet3 NIC, a 40 GB thin disk. */
registerInvokeResult(token("getVirtualMachine"), (i) => {
  const uuid = uuidOf(`template:${i.name}`);
  return {
    id: uuid,
    uuid,
    moid: moid("vm", String(i.name)),
    name: i.name,
    guestId: String(i.name).startsWith("rhel") || String(i.name).startsWith("rocky") ? "rhel9_64Guest" : "ubuntu64Guest",
    firmware: "efi",
    scsiType: "pvscsi",
    numCpus: 2,
    memory: 4096,
    disks: [{ label: "Hard disk 1", size: 40, thinProvisioned: true, eagerlyScrub: false, unitNumber: 0 }],
    networkInterfaceTypes: ["vmxnet3"],
    networkInterfaces: [{ adapterType: "vmxnet3", macAddress: "00:50:56:aa:bb:cc", networkId: "dvportgroup-1" }],
  };
});

/** The address cloud-init configures, read back from the VM's own guestinfo, or a DHCP lease. */
function guestAddress(name: string, extraConfig: unknown): string {
  const cfg = (plain(extraConfig) ?? {}) as Record<string, unknown>;
  const metadata = cfg["guestinfo.metadata"];
  if (typeof metadata === "string") {
    const md = parse(Buffer.from(metadata, "base64").toString("utf8")) as Record<string, unknown>;
    const net = parse(Buffer.from(String(md.network ?? ""), "base64").toString("utf8")) as State | null;
    const text = JSON.stringify(net ?? {});
    const m = /"(\d+\.\d+\.\d+\.\d+)\/\d+"/.exec(text);
    if (m) return m[1];
  }
  const h = digest(`lease:${name}`);
  return afterApply(`192.0.2.${(h[0] % 200) + 20}`); // TEST-NET-1: a stand-in lease, known only after deploy
}

registerComputedOutputs("vsphere:index/virtualMachine:VirtualMachine", (name, inputs) => {
  const address = guestAddress(name, inputs.extraConfig);
  return { uuid: afterApply(uuidOf(`vm:${name}`)), moid: afterApply(moid("vm", name)), defaultIpAddress: address, guestIpAddresses: [address], powerState: "on" };
});
registerComputedOutputs("vsphere:index/folder:Folder", (_name, inputs) => ({ path: inputs.path }));
