/**
 * Addons: everything installed inside the cluster, identically on every platform, through the
 * cluster's own Kubernetes provider. Order: the network-identity check, the CNI, then storage and
 * ingress (they need pod networking), alongside OIDC access. Which pieces, with which values, is
 * decided in core/render/addons; this file only wires them.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ClusterSpec } from "../../core/spec";
import { awsSdk } from "../aws-sdk";
import type { PlatformResult } from "../platform";
import { installCilium } from "./cni/cilium";
import { installFlannel } from "./cni/flannel";
import { installWeave } from "./cni/weave";
import { installIngress } from "./ingress";
import { networkGuard } from "./network-guard";
import { installOidc } from "./oidc";
import type { AddonContext } from "./resources";
import { installStorage, type StorageSecrets } from "./storage";

export interface AddonsArgs {
  spec: ClusterSpec;
  platform: PlatformResult;
  /** Pulumi secrets some add-ons need (ClusterSecrets fits). */
  secrets: StorageSecrets & { oidcClientSecret?: pulumi.Output<string> };
}

export class Addons extends pulumi.ComponentResource {
  static readonly type = "clusterkit:addons:Addons";
  /** The CNI and its version, e.g. "cilium 1.20.0". */
  readonly cni: pulumi.Output<string>;
  /** What the cluster's pod network was built with (the replace-only record). */
  readonly networkIdentity: pulumi.Output<Record<string, string>>;
  /** Kubeconfig for OIDC users (`kubectl oidc-login`); a secret. Undefined without OIDC. */
  readonly oidcKubeconfig: pulumi.Output<string> | undefined;

  constructor(name: string, args: AddonsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(Addons.type, name, {}, opts);
    const { spec, platform } = args;
    const ctx: AddonContext = { prefix: name, parent: this, provider: platform.provider };
    const ready = platform.ready;
    const awsProvider = spec.platform.kind === "eks" ? new (awsSdk().Provider)(`${name}-aws`, { region: spec.region }, { parent: this }) : undefined;

    const guard = networkGuard(ctx, spec, ready);
    const cniDeps = [...ready, guard.record];
    const cni = spec.cni;
    const network =
      cni.kind === "cilium"
        ? installCilium(ctx, spec, cni, platform, cniDeps, guard.verified)
        : cni.kind === "flannel"
          ? installFlannel(ctx, spec, cni, cniDeps, guard.verified)
          : installWeave(ctx, spec, cniDeps, guard.verified);

    // Where nodes need the CNI to become Ready (EKS, Cilium ENI mode) they are created only now,
    // and storage and ingress, whose pods need nodes, wait for them.
    const nodes = platform.nodesAfterCni?.(network) ?? [];
    const afterNetwork = [...ready, ...network, ...nodes];
    installStorage(ctx, spec, { secrets: args.secrets, inputs: platform.addonInputs, aws: awsProvider, dependsOn: afterNetwork });
    installIngress(ctx, spec, afterNetwork);
    const oidc = installOidc(ctx, spec, { platform, clientSecret: args.secrets.oidcClientSecret, aws: awsProvider, dependsOn: ready });

    this.cni = pulumi.output(`${cni.kind} ${cni.version}`);
    this.networkIdentity = guard.verified;
    this.oidcKubeconfig = oidc?.kubeconfig;
    this.registerOutputs({ cni: this.cni, networkIdentity: this.networkIdentity, ...(oidc ? { oidcKubeconfig: oidc.kubeconfig } : {}) });
  }
}
