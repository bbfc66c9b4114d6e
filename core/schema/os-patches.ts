/**
 * kubeadm platforms: rolling OS package updates, the kured pattern driven by `pulumi up`. A round
 * is named; naming a new one rolls the updates through the nodes again, one at a time (workers in
 * `upgrades.workerBatchSize` batches), each drained first and rebooted when the update needs it.
 */
import { z } from "zod";

export const osPatchesSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("none") }),
  z.strictObject({
    kind: z.literal("rolling"),
    /**
     * The round's name, e.g. `2026-12`: a node records the round it finished, so a new name is a new
     * round and the same name changes nothing. Stacks usually set it, one environment after another.
     */
    round: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, "must be a name of up to 63 letters, digits, dots, dashes and underscores, such as 2026-12"),
    /**
     * `if-required`: reboot when the update asks for it (/var/run/reboot-required on Debian and
     * Ubuntu, `dnf needs-restarting -r` on the RHEL family), as kured does; `always`; `never`.
     */
    reboot: z.enum(["if-required", "always", "never"]).default("if-required"),
    /** How long a rebooting node may take to come back with its kubelet Ready before the round stops there. */
    rebootTimeoutSeconds: z.number().int().min(60).max(3600).default(900),
  }),
]);
export type OsPatches = z.output<typeof osPatchesSchema>;
