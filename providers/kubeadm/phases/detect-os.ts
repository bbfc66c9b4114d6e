/**
 * Detect the OS family (Debian/Ubuntu or the RHEL family) with the rendered detect script; every
 * host step branches on the same detection. Read-only. An unsupported OS stops here, before
 * anything on the host changes.
 */
import { ClusterkitError } from "../../../core/errors";
import { redact } from "../../ssh";
import type { Phase } from "../phase";
import type { HostContext } from "./host-context";

export const detectOs: Phase<HostContext> = {
  name: "detect-os",
  async needed(ctx) {
    return ctx.os === null;
  },
  async run(ctx) {
    const r = await ctx.host.run(ctx.inputs.detectOs, { step: "detect-os", mutating: false, okCodes: [0, 2], timeoutMs: 30_000 });
    if (r.code === 2) {
      throw ClusterkitError.failure(`host ${ctx.host.name} (${ctx.host.address})`, "detect-os", redact(r.stderr.trim() || "unsupported operating system"), "clusterkit prepares Debian/Ubuntu and RHEL-family hosts");
    }
    ctx.os = r.stdout.trim();
  },
};
