/**
 * The drift report as Markdown for `$GITHUB_STEP_SUMMARY` (GitHub-flavoured: tables, <details>).
 * Values are shortened and the resource list capped per stack, so a noisy stack cannot push the
 * summary past GitHub's 1 MiB limit; the JSON report keeps everything.
 */
import type { DriftReport, ResourceDrift, SnapshotReport, StackDrift } from "./drift-report";

const MAX_VALUE = 120;
const MAX_RESOURCES = 50;

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function show(value: unknown, present: boolean): string {
  if (!present) return "_(none)_";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const short = text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
  return `\`${cell(short).replace(/`/g, "'")}\``;
}

const badge: Record<StackDrift["status"], string> = { clean: "✅ clean", drifted: "⚠️ drifted", error: "❌ not checked" };

/** 90 s, 42 min, 5.0 h, 3.2 d. */
export function age(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

export function size(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function snapshotLine(r: SnapshotReport): string {
  const newest = r.newest ? `newest ${r.newest.takenAt} (${age(r.newest.ageSeconds)} old, ${size(r.newest.bytes)})` : "no snapshot yet";
  const failure = r.lastFailure ? `; last run failed at ${r.lastFailure.at}: ${r.lastFailure.what}` : "";
  return `etcd snapshots on ${r.node}: ${newest}, ${r.onNode} on the node${r.timerActive ? "" : ", timer not active"}${failure}`;
}

/** One line per control plane with a snapshot schedule, for the text report. */
export function snapshotLines(s: StackDrift): string[] {
  return s.etcdSnapshots.map(snapshotLine);
}

function resourceSection(r: ResourceDrift): string {
  const lines = [`<details><summary><code>${r.type}</code> <b>${r.name}</b>: ${r.change === "delete" ? "deleted outside Pulumi" : `${r.properties.length} propert${r.properties.length === 1 ? "y" : "ies"} changed`}</summary>`, ""];
  lines.push(`URN: \`${r.urn}\``, "");
  if (r.properties.length) {
    lines.push("| Property | In Pulumi state | In the cloud now |", "|---|---|---|");
    for (const p of r.properties) lines.push(`| \`${cell(p.path)}\` | ${show(p.old, "old" in p)} | ${show(p.new, "new" in p)} |`);
    lines.push("");
  }
  lines.push("</details>");
  return lines.join("\n");
}

export function renderDriftMarkdown(report: DriftReport): string {
  const s = report.summary;
  const shard = report.shard ? ` (shard ${report.shard.index}/${report.shard.count})` : "";
  const verdict = s.errors ? `${s.errors} stack(s) could not be checked` : s.drifted ? `drift in ${s.drifted} of ${s.stacks} stack(s)` : `no drift in ${s.stacks} stack(s)`;
  const out = [`## Drift report${shard}: ${verdict}`, ""];
  out.push("| Stack | Result | Drifted resources | Time |", "|---|---|---|---|");
  for (const st of report.stacks) out.push(`| ${st.stack} | ${badge[st.status]} | ${st.status === "error" ? "–" : st.resources.length} | ${Math.round(st.durationSeconds)}s |`);
  out.push("");
  const withSnapshots = report.stacks.filter((x) => x.etcdSnapshots.length);
  if (withSnapshots.length) {
    out.push("| Stack | Control plane | Newest etcd snapshot | Age | Size | On the node |", "|---|---|---|---|---|---|");
    for (const st of withSnapshots) {
      for (const r of st.etcdSnapshots) out.push(`| ${st.stack} | ${cell(r.node)} | ${r.newest ? `\`${cell(r.newest.takenAt)}\`` : "_none_"} | ${r.newest ? age(r.newest.ageSeconds) : "–"} | ${r.newest ? size(r.newest.bytes) : "–"} | ${r.onNode} |`);
    }
    out.push("");
  }
  for (const st of report.stacks.filter((x) => x.status !== "clean")) {
    out.push(`### ${st.stack}`, "");
    if (st.error) out.push(`**${st.error.kind}**: ${cell(st.error.message)}`, "");
    for (const r of st.resources.slice(0, MAX_RESOURCES)) out.push(resourceSection(r), "");
    if (st.resources.length > MAX_RESOURCES) out.push(`…and ${st.resources.length - MAX_RESOURCES} more; see the JSON report.`, "");
    if (st.status === "drifted") out.push(`Bring the cloud back to the code with \`pulumi up --stack ${st.stack}\`, or accept the change into the state with \`pulumi refresh --stack ${st.stack}\` and update the code to match.`, "");
  }
  out.push(`<sub>clusterkit drift · ${report.generatedAt}${report.pulumiVersion ? ` · Pulumi CLI ${report.pulumiVersion}` : ""} · secrets are shown as [secret]</sub>`, "");
  return out.join("\n");
}
