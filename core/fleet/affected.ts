/**
 * Which stacks a change touches, from the paths it changes (e.g. `git diff --name-only`), for
 * previews on pull requests: a stack file touches its stack, a blueprint every stack built from
 * it, and the Pulumi program or its dependencies every stack. Docs, tests, CI files, the CLI and
 * the address plan change nothing that `pulumi preview` would show.
 */

const programPaths = [/^index\.ts$/, /^core\//, /^components\//, /^providers\//, /^package(-lock)?\.json$/, /^Pulumi\.yaml$/, /^tsconfig\.json$/];

export function affectedStacks(changed: readonly string[], stacks: readonly { name: string; blueprint: string | null }[]): string[] {
  const out = new Set<string>();
  for (const raw of changed) {
    const file = raw.trim().replace(/^\.\//, "");
    if (!file) continue;
    if (programPaths.some((p) => p.test(file))) return stacks.map((s) => s.name).sort();
    const stack = /^stacks\/Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1];
    if (stack && stacks.some((s) => s.name === stack)) out.add(stack);
    const blueprint = /^blueprints\/(.+)\.yaml$/.exec(file)?.[1];
    if (blueprint) for (const s of stacks) if (s.blueprint === blueprint) out.add(s.name);
  }
  return [...out].sort();
}
