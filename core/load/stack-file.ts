/**
 * Reads `stacks/Pulumi.<stack>.yaml`. clusterkit's own keys are validated strictly; keys of other
 * namespaces (aws:, kubernetes:, …) belong to their providers and pass through. Secret keys must
 * hold `secure:` values; a plain-text secret is refused without ever echoing it.
 */
import { ClusterkitError, joinPath, type Issue } from "../errors";
import { didYouMean, zodIssues } from "../schema/issues";
import { clusterkitConfigSchema, secretConfigKeys, stackFileSchema, type ClusterkitConfig } from "../schema/stack";

export const NAMESPACE = "clusterkit";

export interface StackFile {
  name: string;
  file: string;
  config: ClusterkitConfig;
  /** Config of other namespaces, as written. */
  otherConfig: Record<string, unknown>;
}

export function stackFileName(stack: string): string {
  return `stacks/Pulumi.${stack}.yaml`;
}

/** Validates a stack's config map (from the file, or from the Pulumi runtime). */
export function parseStackConfig(name: string, file: string, configMap: Record<string, unknown>): StackFile {
  const issues: Issue[] = [];
  const own: Record<string, unknown> = {};
  const otherConfig: Record<string, unknown> = {};
  const knownKeys = Object.keys(clusterkitConfigSchema.shape);
  for (const [key, value] of Object.entries(configMap)) {
    const at = joinPath(["config", key]);
    const colon = key.indexOf(":");
    if (colon < 0) {
      issues.push({ file, path: at, message: "config keys need a namespace", hint: `Pulumi writes project keys as '${NAMESPACE}:${key}'` });
      continue;
    }
    const ns = key.slice(0, colon);
    const sub = key.slice(colon + 1);
    if (ns !== NAMESPACE) {
      otherConfig[key] = value;
      continue;
    }
    if (!knownKeys.includes(sub)) {
      const s = didYouMean(sub, knownKeys);
      issues.push({ file, path: at, message: "unknown key", hint: s ? `did you mean '${NAMESPACE}:${s}'?` : `known keys: ${knownKeys.map((k) => `${NAMESPACE}:${k}`).join(", ")}` });
      continue;
    }
    if (sub in secretConfigKeys) {
      const isSecure = value !== null && typeof value === "object" && "secure" in (value as object);
      if (!isSecure) {
        issues.push({
          file,
          path: at,
          message: `holds a secret (${secretConfigKeys[sub as keyof typeof secretConfigKeys]}) in plain text`,
          expected: "a secure: value",
          found: "a plain-text value (not shown)",
          hint: `remove it from the file, rotate it, and run: pulumi config set --secret ${key} --stack ${name} < FILE`,
        });
        continue;
      }
    }
    own[sub] = value;
  }
  const result = clusterkitConfigSchema.safeParse(own);
  if (!result.success) {
    const locate = (path: (string | number)[]) => ({ file, path: path.length ? ["config", `${NAMESPACE}:${String(path[0])}`, ...path.slice(1)] : ["config"] });
    issues.push(...zodIssues(result.error, locate, [], own, clusterkitConfigSchema));
  }
  if (issues.length) throw new ClusterkitError(issues);
  return { name, file, config: result.data!, otherConfig };
}

/** Reads and validates a stack file from disk. */
export function parseStackFile(name: string, file: string, raw: unknown): StackFile {
  const top = stackFileSchema.safeParse(raw ?? {});
  if (!top.success) throw new ClusterkitError(zodIssues(top.error, file, [], raw, stackFileSchema));
  return parseStackConfig(name, file, top.data.config);
}
