/**
 * The kubeadm providers' implementation: what the engine's create/read/diff/update/delete calls
 * do. The dynamic provider closures (resources.ts) load this module inside each call, so nothing
 * heavy is serialised with them; tests call these functions directly, exactly as the engine would.
 */
import { log, remoteHost } from "./context";
import { diffHostPrep, diffNode, initialised, type DiffResult } from "./diff";
import { observe, readKubeconfig } from "./observe";
import { runPhases, type Phase } from "./phase";
import { approveServingCsr } from "./phases/approve-serving-csr";
import { awaitReady } from "./phases/await-ready";
import { checkRendering } from "./phases/check-rendering";
import { cleanHalfJoined } from "./phases/clean-half-joined";
import { cleanPartialInit } from "./phases/clean-partial-init";
import { detectOs } from "./phases/detect-os";
import { etcdSnapshotSchedule } from "./phases/etcd-snapshot-schedule";
import { finish } from "./phases/finish";
import type { HostContext } from "./phases/host-context";
import { hostStepPhase, pendingSteps } from "./phases/host-step";
import { joinControlPlane, joinWorker } from "./phases/join";
import { kubeadmInit } from "./phases/kubeadm-init";
import { nodeMetadataPhase } from "./phases/node-metadata";
import { osPatch } from "./phases/os-patch";
import { peerAdmin, type NodeContext } from "./phases/node-context";
import { reloadAuthentication } from "./phases/reload-authentication";
import { renewCertificates } from "./phases/renew-certificates";
import { reconfigure } from "./phases/reconfigure";
import { restartApiServer } from "./phases/restart-apiserver";
import { upgrade } from "./phases/upgrade";
import { writeFiles } from "./phases/write-files";
import type { TeardownContext } from "./teardown/context";
import { guardRemoval } from "./teardown/guard";
import { teardownSteps } from "./teardown/steps";
import { findAdminHost } from "./cluster/admin-host";
import { noteControlPlanes, notedControlPlanes } from "./run-control-planes";
import type { RemoteHost } from "../ssh";
import { accessOf, type HostPrepInputs, type HostPrepOutputs, type NodeInputs, type NodeOutputs } from "./types";

const nodeId = (i: NodeInputs) => `${i.cluster}/${i.name}`;

function nodeContext(inputs: NodeInputs): NodeContext {
  const self = accessOf(inputs);
  return {
    label: `${inputs.cluster}/${inputs.name}`,
    inputs,
    host: remoteHost(self, inputs.privateKey, inputs.connection),
    peers: inputs.controlPlanes.filter((c) => c.name !== inputs.name).map((c) => remoteHost(c, inputs.privateKey, inputs.connection)),
    facts: null,
  };
}

/** Every phase of a node, in order; each decides for itself whether it has anything to do. */
const nodePhases: Phase<NodeContext>[] = [
  checkRendering,
  cleanPartialInit,
  cleanHalfJoined,
  // Before kubeadm: a machine that has not joined takes the round first (phases/os-patch).
  osPatch,
  writeFiles,
  kubeadmInit,
  joinControlPlane,
  joinWorker,
  upgrade,
  finish,
  restartApiServer,
  reloadAuthentication,
  renewCertificates,
  approveServingCsr,
  etcdSnapshotSchedule,
  awaitReady,
];

async function converge(inputs: NodeInputs, extra: Phase<NodeContext>[] = []): Promise<NodeOutputs> {
  const ctx = nodeContext(inputs);
  const ran = await runPhases([...nodePhases, ...extra], ctx);
  if (!ran.length) log(`${ctx.label}: nothing to do`);
  // Every control plane holds the admin kubeconfig: the cluster's outlives the node that made it.
  const [observed, kubeconfig] = await Promise.all([observe(ctx), inputs.role === "control-plane" ? readKubeconfig(ctx) : ""]);
  return { ...inputs, kubeconfig, observed };
}

