/**
 * Spec values that end up inside config files on the host (apt and dnf config, systemd drop-ins,
 * repository files) must not carry characters those formats treat as syntax: a newline would add
 * a directive (an ExecStartPre= in a drop-in runs as root), a `"` or `\` would end a quoted value.
 * Shell quoting is handled separately (shQuote), so `'`, `$` and backticks stay literal.
 */
import { ClusterkitError, type Issue } from "../../errors";
import type { ClusterSpec } from "../../spec";

const unsafe = /[\s"\\\u0000-\u001f\u007f]/;

export function checkHostValues(spec: ClusterSpec): void {
  if (spec.platform.kind === "eks") return;
  const { mirror, containerdMirror, httpProxy, httpsProxy, noProxy } = spec.platform.packages;
  const values: [string, string | null][] = [
    ["mirror", mirror],
    ["containerdMirror", containerdMirror],
    ["httpProxy", httpProxy],
    ["httpsProxy", httpsProxy],
    ...noProxy.map((v, i): [string, string] => [`noProxy[${i}]`, v]),
  ];
  const issues: Issue[] = values
    .filter((v): v is [string, string] => v[1] !== null && unsafe.test(v[1]))
    .map(([field, value]) => ({
      file: `blueprints/${spec.blueprint}.yaml`,
      path: `platform.packages.${field}`,
      message: "may not contain whitespace, control characters, quotes or backslashes: it is written into apt, dnf and systemd config files",
      found: JSON.stringify(value),
      hint: `or fix its override in stacks/Pulumi.${spec.stack}.yaml`,
    }));
  if (issues.length) throw new ClusterkitError(issues);
}
