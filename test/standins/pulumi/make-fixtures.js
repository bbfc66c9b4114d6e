// Writes the stand-in's fixtures (fixtures/*.jsonl): engine events in Pulumi's apitype.EngineEvent JSON
// format (pkg/apitype/events.go; refresh outcomes as in pkg/engine: a resourcePreEvent with op
// "refresh", then a resOutputsEvent with op same/update/delete). Run it with node after editing.
const fs = require("fs");
const out = require("node:path").join(__dirname, "fixtures");
const S = "{{stack}}";
const root = `urn:pulumi:${S}::clusterkit::pulumi:pulumi:Stack::clusterkit-${S}`;
const ts = 1767312000;
let seq;
function ev(body) { seq++; return { sequence: seq, timestamp: ts + Math.floor(seq / 4), ...body }; }
function state(type, urn, { id = "", parent = "", custom = true, inputs = {}, outputs = {}, provider = "" } = {}) {
  const s = { type, urn, id, parent, inputs, outputs, provider };
  if (custom) s.custom = true;
  return s;
}
function refreshPair(type, urn, st, result) {
  // result: { op, newState?, diffs?, detailedDiff? }
  const pre = ev({ resourcePreEvent: { metadata: { op: "refresh", urn, type, old: st, new: st, provider: st.provider }, planning: true } });
  const md = { op: result.op, urn, type, old: st, new: result.op === "delete" ? null : (result.newState ?? st), provider: st.provider };
  if (result.diffs) md.diffs = result.diffs;
  if (result.detailedDiff) md.detailedDiff = result.detailedDiff;
  const post = ev({ resOutputsEvent: { metadata: md, planning: true } });
  return [pre, post];
}
function logical(type, urn, parent) {
  const st = state(type, urn, { parent, custom: false });
  return [
    ev({ resourcePreEvent: { metadata: { op: "refresh", urn, type, old: st, new: st, provider: "" }, planning: true } }),
    ev({ resOutputsEvent: { metadata: { op: "same", urn, type, old: st, new: st, provider: "" }, planning: true } }),
  ];
}
const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "[secret]" };

