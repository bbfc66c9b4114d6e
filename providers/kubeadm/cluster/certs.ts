/**
 * kubeadm's certificates on a control plane: `kubeadm certs check-expiration -o json` (its output
 * API, output.kubeadm.k8s.io/v1alpha3 CertificateExpirationInfo) says when each certificate and
 * CA expires. Externally managed and missing ones are left out; firstExpiry, which decides a
 * renewal, leaves out the CAs too (ten years, and `kubeadm certs renew` does not renew them).
 */
import type { RemoteHost } from "../../ssh";

interface ExpirationEntry {
  name: string;
  expirationDate?: string | null;
  externallyManaged?: boolean;
  missing?: boolean;
}

interface ExpirationInfo {
  certificates?: ExpirationEntry[];
  certificateAuthorities?: ExpirationEntry[];
}

export interface Expiry {
  name: string;
  date: Date;
  /** A CA: kubeadm never renews one (not with `certs renew`, not in an upgrade). */
  ca: boolean;
}

const dated = (entries: ExpirationEntry[] | undefined, ca: boolean): Expiry[] =>
  (entries ?? [])
    .filter((c) => !c.missing && !c.externallyManaged && c.expirationDate)
    .map((c) => ({ name: c.name, date: new Date(c.expirationDate!), ca }))
    .filter((c) => !Number.isNaN(c.date.getTime()));

/** Every dated certificate and CA kubeadm reports, soonest first. */
export function expiries(json: string): Expiry[] {
  const info = JSON.parse(json) as ExpirationInfo;
  return [...dated(info.certificates, false), ...dated(info.certificateAuthorities, true)].sort((a, b) => a.date.getTime() - b.date.getTime());
}

export async function certificateExpiries(cp: RemoteHost, step: string): Promise<Expiry[]> {
  return expiries(await cp.read("kubeadm certs check-expiration -o json", step, 60_000));
}

/** The first expiry among the certificates kubeadm renews, or null when there is none. */
export function firstExpiry(json: string): { name: string; date: Date } | null {
  const first = expiries(json).find((c) => !c.ca);
  return first ? { name: first.name, date: first.date } : null;
}

export async function certificateExpiry(cp: RemoteHost, step: string): Promise<{ name: string; date: Date } | null> {
  return firstExpiry(await cp.read("kubeadm certs check-expiration -o json", step, 60_000));
}

/** Whole days from `now` until `date` (negative once expired). */
export const daysLeft = (date: Date, now = new Date()) => Math.floor((date.getTime() - now.getTime()) / 86_400_000);
