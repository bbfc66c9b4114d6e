/**
 * EKS managed add-on versions, pinned per Kubernetes minor. This is the one place to bump them.
 *
 * Sources (the "latest version of the Amazon EKS add-on type for each Kubernetes version" tables
 * of the EKS user guide: managing-kube-proxy, managing-coredns, managing-vpc-cni; the EBS CSI
 * add-on follows the driver's releases and supports every minor listed here). Check a bump with
 * `aws eks describe-addon-versions --addon-name <name> --kubernetes-version <minor>`.
 */

export type ManagedAddonName = "vpc-cni" | "kube-proxy" | "coredns" | "aws-ebs-csi-driver";

export const eksAddonVersions: Record<string, Record<ManagedAddonName, string>> = {
  "1.32": { "vpc-cni": "v1.21.1-eksbuild.8", "kube-proxy": "v1.32.13-eksbuild.16", coredns: "v1.11.4-eksbuild.40", "aws-ebs-csi-driver": "v1.59.0-eksbuild.1" },
  "1.33": { "vpc-cni": "v1.21.1-eksbuild.8", "kube-proxy": "v1.33.10-eksbuild.13", coredns: "v1.12.4-eksbuild.18", "aws-ebs-csi-driver": "v1.59.0-eksbuild.1" },
  "1.34": { "vpc-cni": "v1.21.1-eksbuild.8", "kube-proxy": "v1.34.6-eksbuild.13", coredns: "v1.13.2-eksbuild.11", "aws-ebs-csi-driver": "v1.59.0-eksbuild.1" },
  "1.35": { "vpc-cni": "v1.21.1-eksbuild.8", "kube-proxy": "v1.35.3-eksbuild.13", coredns: "v1.14.3-eksbuild.3", "aws-ebs-csi-driver": "v1.59.0-eksbuild.1" },
};

export function addonVersion(minor: string, addon: ManagedAddonName): string {
  const pins = eksAddonVersions[minor];
  if (!pins) throw new Error(`no EKS add-on versions pinned for Kubernetes ${minor}; add them to core/render/eks/addon-versions.ts`);
  return pins[addon];
}
