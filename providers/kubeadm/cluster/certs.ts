/**
 * kubeadm's certificates on a control plane: `kubeadm certs check-expiration -o json` (its output
 * API, output.kubeadm.k8s.io/v1alpha3 CertificateExpirationInfo) says when each expires; the CAs
 * (ten years) are not counted, nor are externally managed or missing certificates.
 */
import type { RemoteHost } from "../../ssh";

interface ExpirationInfo {
  certificates?: { name: string; expirationDate?: string | null; externallyManaged?: boolean; missing?: boolean }[];
}

/** The first expiry among the certificates kubeadm renews, or null when there is none. */
export function firstExpiry(json: string): { name: string; date: Date } | null {
  const info = JSON.parse(json) as ExpirationInfo;
  const dated = (info.certificates ?? [])
    .filter((c) => !c.missing && !c.externallyManaged && c.expirationDate)
    .map((c) => ({ name: c.name, date: new Date(c.expirationDate!) }))
    .filter((c) => !Number.isNaN(c.date.getTime()));
  return dated.sort((a, b) => a.date.getTime() - b.date.getTime())[0] ?? null;
}

export async function certificateExpiry(cp: RemoteHost, step: string): Promise<{ name: string; date: Date } | null> {
  return firstExpiry(await cp.read("kubeadm certs check-expiration -o json", step, 60_000));
}

/** Whole days from `now` until `date` (negative once expired). */
export const daysLeft = (date: Date, now = new Date()) => Math.floor((date.getTime() - now.getTime()) / 86_400_000);