function eks(drift) {
  seq = 0;
  const awsProv = `urn:pulumi:${S}::clusterkit::pulumi:providers:aws::default_7_48_0`;
  const provRef = `${awsProv}::1f8a4c2e-6a0d-4f4e-9a57-3c2d8b1e7f10`;
  const cl = `urn:pulumi:${S}::clusterkit::clusterkit:index:Cluster::${S}`;
  const ek = `urn:pulumi:${S}::clusterkit::clusterkit:index:Cluster$clusterkit:eks:EksCluster::${S}`;
  const child = (t, n) => `urn:pulumi:${S}::clusterkit::clusterkit:index:Cluster$clusterkit:eks:EksCluster$${t}::${n}`;
  const tags = { "clusterkit.dev/blueprint": "eks-standard", "clusterkit.dev/cluster": S, "clusterkit.dev/stack": S };
  const events = [ev({ preludeEvent: { config: { "clusterkit:blueprint": "eks-standard", "clusterkit:region": "{{region}}" } } })];
  events.push(...logical("pulumi:pulumi:Stack", root, ""));
  const provSt = state("pulumi:providers:aws", awsProv, { id: "1f8a4c2e-6a0d-4f4e-9a57-3c2d8b1e7f10", parent: "", inputs: { region: "{{region}}", version: "7.48.0" }, outputs: { region: "{{region}}", version: "7.48.0" } });
  events.push(...refreshPair("pulumi:providers:aws", awsProv, provSt, { op: "same" }));
  events.push(...logical("clusterkit:index:Cluster", cl, root));
  events.push(...logical("clusterkit:eks:EksCluster", ek, cl));
  const vpcUrn = child("aws:ec2/vpc:Vpc", `${S}-vpc`);
  const vpc = state("aws:ec2/vpc:Vpc", vpcUrn, { id: "vpc-0a1b2c3d4e5f60718", parent: ek, provider: provRef,
    inputs: { cidrBlock: "10.1.0.0/16", enableDnsHostnames: true, enableDnsSupport: true, tags },
    outputs: { arn: "arn:aws:ec2:{{region}}:123456789012:vpc/vpc-0a1b2c3d4e5f60718", cidrBlock: "10.1.0.0/16", enableDnsHostnames: true, enableDnsSupport: true, id: "vpc-0a1b2c3d4e5f60718", tags, tagsAll: tags } });
  events.push(...refreshPair("aws:ec2/vpc:Vpc", vpcUrn, vpc, { op: "same" }));
  const sgUrn = child("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", `${S}-default-sg`);
  const sg = state("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", sgUrn, { id: "sg-0f1e2d3c4b5a69788", parent: ek, provider: provRef,
    inputs: { tags, vpcId: "vpc-0a1b2c3d4e5f60718" },
    outputs: { arn: "arn:aws:ec2:{{region}}:123456789012:security-group/sg-0f1e2d3c4b5a69788", description: "default VPC security group", egress: [], id: "sg-0f1e2d3c4b5a69788", ingress: [], name: "default", tags, tagsAll: tags, vpcId: "vpc-0a1b2c3d4e5f60718" } });
  if (drift) {
    const rule = { cidrBlocks: ["0.0.0.0/0"], description: "debug ssh (manual)", fromPort: 22, ipv6CidrBlocks: [], prefixListIds: [], protocol: "tcp", securityGroups: [], self: false, toPort: 22 };
    const now = { ...sg, outputs: { ...sg.outputs, ingress: [rule] } };
    events.push(...refreshPair(sg.type, sgUrn, sg, { op: "update", newState: now, diffs: ["ingress"], detailedDiff: { "ingress[0]": { diffKind: "add", inputDiff: false } } }));
  } else events.push(...refreshPair(sg.type, sgUrn, sg, { op: "same" }));
  const ecUrn = child("aws:eks/cluster:Cluster", S);
  const ec = state("aws:eks/cluster:Cluster", ecUrn, { id: S, parent: ek, provider: provRef,
    inputs: { name: S, version: "1.34", tags },
    outputs: { arn: `arn:aws:eks:{{region}}:123456789012:cluster/${S}`, endpoint: "https://4F1C2B7A9E3D5C6B.gr7.{{region}}.eks.amazonaws.com", id: S, name: S, status: "ACTIVE", version: "1.34", tags, tagsAll: tags } });
  if (drift) {
    const t2 = { ...tags, Owner: "jane@example.com" };
    events.push(...refreshPair(ec.type, ecUrn, ec, { op: "update", newState: { ...ec, outputs: { ...ec.outputs, tags: t2, tagsAll: t2 } }, diffs: ["tags", "tagsAll"], detailedDiff: { "tags.Owner": { diffKind: "add", inputDiff: false }, "tagsAll.Owner": { diffKind: "add", inputDiff: false } } }));
  } else events.push(...refreshPair(ec.type, ecUrn, ec, { op: "same" }));
  const rtUrn = child("aws:ec2/route:Route", `${S}-private-{{region}}a-default`);
  const rt = state("aws:ec2/route:Route", rtUrn, { id: "r-rtb-0c1d2e3f4a5b6c7d81080289494", parent: ek, provider: provRef,
    inputs: { destinationCidrBlock: "0.0.0.0/0", natGatewayId: "nat-0a9b8c7d6e5f40312", routeTableId: "rtb-0c1d2e3f4a5b6c7d8" },
    outputs: { destinationCidrBlock: "0.0.0.0/0", id: "r-rtb-0c1d2e3f4a5b6c7d81080289494", natGatewayId: "nat-0a9b8c7d6e5f40312", origin: "CreateRoute", routeTableId: "rtb-0c1d2e3f4a5b6c7d8", state: "active" } });
  events.push(...refreshPair(rt.type, rtUrn, rt, { op: drift ? "delete" : "same" }));
  const counts = drift ? { same: 6, update: 2, delete: 1 } : { same: 9 };
  events.push(ev({ summaryEvent: { maybeCorrupt: false, durationSeconds: 0, resourceChanges: counts, policyPacks: {} } }));
  events.push(ev({ cancelEvent: {} }));
  return events;
}

