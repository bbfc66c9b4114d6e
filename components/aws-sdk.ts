/**
 * @pulumi/aws for code every platform loads but only EKS runs (the add-ons' IRSA roles, EKS add-ons
 * and identity provider): loaded on first use, so a bare-metal or vSphere stack never loads its
 * 300 modules. Such files import the package's types with `import type`.
 */
export function awsSdk(): typeof import("@pulumi/aws") {
  return require("@pulumi/aws") as typeof import("@pulumi/aws");
}
