// Ground truth for the secrets grep: every command sent to a host and everything it printed,
// captured below the SSH layer, so the secrets are known independently of the code under test.
import { SshConnection } from "../../providers/ssh/connection";
import type { ExecOptions, ExecResult } from "../../providers/ssh/types";

export interface Exchange {
  host: string;
  script: string;
  stdin: string;
  stdout: string;
}

export function captureExchanges(): { exchanges: Exchange[]; restore: () => void } {
  const exchanges: Exchange[] = [];
  const original = SshConnection.prototype.exec;
  SshConnection.prototype.exec = async function (this: SshConnection, script: string, o: ExecOptions): Promise<ExecResult> {
    const entry: Exchange = { host: this.target.name, script, stdin: o.stdin ? String(o.stdin) : "", stdout: "" };
    exchanges.push(entry);
    const r = await original.call(this, script, o);
    entry.stdout = r.stdout;
    return r;
  };
  return { exchanges, restore: () => (SshConnection.prototype.exec = original) };
}

/** Tokens, certificate keys and kubeconfig credentials seen on the wire, plus the SSH key. */
export function secretsSeen(exchanges: Exchange[], privateKeyPem: string): { label: string; value: string }[] {
  const found = new Map<string, string>();
  const add = (label: string, value: string | undefined) => value && value.length >= 16 && found.set(value, label);
  for (const x of exchanges) {
    const text = `${x.stdin}\n${x.stdout}`;
    for (const m of text.matchAll(/\b[a-z0-9]{6}\.[a-z0-9]{16}\b/g)) add("bootstrap token", m[0]);
    for (const m of text.matchAll(/certificate[-_ ]?key[:\s]+([0-9a-f]{64})/gi)) add("certificate key", m[1]);
    for (const m of x.stdout.matchAll(/Using certificate key:\s*([0-9a-f]{64})/g)) add("certificate key", m[1]);
    for (const m of x.stdout.matchAll(/client-(?:key|certificate)-data:\s*(\S+)/g)) add("kubeconfig credential", m[1]);
  }
  const keyBody = privateKeyPem.split("\n").filter((l) => l && !l.startsWith("-----"));
  for (const line of keyBody) if (line.length >= 40) found.set(line, "SSH private key");
  return [...found].map(([value, label]) => ({ label, value }));
}

/** Each place a secret shows up, as "<secret kind> in <where>". */
export function leaks(texts: { where: string; text: string }[], secrets: { label: string; value: string }[]): string[] {
  const out: string[] = [];
  for (const t of texts) for (const s of secrets) if (t.text.includes(s.value)) out.push(`${s.label} in ${t.where}`);
  return out;
}
