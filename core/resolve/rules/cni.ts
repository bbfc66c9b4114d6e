/** CNI: allowed on the platform, supported on the Kubernetes version, and its options consistent. */
import type { CniSpec, EndpointSpec } from "../../spec";
import { cniReleases, compareMinor } from "../../versions";
import { fail, fieldAt, type RuleContext } from "../context";

/** Why a CNI cannot run on a platform; absent means allowed. */
const refusedOn: Partial<Record<string, Partial<Record<CniSpec["kind"], string>>>> = {
  eks: {
    flannel: "EKS nodes and the managed control plane route only VPC addresses; Flannel's overlay pod IPs are unreachable from the control plane (webhooks, metrics) and from the VPC. Use cilium (ENI mode or chaining).",
    weave: "EKS nodes and the managed control plane route only VPC addresses; Weave's overlay pod IPs are unreachable from the control plane and the VPC, and Weave is unmaintained. Use cilium.",
  },
};

export function resolveCni(ctx: RuleContext, minor: string | null, endpoint: EndpointSpec | null): CniSpec | null {
  const cni = ctx.blueprint.cni;
  const platform = ctx.blueprint.platform.kind;
  const kindAt = fieldAt(ctx, ["cni", "kind"]);
  const reason = refusedOn[platform]?.[cni.kind];
  if (reason) {
    fail(ctx, kindAt, `${cni.kind} is not allowed on ${platform}`, { found: JSON.stringify(cni.kind), hint: reason });
    return null;
  }
  const release = cniReleases[cni.kind];
  if (minor) {
    const { min, max } = release.kubernetes;
    if (compareMinor(minor, min) < 0 || (max && compareMinor(minor, max) > 0)) {
      fail(ctx, fieldAt(ctx, ["kubernetesVersion"]), `${cni.kind} ${release.version} is not tested with Kubernetes ${minor}`, {
        expected: max ? `${min} to ${max}` : `${min} or newer`,
        found: minor,
        hint: "pick a Kubernetes version in that range, or another CNI",
      });
      return null;
    }
  }
  switch (cni.kind) {
    case "weave":
      if (!cni.acknowledgeUnmaintained) {
        fail(ctx, fieldAt(ctx, ["cni", "acknowledgeUnmaintained"]), "Weave Net has been unmaintained since 2021 and its repository is archived; set acknowledgeUnmaintained: true to use it anyway", {
          expected: "true",
          found: "false",
          hint: "prefer cilium or flannel for new clusters",
        });
        return null;
      }
      ctx.out.warn({ ...kindAt, message: "Weave Net has been unmaintained since 2021 and is archived: no security fixes, no support for new Kubernetes releases. Plan a migration to cilium or flannel." });
      return { ...cni, version: release.version };
    case "flannel":
      if (!cni.networkPolicy) {
        ctx.out.warn({ ...kindAt, message: "Flannel enforces no NetworkPolicy: policies you apply are accepted and silently ignored. Set cni.networkPolicy: true to run kube-network-policies next to it." });
      }
      return { ...cni, version: release.version, chart: cniReleases.flannel.chart };
    case "cilium": {
      // Every conflict is reported at once: a stack override often sets several of these together.
      let ok = true;
      if (cni.eksMode && platform !== "eks") {
        fail(ctx, fieldAt(ctx, ["cni", "eksMode"]), `eksMode only applies on EKS, not on ${platform}; remove it`);
        ok = false;
      }
      const eksMode = platform === "eks" ? (cni.eksMode ?? "chaining") : null;
      if (eksMode === "chaining" && cni.encryption !== "none") {
        fail(ctx, fieldAt(ctx, ["cni", "encryption"]), "transparent encryption is not available when Cilium is chained on the VPC CNI, which owns the pod network devices", {
          expected: '"none"',
          found: JSON.stringify(cni.encryption),
          hint: "use eksMode: eni (Cilium replaces the VPC CNI) to encrypt pod traffic with WireGuard",
        });
        ok = false;
      }
      if (eksMode === "chaining" && cni.kubeProxyReplacement) {
        // Without kube-proxy only Cilium translates Service addresses, and in chaining mode Cilium
        // starts after the VPC CNI has made the node Ready; aws-node itself finds the API server
        // through the kubernetes Service, so it never gets there and the node groups fail.
        fail(ctx, fieldAt(ctx, ["cni", "kubeProxyReplacement"]), "with eksMode: chaining the VPC CNI (aws-node) runs first and cannot reach the API server without kube-proxy, so nodes never become Ready", {
          expected: "false",
          found: "true",
          hint: "keep kube-proxy (kubeProxyReplacement: false), or use eksMode: eni, where Cilium is the only CNI and talks to the cluster endpoint directly",
        });
        ok = false;
      }
      if (cni.hubble.ui && !cni.hubble.enabled) {
        fail(ctx, fieldAt(ctx, ["cni", "hubble", "ui"]), "the Hubble UI shows Hubble's flows; it needs hubble.enabled: true", { expected: "hubble.enabled: true", found: "hubble.enabled: false" });
        ok = false;
      }
      if (cni.kubeProxyReplacement && endpoint && endpoint.kind !== "eks-managed" && !("host" in endpoint && endpoint.host)) {
        fail(ctx, fieldAt(ctx, ["cni", "kubeProxyReplacement"]), "kube-proxy replacement needs a control-plane endpoint known before Cilium starts (it cannot use the kubernetes Service without kube-proxy)", {
          hint: "use controlPlane.endpoint kind kube-vip or external-lb, or give the first control plane a static address",
        });
        ok = false;
      }
      if (!ok) return null;
      return { ...cni, version: release.version, chart: cniReleases.cilium.chart, eksMode };
    }
  }
}

/** What a live cluster's pod network was built with; recorded in the cluster at first install. */
export interface NetworkIdentity {
  cni: string;
  podCidr: string;
}

/**
 * The CNI and the pod CIDR are replace-only. Every pod address, node route and NetworkPolicy
 * datapath comes from them; swapping either under running workloads cuts every pod off at once,
 * and the old CNI's state on the nodes (interfaces, iptables/eBPF programs) stays behind. So a
 * change against what the live cluster recorded is refused, with this explanation, never applied.
 */
export function replaceOnlyChanges(recorded: Partial<NetworkIdentity> | null | undefined, desired: NetworkIdentity): string[] {
  const out: string[] = [];
  const how = "this is replace-only on a live cluster: revert the change, or build a new cluster (a new stack) with it and move the workloads over";
  if (recorded?.cni && recorded.cni !== desired.cni) {
    out.push(`cni.kind: the cluster was built with ${recorded.cni} and the blueprint now asks for ${desired.cni}; ${how}`);
  }
  if (recorded?.podCidr && recorded.podCidr !== desired.podCidr) {
    out.push(`networking.podCidr: the cluster's pods use ${recorded.podCidr} and the configuration now says ${desired.podCidr}; ${how}`);
  }
  return out;
}
