/**
 * Values as a state export holds them, made comparable with what the offline plan records: a
 * secret is `{<sig key>: <secret sig>, ciphertext | plaintext}` (plaintext only with
 * `--show-secrets`, JSON-encoded), a resource reference `{<sig key>: <ref sig>, urn, id}`. Secrets
 * become StateSecret, whose value is never shown; references the plan's `{resource: <urn>}`.
 */
import { SECRET } from "./markers";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_REF_SIG = "5cf8f73096256a8f31e491e813e4eb8e";

/** A secret from the state. `known` only when exported with --show-secrets. */
export class StateSecret {
  constructor(
    readonly known: boolean,
    readonly value?: unknown,
  ) {}

  /** Whatever serialises it (a plan, an error) gets the marker, never the value. */
  toJSON(): string {
    return SECRET;
  }
}

export function decodeStateValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeStateValue);
  if (!v || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  if (o[SIG_KEY] === SECRET_SIG) {
    if (typeof o.plaintext !== "string") return new StateSecret(false);
    try {
      return new StateSecret(true, decodeStateValue(JSON.parse(o.plaintext)));
    } catch {
      return new StateSecret(false);
    }
  }
  if (o[SIG_KEY] === RESOURCE_REF_SIG && typeof o.urn === "string") return { resource: o.urn };
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decodeStateValue(x)]));
}
