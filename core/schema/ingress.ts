/** Ingress controller choice: a discriminated union on `kind`. */
import { z } from "zod";
import { helmValues } from "./primitives";

const common = {
  replicas: z.number().int().min(1).max(20).default(2),
  /** Name of the IngressClass; it is made the cluster default. */
  className: z.string().default("nginx"),
  values: helmValues.default({}),
};

export const ingressNginx = z.strictObject({ kind: z.literal("ingress-nginx"), ...common });
export const traefik = z.strictObject({ kind: z.literal("traefik"), ...common, className: z.string().default("traefik") });
export const noIngress = z.strictObject({ kind: z.literal("none") });

export const ingressSchema = z.discriminatedUnion("kind", [ingressNginx, traefik, noIngress]);
export type Ingress = z.output<typeof ingressSchema>;
