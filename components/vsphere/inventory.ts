/**
 * The vCenter objects a cluster is placed into, looked up by name through the cluster's explicit
 * provider: datacenter, compute cluster (or a resource pool in it), datastore (or a Storage DRS
 * datastore cluster), port group, and the template to clone.
 */
import * as pulumi from "@pulumi/pulumi";
import type { VspherePlatformSpec } from "../../core/spec";
import * as vsphere from "./sdk";

export interface Inventory {
  datacenterId: pulumi.Output<string>;
  computeClusterId: pulumi.Output<string>;
  resourcePoolId: pulumi.Output<string>;
  /** Exactly one of these two is set, as the stack chose. */
  datastoreId?: pulumi.Output<string>;
  datastoreClusterId?: pulumi.Output<string>;
  networkId: pulumi.Output<string>;
  template: pulumi.Output<vsphere.GetVirtualMachineResult>;
}

export function lookupInventory(vc: VspherePlatformSpec["vcenter"], opts: pulumi.InvokeOutputOptions): Inventory {
  const datacenter = vsphere.getDatacenterOutput({ name: vc.datacenter }, opts);
  const datacenterId = datacenter.id;
  const computeCluster = vsphere.getComputeClusterOutput({ name: vc.computeCluster, datacenterId }, opts);
  // Without a named pool, VMs go to the cluster's root pool.
  const resourcePoolId = vc.resourcePool ? vsphere.getResourcePoolOutput({ name: vc.resourcePool, datacenterId }, opts).id : computeCluster.resourcePoolId;
  return {
    datacenterId,
    computeClusterId: computeCluster.id,
    resourcePoolId,
    datastoreId: vc.datastore ? vsphere.getDatastoreOutput({ name: vc.datastore, datacenterId }, opts).id : undefined,
    datastoreClusterId: vc.datastoreCluster ? vsphere.getDatastoreClusterOutput({ name: vc.datastoreCluster, datacenterId }, opts).id : undefined,
    networkId: vsphere.getNetworkOutput({ name: vc.network, datacenterId }, opts).id,
    template: vsphere.getVirtualMachineOutput({ name: vc.template, datacenterId }, opts),
  };
}
