/**
 * When to try again. Setting up a connection is retried with exponential backoff and jitter: a
 * host that is rebooting or a bastion that is briefly saturated recovers. A command is never re-run
 * blindly: only one declared read-only is repeated after its connection dropped; a mutating one
 * fails and the next run's checks decide what is left to do.
 */
import { isSshError } from "./errors";

export interface RetryPolicy {
  /** Total attempts, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultConnectPolicy: RetryPolicy = { attempts: 5, baseDelayMs: 200, maxDelayMs: 5000 };

/** Full jitter (AWS architecture blog): spreads reconnects of many hosts after a network blip. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Errors worth another connection attempt: the network, not the host's answer. */
export function isRetryableConnectError(e: unknown): boolean {
  return isSshError(e, "connect");
}

/** Whether a failed command may be run again on a fresh connection. */
export function mayRerun(e: unknown, mutating: boolean): boolean {
  return !mutating && isSshError(e, "connection-lost");
}

export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  retryable: (e: unknown) => boolean,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (attempt + 1 >= policy.attempts || !retryable(e)) throw e;
      await sleep(backoffDelay(policy, attempt));
    }
  }
}
