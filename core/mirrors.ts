/**
 * Air-gapped clusters take every artifact from a mirror, one per kind (packages are in
 * `platform.packages`). Images keep their upstream name below the image mirror:
 * `docker.io/rancher/local-path-provisioner:v0.0.32` is pulled as
 * `<registry>/docker.io/rancher/local-path-provisioner:v0.0.32`, the layout `crane copy`,
 * `skopeo sync` or a registry's per-upstream proxy projects produce, and the one containerd's
 * `hosts.toml` mirrors below resolve to. Charts come from one Helm repository holding every pinned
 * chart, or from `oci://<path>/<chart>`.
 */
import type { ChartPin } from "./versions";

/** Registries the images clusterkit installs (and most workloads) come from; containerd maps each to the mirror. */
export const publicRegistries = ["docker.io", "registry.k8s.io", "quay.io", "ghcr.io", "gcr.io", "public.ecr.aws"] as const;

/** Splits a reference the way Docker does: a first component with a dot, a port or `localhost` is a registry. */
export function parseImage(ref: string): { registry: string; repository: string; suffix: string } {
  const at = ref.indexOf("@");
  const name = at >= 0 ? ref.slice(0, at) : ref;
  const digest = at >= 0 ? ref.slice(at) : "";
  const slash = name.indexOf("/");
  const first = slash >= 0 ? name.slice(0, slash) : "";
  const hasRegistry = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  const registry = hasRegistry ? first : "docker.io";
  let rest = hasRegistry ? name.slice(slash + 1) : name;
  const colon = rest.lastIndexOf(":");
  const tag = colon > rest.lastIndexOf("/") ? rest.slice(colon) : "";
  if (tag) rest = rest.slice(0, colon);
  // Docker Hub's official images live under library/.
  const repository = registry === "docker.io" && !rest.includes("/") ? `library/${rest}` : rest;
  return { registry, repository, suffix: tag + digest };
}

/** The image as the mirror holds it; unchanged without a mirror. */
export function mirroredImage(mirror: string | null, ref: string): string {
  if (!mirror) return ref;
  const { registry, repository, suffix } = parseImage(ref);
  return `${mirror}/${registry}/${repository}${suffix}`;
}

/** A chart's "registry" setting (`docker.io`, `registry.k8s.io`) as the mirror serves it. */
export function mirroredRegistry(mirror: string | null, registry: string): string {
  return mirror ? `${mirror}/${registry}` : registry;
}

/** The chart pin with its source replaced by the chart mirror; unchanged without one. */
export function mirroredChart(mirror: string | null, pin: ChartPin): ChartPin {
  return mirror ? { ...pin, repo: mirror } : pin;
}

/** How Helm addresses a pin: an `oci://` chart is one reference, a repository chart is name + repo. */
export function helmChartRef(pin: ChartPin): { chart: string; repo: string | null } {
  return pin.repo.startsWith("oci://") ? { chart: `${pin.repo}/${pin.chart}`, repo: null } : { chart: pin.chart, repo: pin.repo };
}

/**
 * Helm values that point a chart's images at the mirror: dotted values paths → the value to set.
 * Empty without a mirror, so the chart's own defaults (and digests) stay in charge.
 */
export function imageValues(mirror: string | null, set: (m: string) => Record<string, string>): Record<string, unknown> {
  if (!mirror) return {};
  const out: Record<string, unknown> = {};
  for (const [dotted, value] of Object.entries(set(mirror))) {
    const keys = dotted.split(".");
    let cur = out;
    for (const k of keys.slice(0, -1)) cur = (cur[k] ??= {}) as Record<string, unknown>;
    cur[keys[keys.length - 1]] = value;
  }
  return out;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

/** Every `image` of every container and init container anywhere in rendered objects, pointed at the mirror. */
export function withMirroredImages<T>(mirror: string | null, value: T): T {
  if (!mirror) return value;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!isObject(v)) return v;
    const out: Json = {};
    for (const [k, child] of Object.entries(v)) {
      out[k] =
        (k === "containers" || k === "initContainers" || k === "ephemeralContainers") && Array.isArray(child)
          ? child.map((c) => (isObject(c) && typeof c.image === "string" ? { ...(walk(c) as Json), image: mirroredImage(mirror, c.image) } : walk(c)))
          : walk(child);
    }
    return out;
  };
  return walk(value) as T;
}
