/** Mock outputs for resources from @pulumi/random used across platforms: random only after deploy. */
import { createHash } from "node:crypto";
import { afterApply } from "../known-after-apply";
import { registerComputedOutputs } from "../mocks";

const fake = (name: string, len: number) => afterApply(createHash("sha256").update(name).digest("hex").slice(0, len));

registerComputedOutputs("random:index/randomPassword:RandomPassword", (name, inputs) => ({
  result: fake(name, Number(inputs.length ?? 32)),
  bcryptHash: afterApply(`$2a$10$${fake(`${name}-bcrypt`, 53)}`),
}));
registerComputedOutputs("random:index/randomBytes:RandomBytes", (name, inputs) => ({
  base64: afterApply(Buffer.from(fake(name, Number(inputs.length ?? 32) * 2), "hex").toString("base64")),
  hex: fake(name, Number(inputs.length ?? 32) * 2),
}));
registerComputedOutputs("random:index/randomId:RandomId", (name) => ({ hex: fake(name, 16), b64Std: afterApply(Buffer.from(fake(name, 16), "hex").toString("base64")) }));
