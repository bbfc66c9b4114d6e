/**
 * Secret redaction for drift reports. Pulumi serialises a secret as an object carrying the
 * signature key `4dabf18193072939515e22adb298388d` with the secret signature
 * `1b47061264138c4ac30d75fd1eb44270` (and `ciphertext`, or `plaintext` when secrets are shown);
 * engine events also blind them to the string "[secret]". Both become "[secret]" here, and so does
 * anything under a property whose name says it holds a secret, in case a provider forgot to mark it.
 */

export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const REDACTED = "[secret]";

const secretName = /(password|passwd|secret|token|private.?key|privatekey|kubeconfig|credential|client.?key|\bkey.?pem\b|ssh.?key)/i;

export function isSecretValue(value: unknown): boolean {
  if (value === REDACTED) return true;
  return !!value && typeof value === "object" && !Array.isArray(value) && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

export function isSecretName(name: string | number): boolean {
  return typeof name === "string" && secretName.test(name);
}

/** True when the value holds a secret anywhere inside. */
export function containsSecret(value: unknown): boolean {
  if (isSecretValue(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecret);
  if (value && typeof value === "object") return Object.entries(value).some(([k, v]) => isSecretName(k) || containsSecret(v));
  return false;
}

/** A copy with every secret replaced by "[secret]". */
export function redact(value: unknown): unknown {
  if (isSecretValue(value)) return REDACTED;
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isSecretName(k) && v !== null && v !== undefined ? REDACTED : redact(v)]));
  }
  return value;
}
