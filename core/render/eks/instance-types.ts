/** What an EC2 instance type tells us without a lookup: its CPU architecture. */

export type Architecture = "x86_64" | "arm64";

/**
 * Graviton families carry a `g` right after the generation digit (m7g, c6gn, r8gd, im4gn,
 * is4gen, t4g, g5g), plus the first-generation a1. Everything else EKS runs is x86_64.
 */
export function architectureOf(instanceType: string): Architecture {
  const family = instanceType.split(".")[0];
  return family === "a1" || /^[a-z]+\d+g[a-z]*$/.test(family) ? "arm64" : "x86_64";
}
