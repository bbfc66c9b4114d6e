/**
 * Keeps secrets out of everything we print: error messages, stderr we quote, logs. Two layers:
 * values registered as secret (the SSH key, each bootstrap token and certificate key as soon as it
 * is obtained, kubeconfigs) are replaced wherever they appear, and patterns catch the shapes of
 * secrets we never saw (a token kubeadm printed, a PEM block, kubeconfig key data).
 */

const MASK = "[redacted]";

/** Shorter values would mask ordinary words; no secret we handle is that short. */
const MIN_SECRET_LENGTH = 8;

/** Each pattern keeps its first group (a field name or flag) and masks the value after it. */
const patterns: RegExp[] = [
  // PEM blocks: private keys and certificates inside anything we quote.
  /()-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g,
  // kubeadm bootstrap tokens: [a-z0-9]{6}.[a-z0-9]{16}.
  /()\b[a-z0-9]{6}\.[a-z0-9]{16}\b/g,
  // Certificate keys: 32 bytes hex. A CA cert hash (`sha256:<hex>`) is public and kept.
  /()(?<!sha256:)\b[a-f0-9]{64}\b/g,
  // kubeconfig and JoinConfiguration fields that carry credentials.
  /((?:client-key-data|client-certificate-data|token|certificateKey|tlsBootstrapToken|password|secret)["']?\s*[:=]\s*["']?)[^\s"',}]+/gi,
  // Flags that carry credentials on a command line.
  /(--(?:token|certificate-key|tls-bootstrap-token|password)[= ])\S+/g,
];

const registered = new Set<string>();

/** Marks a value as secret for every later redaction in this process. */
export function registerSecret(value: string | undefined | null): void {
  if (!value) return;
  const v = value.trim();
  if (v.length < MIN_SECRET_LENGTH) return;
  registered.add(v);
  // Multi-line secrets (keys, kubeconfigs) also leak line by line, e.g. in a stderr tail.
  for (const line of v.split("\n")) if (line.trim().length >= 24) registered.add(line.trim());
}

export function redact(text: string, extra: readonly string[] = []): string {
  let out = text;
  const values = [...registered, ...extra.filter((v) => v && v.length >= MIN_SECRET_LENGTH)].sort((a, b) => b.length - a.length);
  for (const v of values) out = out.split(v).join(MASK);
  for (const p of patterns) {
    out = out.replace(p, (_match, keep: string) => `${keep}${MASK}`);
  }
  return out;
}

/** The last lines of a command's output, redacted: enough to diagnose, bounded in size. */
export function tail(text: string, lines = 20, extra: readonly string[] = []): string {
  const all = text.replace(/\s+$/, "").split("\n");
  const kept = all.slice(-lines).join("\n");
  return redact(all.length > lines ? `…\n${kept}` : kept, extra);
}
