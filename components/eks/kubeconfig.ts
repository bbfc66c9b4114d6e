/** The admin kubeconfig (a secret) and the Kubernetes provider the add-ons install through. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type * as aws from "@pulumi/aws";
import { renderKubeconfig } from "../../core/render/eks/kubeconfig";

export function kubeconfigOf(cluster: aws.eks.Cluster, region: string): pulumi.Output<string> {
  return pulumi.secret(
    pulumi
      .all([cluster.name, cluster.endpoint, cluster.certificateAuthority])
      .apply(([clusterName, endpoint, ca]) => {
        if (!ca.data) throw new Error(`EKS cluster ${clusterName} reported no certificate authority`);
        return renderKubeconfig({ clusterName, region, endpoint, certificateAuthorityData: ca.data });
      }),
  );
}

export function kubernetesProvider(name: string, kubeconfig: pulumi.Output<string>, parent: pulumi.Resource): k8s.Provider {
  return new k8s.Provider(`${name}-k8s`, { kubeconfig, enableServerSideApply: true }, { parent });
}
