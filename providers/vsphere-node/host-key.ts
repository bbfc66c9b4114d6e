/**
 * Installs the VM's lasting SSH host key over a session pinned to its first-boot key, and proves
 * the host serves it. Idempotent: a host already serving the lasting key is left alone, so a retry
 * after a failure half way finds its way.
 */
import { renderHostKeyRotation } from "../../core/render/cloud-init/host-key-rotation";
import { SshPool, isSshError, registerSecret, type SshTarget } from "../ssh";
import type { HostKeyRotationInputs } from "./types";

function target(i: HostKeyRotationInputs, hostKey: string): SshTarget {
  return { name: i.name, address: i.address, port: i.port, user: i.user, hostKey, privateKey: i.privateKey, trustOnFirstUse: false, bastion: null };
}

/** Whether the host presents `hostKey`; false when it presents another key. */
export async function serves(i: HostKeyRotationInputs, hostKey: string): Promise<boolean> {
  // A pool of its own: connections are never shared with a different pin, and close right after.
  const pool = new SshPool({ concurrency: 1 });
  try {
    await pool.exec(target(i, hostKey), "true", { step: "host-key/check", mutating: false, asUser: true });
    return true;
  } catch (e) {
    if (isSshError(e, "host-key")) return false;
    throw e;
  } finally {
    pool.closeAll();
  }
}

/**
 * Makes the host serve `i.hostKey`, trusting in turn each of `from` (fingerprints the host may
 * present now: the first-boot key, or a lasting key being replaced).
 */
export async function rotateHostKey(i: HostKeyRotationInputs, from: string[]): Promise<void> {
  registerSecret(i.privateKey);
  registerSecret(i.hostPrivateKey);
  if (await serves(i, i.hostKey)) return;
  const candidates = [...new Set(from)].filter((fp) => fp !== i.hostKey);
  let lastRefusal: unknown = null;
  for (const fp of candidates) {
    const pool = new SshPool({ concurrency: 1 });
    try {
      await pool.exec(target(i, fp), renderHostKeyRotation(), { step: "host-key/rotate", mutating: true, stdin: i.hostPrivateKey.endsWith("\n") ? i.hostPrivateKey : `${i.hostPrivateKey}\n`, secrets: [i.hostPrivateKey] });
      lastRefusal = null;
      break;
    } catch (e) {
      if (!isSshError(e, "host-key")) throw e;
      lastRefusal = e;
    } finally {
      pool.closeAll();
    }
  }
  if (lastRefusal) throw lastRefusal;
  if (!(await serves(i, i.hostKey))) {
    throw new Error(`${i.name} (${i.address}): the new SSH host key was installed, but sshd still presents another one after the reload`);
  }
}