function vsphere(drift) {
  seq = 0;
  const prov = `urn:pulumi:${S}::clusterkit::pulumi:providers:vsphere::default_4_17_0`;
  const provRef = `${prov}::7d3c1b2a-0e9f-4a8b-b6c5-d4e3f2a1b0c9`;
  const cl = `urn:pulumi:${S}::clusterkit::clusterkit:index:Cluster::${S}`;
  const vc = `urn:pulumi:${S}::clusterkit::clusterkit:index:Cluster$clusterkit:vsphere:VsphereCluster::${S}`;
  const events = [ev({ preludeEvent: { config: { "clusterkit:blueprint": "vsphere-ha", "clusterkit:region": "{{region}}", "clusterkit:sshPrivateKey": "[secret]", "clusterkit:vspherePassword": "[secret]" } } })];
  events.push(...logical("pulumi:pulumi:Stack", root, ""));
  const provSt = state("pulumi:providers:vsphere", prov, { id: "7d3c1b2a-0e9f-4a8b-b6c5-d4e3f2a1b0c9", inputs: { allowUnverifiedSsl: "false", password: secret, user: "svc-clusterkit@vsphere.local", vsphereServer: "vcenter.{{region}}.example.com", version: "4.17.0" }, outputs: { allowUnverifiedSsl: "false", password: secret, user: "svc-clusterkit@vsphere.local", vsphereServer: "vcenter.{{region}}.example.com", version: "4.17.0" } });
  events.push(...refreshPair(provSt.type, prov, provSt, { op: "same" }));
  events.push(...logical("clusterkit:index:Cluster", cl, root));
  events.push(...logical("clusterkit:vsphere:VsphereCluster", vc, cl));
  const vmUrn = `urn:pulumi:${S}::clusterkit::clusterkit:index:Cluster$clusterkit:vsphere:VsphereCluster$vsphere:index/virtualMachine:VirtualMachine::${S}-worker-1`;
  const vmOut = { datastoreId: "datastore-1042", guestId: "ubuntu64Guest", id: "42 1c 5e 3a 9b 7d 0e 2f-8a 6c 4b 1d 3e 5f 70 91", memory: 16384, name: `${S}-workers-1`, numCpus: 8, powerState: "on", resourcePoolId: "resgroup-23", extraConfig: { "guestinfo.metadata": secret, "guestinfo.metadata.encoding": "gzip+base64", "guestinfo.userdata": secret, "guestinfo.userdata.encoding": "gzip+base64" } };
  const vm = state("vsphere:index/virtualMachine:VirtualMachine", vmUrn, { id: vmOut.id, parent: vc, provider: provRef, inputs: { memory: 16384, name: vmOut.name, numCpus: 8 }, outputs: vmOut });
  if (drift) {
    const now = { ...vm, outputs: { ...vmOut, numCpus: 16, memory: 32768, extraConfig: { ...vmOut.extraConfig, "guestinfo.userdata": secret } } };
    events.push(...refreshPair(vm.type, vmUrn, vm, { op: "update", newState: now, diffs: ["memory", "numCpus", "extraConfig"], detailedDiff: { memory: { diffKind: "update", inputDiff: false }, numCpus: { diffKind: "update", inputDiff: false }, "extraConfig[\"guestinfo.userdata\"]": { diffKind: "update", inputDiff: false } } }));
  } else events.push(...refreshPair(vm.type, vmUrn, vm, { op: "same" }));
  const k8sProv = `urn:pulumi:${S}::clusterkit::clusterkit:index:Cluster$pulumi:providers:kubernetes::${S}-k8s`;
  const secUrn = `urn:pulumi:${S}::clusterkit::clusterkit:index:Cluster$kubernetes:core/v1:Secret::${S}-oidc-client`;
  const sec = state("kubernetes:core/v1:Secret", secUrn, { id: "kube-system/oidc-client", parent: cl, provider: `${k8sProv}::0b9f8e7d-6c5b-4a39-8271-605f4e3d2c1b`,
    inputs: { apiVersion: "v1", kind: "Secret", metadata: { name: "oidc-client", namespace: "kube-system" }, stringData: secret },
    outputs: { apiVersion: "v1", kind: "Secret", metadata: { name: "oidc-client", namespace: "kube-system", resourceVersion: "48211" }, data: secret, type: "Opaque" } });
  if (drift) {
    const now = { ...sec, outputs: { ...sec.outputs, data: secret, metadata: { ...sec.outputs.metadata, resourceVersion: "90377" } } };
    events.push(...refreshPair(sec.type, secUrn, sec, { op: "update", newState: now, diffs: ["data"], detailedDiff: { data: { diffKind: "update", inputDiff: false } } }));
  } else events.push(...refreshPair(sec.type, secUrn, sec, { op: "same" }));
  const counts = drift ? { same: 5, update: 2 } : { same: 7 };
  events.push(ev({ summaryEvent: { maybeCorrupt: false, durationSeconds: 0, resourceChanges: counts, policyPacks: {} } }));
  events.push(ev({ cancelEvent: {} }));
  return events;
}

