/** Small reusable zod types shared by blueprints and stacks. */
import { z } from "zod";
import { Address4 } from "ip-address";

export const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS label: lower-case letters, digits and '-'")
  .max(63);

export const cidr4 = z.string().refine(
  (s) => /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(s) && Address4.isValid(s) && new Address4(s).startAddress().address === s.split("/")[0],
  { message: "must be an IPv4 network in CIDR form with no host bits set, e.g. 10.0.0.0/16" },
);

const dottedQuad = /^\d{1,3}(\.\d{1,3}){3}$/;
const isIpv4 = (s: string) => dottedQuad.test(s) && Address4.isValid(s);
const dnsName = /^(\*\.)?([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)*[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export const ipv4 = z.string().refine(isIpv4, { message: "must be an IPv4 address, e.g. 10.0.0.10" });

/** A subject alternative name for a serving certificate: a DNS name (a `*.` wildcard allowed) or an IPv4 address. */
export const certSAN = z
  .string()
  .refine((s) => (dottedQuad.test(s) ? isIpv4(s) : dnsName.test(s) && s.length <= 253), {
    message: "must be a DNS name (lower case, e.g. api.ber1.example.com) or an IPv4 address",
  });

/** "1.33" (resolved to the pinned patch) or an exact "1.33.5". A leading "v" is accepted. */
export const kubernetesVersion = z
  .string()
  .regex(/^v?1\.\d{2}(\.\d{1,3})?$/, "must be a Kubernetes version such as 1.33 or 1.33.5");

export const labels = z.record(
  z.string().regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, "must be a valid label key"),
  z.string().regex(/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/, "must be a valid label value").max(63),
);

export const taint = z.strictObject({
  key: z.string().min(1),
  value: z.string().optional(),
  effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]),
});

/** SSH host-key fingerprint exactly as `ssh-keygen -lf` prints it. */
export const sshFingerprint = z
  .string()
  .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, "must be a SHA256 fingerprint as printed by `ssh-keygen -lf`, e.g. SHA256:2Lq1…");

/** Free-form Helm values: the escape hatch every add-on offers next to its curated options. */
export const helmValues = z.record(z.string(), z.unknown());
