/**
 * Mirrors for air-gapped sites, one setting per kind of artifact that is not an OS package (those
 * are `platform.packages`). Each applies on every platform it concerns; stacks set site-specific
 * values through `clusterkit:overrides`.
 */
import { z } from "zod";

/**
 * `host[:port][/path]`, lower case, no scheme. The host needs a dot, a port or to be `localhost`:
 * otherwise container runtimes read the first component as a Docker Hub namespace.
 */
const registryPrefix = z
  .string()
  .regex(
    /^(localhost|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+|[a-z0-9]([a-z0-9-]*[a-z0-9])?:\d{1,5})(:\d{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/,
    "must be a registry host with a dot or a port, and an optional path, without scheme or trailing slash, e.g. registry.example.internal:5000/mirror",
  );

const chartRepository = z
  .string()
  .regex(/^(https|oci):\/\/[^\s/]+(\/[^\s/]+)*\/?$/, "must be an https:// Helm repository or an oci:// registry path, e.g. oci://registry.example.internal/charts")
  .transform((s) => s.replace(/\/+$/, ""));

export const mirrorsSchema = z
  .strictObject({
    /** Every container image (Kubernetes itself, the CNI, storage, ingress, kube-vip) from `<registry>/<upstream registry>/<path>`. */
    images: z.strictObject({ registry: registryPrefix }).optional(),
    /** Every Helm chart from one repository that holds all the pinned charts, or from `oci://<path>/<chart>`. */
    charts: z.strictObject({ repository: chartRepository }).optional(),
  })
  .default({});
export type MirrorsInput = z.output<typeof mirrorsSchema>;
