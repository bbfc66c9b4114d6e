/** Mock outputs for resources from @pulumi/random and @pulumi/tls used across platforms. */
import { createHash } from "node:crypto";
import { registerComputedOutputs } from "../mocks";

const fake = (name: string, len: number) => createHash("sha256").update(name).digest("hex").slice(0, len);

registerComputedOutputs("random:index/randomPassword:RandomPassword", (name, inputs) => ({
  result: fake(name, Number(inputs.length ?? 32)),
  bcryptHash: `$2a$10$${fake(`${name}-bcrypt`, 53)}`,
}));
registerComputedOutputs("random:index/randomBytes:RandomBytes", (name, inputs) => ({
  base64: Buffer.from(fake(name, Number(inputs.length ?? 32) * 2), "hex").toString("base64"),
  hex: fake(name, Number(inputs.length ?? 32) * 2),
}));
registerComputedOutputs("random:index/randomId:RandomId", (name) => ({ hex: fake(name, 16), b64Std: Buffer.from(fake(name, 16), "hex").toString("base64") }));
