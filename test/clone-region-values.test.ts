/**
 * The pure parts of clone-region: region renaming, derived variables and placeholders per
 * platform, the comment-preserving stack writer, and the placeholder rule validate applies.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { defaultAzs } from "../core/fleet/aws-azs";
import { cloneValues, replaceRegion } from "../core/fleet/clone-values";
import { parseSets } from "../core/fleet/set-values";
import { rewriteStackFile } from "../core/fleet/stack-writer";
import { findPlaceholders, isPlaceholder, isPlaceholderIssue, placeholder } from "../core/resolve/placeholders";
import { blueprintRaw, issuesOf, resolveRaw, stackConfigRaw } from "./support/fixtures";
import { exampleRoot } from "./support/temp-project";

const decls = [
  { name: "datacenter", description: "vSphere datacenter." },
  { name: "vcenterServer", description: "vCenter host name." },
];

describe("replaceRegion", () => {
  it("replaces the region only where it stands as a word, keeping case", () => {
    assert.equal(replaceRegion("platform-us-east-1", "us-east-1", "eu-central-1"), "platform-eu-central-1");
    assert.equal(replaceRegion("ber1-cp-1", "ber1", "ams2"), "ams2-cp-1");
    assert.equal(replaceRegion("FRA1-compute", "fra1", "muc1"), "MUC1-compute");
    assert.equal(replaceRegion("us-east-10", "us-east-1", "eu-west-1"), "us-east-10");
    assert.equal(replaceRegion("xber1", "ber1", "ams2"), "xber1");
  });
});

describe("cloneValues", () => {
  const ranges = { node: "10.3.1.0/24", pod: "10.69.0.0/16", service: "10.128.128.0/20" };

  it("EKS: ranges from the plan, zones as given, tags renamed; nothing left to fill in", () => {
    const v = cloneValues({
      platform: "eks",
      from: { stack: "prod-us-east-1", region: "us-east-1", variables: stackConfigRaw("prod-us-east-1")["clusterkit:variables"], nodes: [] },
      to: { stack: "prod-eu-central-1", region: "eu-central-1" },
      decls: [],
      ranges: { node: "10.7.0.0/16", pod: null, service: "10.128.96.0/20" },
      azs: defaultAzs("eu-central-1"),
      sets: {},
    });
    assert.deepEqual(v.variables, { vpcCidr: "10.7.0.0/16", serviceCidr: "10.128.96.0/20", azs: ["eu-central-1a", "eu-central-1b", "eu-central-1c"], costCenter: "platform-eu-central-1" });
    assert.deepEqual(v.rewrites, [{ path: "costCenter", from: "platform-us-east-1", to: "platform-eu-central-1" }]);
    assert.deepEqual(findPlaceholders(v.variables), []);
  });

  it("bare metal: one placeholder per host address and pinned key, VIP and pool; roles and users kept", () => {
    const v = cloneValues({
      platform: "baremetal",
      from: { stack: "metal-ber1", region: "ber1", variables: stackConfigRaw("metal-ber1")["clusterkit:variables"], nodes: [] },
      to: { stack: "metal-ams2", region: "ams2" },
      decls: [],
      ranges,
      azs: null,
      sets: {},
    });
    const hosts = v.variables.hosts as Record<string, unknown>[];
    assert.equal(hosts.length, 6);
    assert.deepEqual(
      hosts.map((h) => [h.name, h.role, h.sshUser]),
      [
        ["ams2-cp-1", "control-plane", "ubuntu"],
        ["ams2-cp-2", "control-plane", "ubuntu"],
        ["ams2-cp-3", "control-plane", "ubuntu"],
        ["ams2-worker-1", "worker", "ubuntu"],
        ["ams2-worker-2", "worker", "ubuntu"],
        ["ams2-worker-3", "worker", "ubuntu"],
      ],
    );
    assert.equal(hosts[0].address, placeholder("IPv4 address of host ams2-cp-1 in 10.3.1.0/24"));
    const holes = findPlaceholders(v.variables).map((p) => p.path.join("."));
    assert.equal(holes.length, 14);
    assert.ok(holes.includes("controlPlaneVip") && holes.includes("ingressAddressPool") && holes.includes("hosts.5.hostKey"));
    assert.equal(v.variables.nodeCidr, "10.3.1.0/24");
    assert.equal(v.variables.podCidr, "10.69.0.0/16");
    // No value of the source site survives: its addresses, keys and VIP are all gone.
    const text = JSON.stringify(v.variables);
    for (const old of ["10.5.0.", "SHA256:", "ber1"]) assert.ok(!text.includes(old), `${old} leaked into the clone`);
  });

  it("vSphere: --set fills a value instead of a placeholder; the source's value is quoted in the rest", () => {
    const v = cloneValues({
      platform: "vsphere",
      from: { stack: "vsphere-fra1", region: "fra1", variables: stackConfigRaw("vsphere-fra1")["clusterkit:variables"], nodes: [] },
      to: { stack: "vsphere-muc1", region: "muc1" },
      decls,
      ranges,
      azs: null,
      sets: { datacenter: "MUC1" },
    });
    assert.equal(v.variables.datacenter, "MUC1");
    assert.equal(v.variables.vcenterServer, placeholder('vCenter host name in muc1 (vsphere-fra1 has "vcenter.fra1.example.com")'));
    assert.equal((v.variables.nodeIps as string[]).length, 6);
    assert.ok((v.variables.nodeIps as string[]).every(isPlaceholder));
    // 7 vCenter names (one given), gateway, 2 DNS servers, 6 node IPs, VIP, ingress pool.
    assert.equal(findPlaceholders(v.variables).length, 17);
  });
});

describe("parseSets", () => {
  const d = [
    { name: "azs", type: "string-list" as const },
    { name: "nodeIps", type: "ipv4-list" as const },
    { name: "vpcCidr", type: "cidr" as const },
  ];
  it("types values by the declaration and reports every bad one", () => {
    assert.deepEqual(parseSets(["azs=a, b,c", "vpcCidr=10.9.0.0/16"], d), { values: { azs: ["a", "b", "c"], vpcCidr: "10.9.0.0/16" }, issues: [] });
    const r = parseSets(["nodeIps=10.0.0.1,10.0.0.999", "vpcCdir=10.0.0.0/16", "oops"], d);
    assert.deepEqual(
      r.issues.map((i) => `${i.path}: ${i.message}${i.hint ? ` (${i.hint})` : ""}`),
      ["--set nodeIps[1]: must be an IPv4 address, e.g. 10.0.0.10", "--set vpcCdir: is not a region variable of the blueprint (did you mean 'vpcCidr'?)", "--set oops: must be key=value"],
    );
  });
});

describe("rewriteStackFile", () => {
  const source = `${fs.readFileSync(path.join(exampleRoot(), "stacks", "Pulumi.metal-ber1.yaml"), "utf8")}  clusterkit:sshPrivateKey:
    secure: v1:Zm9vYmFy:c2VjcmV0LWNpcGhlcnRleHQ=
  aws:region: eu-central-1
secretsprovider: awskms://alias/clusterkit?region=eu-central-1
encryptedkey: AQICAHh...
`;
  const r = rewriteStackFile(source, {
    from: { stack: "metal-ber1", region: "ber1" },
    to: { stack: "metal-ams2", region: "ams2" },
    variables: { nodeCidr: "10.3.1.0/24", hosts: [{ name: "ams2-cp-1", address: placeholder("x"), role: "control-plane" }] },
    clonedFrom: { stack: "metal-ber1", blueprintSha256: "a".repeat(64) },
  });

  it("never copies a secret or the source's encryption key", () => {
    assert.deepEqual(r.droppedSecrets, ["clusterkit:sshPrivateKey"]);
    assert.equal(r.secretsProvider, "awskms://alias/clusterkit?region=eu-central-1");
    for (const s of ["secure:", "c2VjcmV0", "encryptedkey", "secretsprovider"]) assert.ok(!r.text.includes(s), `${s} was copied`);
  });

  it("keeps comments, renaming the stack and region in them, and records where the stack came from", () => {
    assert.match(r.text, /^# Cloned from stack metal-ber1 with `clusterkit clone-region`/);
    assert.match(r.text, /^# Bare-metal cluster in ams2\. Secrets are set with/m);
    assert.match(r.text, /pulumi config set --secret clusterkit:sshPrivateKey --stack metal-ams2 </);
    const doc = parse(r.text);
    assert.equal(doc.config["clusterkit:region"], "ams2");
    assert.deepEqual(doc.config["clusterkit:clonedFrom"], { stack: "metal-ber1", blueprintSha256: "a".repeat(64) });
    assert.deepEqual(Object.keys(doc.config["clusterkit:variables"]), ["nodeCidr", "hosts"]);
  });
});

describe("rewriteStackFile: cluster names", () => {
  const write = (name: string) =>
    rewriteStackFile(`config:\n  clusterkit:blueprint: eks-standard\n  clusterkit:region: us-east-1\n  clusterkit:clusterName: ${name}\n`, {
      from: { stack: "prod-us-east-1", region: "us-east-1" },
      to: { stack: "prod-eu-central-1", region: "eu-central-1" },
      variables: {},
      clonedFrom: { stack: "prod-us-east-1", blueprintSha256: "b".repeat(64) },
    });

  it("renames the region in an explicit cluster name, and drops a name that would be shared", () => {
    const renamed = write("platform-us-east-1");
    assert.equal(parse(renamed.text).config["clusterkit:clusterName"], "platform-eu-central-1");
    const shared = write("platform");
    assert.ok(!("clusterkit:clusterName" in parse(shared.text).config));
    assert.deepEqual(shared.rewrites, [{ path: "config.clusterkit:clusterName", from: "platform", to: "prod-eu-central-1" }]);
  });
});

describe("placeholders in validate", () => {
  it("are reported as 'fill this in', alone, with their exact paths", () => {
    const config = stackConfigRaw("vsphere-fra1");
    config["clusterkit:variables"].datastore = placeholder("datastore in muc1");
    config["clusterkit:variables"].nodeIps[4] = placeholder("static IP of node 5");
    const found = issuesOf(() => resolveRaw("vsphere-ha", blueprintRaw("vsphere-ha"), "vsphere-fra1", config));
    assert.deepEqual(
      found.map((i) => `${i.path}: ${i.message}`),
      ["config.clusterkit:variables.datastore: fill this in: datastore in muc1", "config.clusterkit:variables.nodeIps[4]: fill this in: static IP of node 5"],
    );
    assert.ok(found.every(isPlaceholderIssue));
  });

  it("do not hide other problems of the variables", () => {
    const config = stackConfigRaw("vsphere-fra1");
    config["clusterkit:variables"].datastore = placeholder("datastore");
    config["clusterkit:variables"].gateway = "10.3.10.300";
    const found = issuesOf(() => resolveRaw("vsphere-ha", blueprintRaw("vsphere-ha"), "vsphere-fra1", config));
    assert.deepEqual(found.map((i) => i.path), ["config.clusterkit:variables.datastore", "config.clusterkit:variables.gateway"]);
  });
});
