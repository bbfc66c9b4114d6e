/**
 * Picking the stacks of a drift run: `--stacks` globs and `--shard i/n`. Shards are 1-based and
 * deal the sorted stack names round-robin, so every CI matrix job gets a fixed, even share and the
 * shards together cover each stack exactly once.
 */
import { ClusterkitError } from "../errors";

export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new ClusterkitError([{ file: "(command line)", path: "--shard", message: "must be i/n with 1 <= i <= n", expected: "e.g. 2/4", found: JSON.stringify(text) }]);
  }
  return { index, count };
}

export function inShard(sortedNames: readonly string[], shard: Shard | null): string[] {
  return shard ? sortedNames.filter((_, i) => i % shard.count === shard.index - 1) : [...sortedNames];
}

/** `*` matches any run of characters, `?` one; several patterns may be given comma-separated. */
export function globMatcher(patterns: string): (name: string) => boolean {
  const res = patterns
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`));
  return (name) => res.some((re) => re.test(name));
}

export function selectStacks(all: readonly string[], glob: string | undefined, shard: Shard | null): string[] {
  const sorted = [...all].sort();
  const matching = glob ? sorted.filter(globMatcher(glob)) : sorted;
  if (glob && !matching.length) {
    throw new ClusterkitError([{ file: "(command line)", path: "--stacks", message: "matches no stack", found: JSON.stringify(glob), hint: `stacks here: ${sorted.join(", ")}` }]);
  }
  return inShard(matching, shard);
}
