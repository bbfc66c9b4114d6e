/**
 * The one place the vSphere components get their bindings from. `providers/vsphere.ts` mirrors
 * `@pulumi/vsphere` v4.17.0 (which cannot be installed where clusterkit is built); where it can be,
 * switch with this one line: `export * from "@pulumi/vsphere";` (after `npm i @pulumi/vsphere@4.17.0`).
 */
export * from "../../providers/vsphere";