function metal() {
  seq = 0;
  const cl = `urn:pulumi:${S}::clusterkit::clusterkit:index:Cluster::${S}`;
  const events = [ev({ preludeEvent: { config: { "clusterkit:blueprint": "baremetal-ha", "clusterkit:region": "{{region}}", "clusterkit:sshPrivateKey": "[secret]" } } })];
  events.push(...logical("pulumi:pulumi:Stack", root, ""));
  events.push(...logical("clusterkit:index:Cluster", cl, root));
  const dynProv = `urn:pulumi:${S}::clusterkit::pulumi:providers:pulumi-nodejs::default`;
  const urn = `urn:pulumi:${S}::clusterkit::clusterkit:index:Cluster$pulumi-nodejs:dynamic:Resource::${S}-cp-1-kubeadm-init`;
  const st = state("pulumi-nodejs:dynamic:Resource", urn, { id: `${S}-cp-1`, parent: cl, provider: `${dynProv}::04da6b54-80e4-46f7-96ec-b56ff0331ba9`, inputs: { __provider: secret, host: "10.5.0.11" }, outputs: { __provider: secret, host: "10.5.0.11", joinCommand: secret } });
  events.push(...refreshPair(st.type, urn, st, { op: "same" }));
  events.push(ev({ summaryEvent: { maybeCorrupt: false, durationSeconds: 0, resourceChanges: { same: 3 }, policyPacks: {} } }));
  events.push(ev({ cancelEvent: {} }));
  return events;
}

function awsAuth() {
  seq = 0;
  const awsProv = `urn:pulumi:${S}::clusterkit::pulumi:providers:aws::default_7_48_0`;
  const events = [ev({ preludeEvent: { config: { "clusterkit:blueprint": "eks-standard", "clusterkit:region": "{{region}}" } } })];
  events.push(...logical("pulumi:pulumi:Stack", root, ""));
  events.push(ev({ diagnosticEvent: { urn: awsProv, prefix: "error: ", message: "pulumi:providers:aws resource 'default_7_48_0' has a problem: No valid credential sources found.\nPlease see https://www.pulumi.com/registry/packages/aws/installation-configuration/ for more information about providing credentials.\nNEW: You can use Pulumi ESC to set up dynamic credentials with AWS OIDC to ensure the correct and valid credentials are used.\nLearn more: https://www.pulumi.com/registry/packages/aws/installation-configuration/#dynamically-generate-credentials\n", color: "never", severity: "error" } }));
  events.push(ev({ summaryEvent: { maybeCorrupt: false, durationSeconds: 0, resourceChanges: { same: 1 }, policyPacks: {} } }));
  events.push(ev({ cancelEvent: {} }));
  return events;
}

const write = (name, events) => fs.writeFileSync(`${out}/${name}.jsonl`, events.map((e) => JSON.stringify(e)).join("\n") + "\n");
write("eks-clean", eks(false));
write("eks-drift", eks(true));
write("vsphere-clean", vsphere(false));
write("vsphere-drift", vsphere(true));
write("metal-clean", metal());
write("aws-no-credentials", awsAuth());
