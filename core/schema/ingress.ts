/** Ingress controller choice: a discriminated union on `kind`. */
import { z } from "zod";
import { helmValues } from "./primitives";

const common = {
  replicas: z.number().int().min(1).max(20).default(2),
  values: helmValues.default({}),
};

/** Name of the IngressClass; it is made the cluster default. */
const className = (fallback: string) =>
  z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS label: lower-case letters, digits and '-'")
    .max(63)
    .default(fallback);

export const ingressNginx = z.strictObject({
  kind: z.literal("ingress-nginx"),
  ...common,
  className: className("nginx"),
  /** ingress-nginx was retired upstream in March 2026 (no more security fixes); using it must be a deliberate choice. */
  acknowledgeUnmaintained: z.boolean().default(false),
});
export const traefik = z.strictObject({ kind: z.literal("traefik"), ...common, className: className("traefik") });
export const noIngress = z.strictObject({ kind: z.literal("none") });

export const ingressSchema = z.discriminatedUnion("kind", [ingressNginx, traefik, noIngress]);
export type Ingress = z.output<typeof ingressSchema>;
