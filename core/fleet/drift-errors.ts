/**
 * Why a stack could not be checked. Pulumi exits 255 for every failure, so the kind is read from
 * its words: the backend login, the cloud providers' credential errors, `no stack named … found`.
 * The message keeps the CLI's `error:` lines (secrets are already filtered by Pulumi) and drops
 * the progress display around them.
 */
import type { StackError } from "./drift-report";

const authPatterns = [
  /PULUMI_ACCESS_TOKEN must be set/i,
  /problem logging in/i,
  /\[401\] Unauthorized/i,
  /\[403\] Forbidden/i,
  /No valid credential sources found/i,
  /Invalid credentials configured/i,
  /unable to validate AWS credentials/i,
  /ExpiredToken|security token included in the request is (expired|invalid)|InvalidClientTokenId/i,
  /incorrect user name or password/i,
  /ssh: unable to authenticate/i,
  /passphrase must be set|incorrect passphrase/i,
];

const notFound = /no stack named .* found/i;

function firstLines(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const errors = lines.filter((l) => /^error:/i.test(l) || /\bhas a problem\b|credential|token/i.test(l));
  const picked = (errors.length ? errors : lines.slice(-3)).slice(0, 4).join(" ");
  return picked.length > 500 ? `${picked.slice(0, 499)}…` : picked;
}

export function classifyFailure(text: string, diagnostics: readonly string[], timedOutAfter: number | null): StackError {
  if (timedOutAfter !== null) {
    return { kind: "timeout", message: `no result after ${timedOutAfter}s; the refresh was cancelled (raise --timeout if the stack is just large)` };
  }
  const all = [...diagnostics, text].join("\n");
  if (notFound.test(all)) return { kind: "stack-not-found", message: firstLines(all.match(/.*no stack named .* found.*/i)?.[0] ?? all) };
  if (authPatterns.some((p) => p.test(all))) return { kind: "auth", message: firstLines(diagnostics.length ? diagnostics.join("\n") : text) };
  return { kind: "cli", message: firstLines(diagnostics.length ? diagnostics.join("\n") : text) };
}
