/**
 * JSON Schemas for editors (yaml-language-server), generated from the zod schemas so they never
 * disagree with validation. `npm run schema` rewrites them; a test fails when they are stale.
 */
import { z } from "zod";
import { blueprintSchema } from "./blueprint";
import { clusterkitConfigSchema } from "./stack";

export const schemaFiles = {
  blueprint: "blueprints/blueprint.schema.json",
  stack: "stacks/stack.schema.json",
} as const;

function toJson(schema: z.ZodType, title: string): Record<string, unknown> {
  return { ...z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }), title };
}

export function blueprintJsonSchema(): Record<string, unknown> {
  return toJson(blueprintSchema, "clusterkit blueprint");
}

/** Stack files keep clusterkit's keys under `config` with the `clusterkit:` prefix; other namespaces pass. */
export function stackJsonSchema(): Record<string, unknown> {
  const prefixed = z.object(
    Object.fromEntries(Object.entries(clusterkitConfigSchema.shape).map(([k, v]) => [`clusterkit:${k}`, v])) as Record<string, z.ZodType>,
  );
  const file = z.strictObject({
    secretsprovider: z.string().optional(),
    encryptedkey: z.string().optional(),
    encryptionsalt: z.string().optional(),
    environment: z.unknown().optional(),
    config: prefixed,
  });
  return toJson(file, "clusterkit stack (Pulumi stack config)");
}

export function renderSchemas(): Record<string, string> {
  return {
    [schemaFiles.blueprint]: `${JSON.stringify(blueprintJsonSchema(), null, 2)}\n`,
    [schemaFiles.stack]: `${JSON.stringify(stackJsonSchema(), null, 2)}\n`,
  };
}