export const kubeadmNode = {
  async create(inputs: NodeInputs): Promise<{ id: string; outs: NodeOutputs }> {
    noteControlPlanes(inputs.cluster, inputs.controlPlanes ?? []);
    return { id: nodeId(inputs), outs: await converge(inputs) };
  },

  async read(id: string, props: NodeOutputs): Promise<{ id: string; props: NodeOutputs }> {
    const ctx = nodeContext(props);
    const observed = await observe(ctx);
    const kubeconfig = props.role === "control-plane" && observed.reachable && !observed.drift.length ? await readKubeconfig(ctx) : props.kubeconfig;
    return { id, props: { ...props, kubeconfig, observed } };
  },

  async diff(_id: string, olds: NodeOutputs, news: NodeInputs): Promise<DiffResult> {
    noteControlPlanes(news.cluster, news.controlPlanes ?? []);
    return diffNode(olds, news);
  },

  async update(_id: string, olds: NodeOutputs, news: NodeInputs): Promise<{ outs: NodeOutputs }> {
    // Whether the node initialised the cluster stays what it was at create, wherever it is listed now.
    // A reconfiguration compares what each component read before (state) with the new inputs.
    return { outs: await converge({ ...news, init: initialised(olds) }, [reconfigure(olds), nodeMetadataPhase(olds)]) };
  },

  async delete(_id: string, props: NodeOutputs): Promise<void> {
    const base = nodeContext(props);
    const admin = (await peerAdmin(base, "delete")) ?? (await nowListedAdmin(props));
    const ctx: TeardownContext = {
      label: base.label,
      inputs: props,
      host: base.host,
      admin,
      // Read after the guard (teardown/steps.ts readNode): without an etcd quorum the API server
      // answers nothing, and the guard's refusal says why where a kubectl timeout would not.
      node: null,
      destroyingCluster: false,
    };
    await runPhases([guardRemoval, ...teardownSteps], ctx);
  },
};

/** A control plane the stack names now that holds the admin kubeconfig, other than the node and the ones its record names. */
async function nowListedAdmin(props: NodeOutputs): Promise<RemoteHost | null> {
  const known = new Set([props.name, ...props.controlPlanes.map((c) => c.name)]);
  const now = notedControlPlanes(props.cluster).filter((c) => !known.has(c.name));
  const admin = now.length ? await findAdminHost(now.map((c) => remoteHost(c, props.privateKey, props.connection)), "delete") : null;
  if (admin) log(`${props.cluster}/${props.name}: none of the control planes it was recorded with answers; removing it through ${admin.name}, which the stack names now`);
  return admin;
}

function hostContext(inputs: HostPrepInputs): HostContext {
  return { label: `${inputs.name}`, inputs, host: remoteHost(accessOf(inputs), inputs.privateKey, inputs.connection), os: null };
}

async function prepare(inputs: HostPrepInputs): Promise<HostPrepOutputs> {
  const ctx = hostContext(inputs);
  await runPhases([detectOs, ...inputs.steps.map(hostStepPhase)], ctx);
  return { ...inputs, os: ctx.os ?? "", pending: [] };
}

export const hostPreparation = {
  async create(inputs: HostPrepInputs): Promise<{ id: string; outs: HostPrepOutputs }> {
    return { id: `${inputs.name}@${inputs.address}`, outs: await prepare(inputs) };
  },

  async read(id: string, props: HostPrepOutputs): Promise<{ id: string; props: HostPrepOutputs }> {
    const ctx = hostContext(props);
    await runPhases([detectOs], ctx);
    return { id, props: { ...props, os: ctx.os ?? props.os, pending: await pendingSteps(ctx) } };
  },

  async diff(_id: string, olds: HostPrepOutputs, news: HostPrepInputs): Promise<DiffResult> {
    return diffHostPrep(olds, news);
  },

  async update(_id: string, _olds: HostPrepOutputs, news: HostPrepInputs): Promise<{ outs: HostPrepOutputs }> {
    return { outs: await prepare(news) };
  },

  /** Packages and kernel settings stay: removing them could break whatever else runs on the host. */
  async delete(): Promise<void> {},
};
