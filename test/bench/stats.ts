// What every benchmark prints the same way: the median of repeated runs, min/median/max, and the
// machine's load average (1, 5 and 15 minutes), so a figure taken on a busy machine says so.
import * as os from "node:os";

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

export const loadAverage = (): string => os.loadavg().map((x) => x.toFixed(2)).join(" ");

export const spread = (xs: number[], f: (x: number) => string): string =>
  xs.length ? `min ${f(Math.min(...xs))} / median ${f(median(xs))} / max ${f(Math.max(...xs))}` : "no successful run";
