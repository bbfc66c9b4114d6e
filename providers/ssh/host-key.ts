/**
 * Host key verification for ssh2's `hostVerifier`. The pinned fingerprint from the inventory must
 * match; an unknown key is refused unless trust on first use was asked for, and then its
 * fingerprint is printed so it can be pinned. Within one process, a host keeps the key first seen,
 * so a key swapped between two connections of the same run is refused even under TOFU.
 */
import { SshError } from "./errors";
import { fingerprintOf, keyTypeOf, normalizeFingerprint } from "./fingerprint";
import type { Logger } from "./types";

const firstSeen = new Map<string, string>();

export interface HostKeyCheck {
  verify(keyBlob: Buffer): boolean;
  /** Set when verify() refused the key: the error to report instead of ssh2's generic one. */
  refusal: SshError | null;
  /** Fingerprint the host presented, once known. */
  presented: string | null;
}

export interface HostKeyContext {
  name: string;
  address: string;
  port: number;
  pinned: string | null;
  trustOnFirstUse: boolean;
  /** Field the user edits to pin the key, for hints. */
  pinField: string;
  log: Logger;
}

export function hostKeyCheck(ctx: HostKeyContext): HostKeyCheck {
  const check: HostKeyCheck = {
    refusal: null,
    presented: null,
    verify(keyBlob: Buffer): boolean {
      const fp = fingerprintOf(keyBlob);
      const type = keyTypeOf(keyBlob);
      check.presented = fp;
      const refuse = (message: string, hint: string) => {
        check.refusal = new SshError({ kind: "host-key", host: ctx.name, address: ctx.address, step: "connect", message, hint });
        return false;
      };
      if (ctx.pinned) {
        if (normalizeFingerprint(ctx.pinned) === fp) return true;
        return refuse(
          `host key mismatch: the host presented ${type} key ${fp}, but ${ctx.pinField} pins ${ctx.pinned}. The connection was refused`,
          `if the host was reinstalled, check the new key on its console (ssh-keygen -lf /etc/ssh/ssh_host_${type.replace(/^ssh-|-.*$/g, "")}_key.pub) and pin it in ${ctx.pinField}; otherwise someone may be intercepting the connection`,
        );
      }
      const key = `${ctx.address}:${ctx.port}`;
      const seen = firstSeen.get(key);
      if (seen && seen !== fp) {
        return refuse(`host key changed during this run: first ${seen}, now ${fp}. The connection was refused`, `pin the right key in ${ctx.pinField}`);
      }
      if (!ctx.trustOnFirstUse) {
        return refuse(
          `unknown host key: the host presented ${type} key ${fp} and no key is pinned for it. The connection was refused`,
          `verify it (ssh-keyscan -p ${ctx.port} ${ctx.address} | ssh-keygen -lf -) and pin it: ${ctx.pinField}: ${fp}`,
        );
      }
      if (!seen) {
        firstSeen.set(key, fp);
        ctx.log(`trust on first use: host ${ctx.name} (${ctx.address}) presented ${type} key ${fp}; pin it with ${ctx.pinField}: ${fp}`);
      }
      return true;
    },
  };
  return check;
}
