/**
 * Building blocks of the host-preparation scripts: quoting, heredocs, the shared prelude and the
 * small helpers every step uses. Each rendered script is self-contained (no sourcing), so the
 * provider can upload and run one file per step and a plan reader can audit one file at a time.
 */
import { ClusterkitError } from "../../errors";

/** Single-quotes a value for bash; safe for any string. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

const heredocEnd = "CLUSTERKIT_EOF";

/** A quoted heredoc (no expansion inside) feeding `command`. */
export function heredoc(command: string, content: string): string {
  const body = content.endsWith("\n") ? content : `${content}\n`;
  if (body.split("\n").includes(heredocEnd)) {
    throw ClusterkitError.failure("(rendered host script)", "", `file content may not contain a line "${heredocEnd}"`);
  }
  return `${command} <<'${heredocEnd}'\n${body}${heredocEnd}`;
}

/** Indents every non-empty line (for `case` branches and `if` blocks), leaving heredoc bodies as they are. */
export function indent(text: string, by = 2): string {
  const pad = " ".repeat(by);
  let inHeredoc = false;
  return text
    .split("\n")
    .map((l) => {
      if (inHeredoc) {
        if (l === heredocEnd) inHeredoc = false;
        return l;
      }
      if (l.endsWith(`<<'${heredocEnd}'`)) inHeredoc = true;
      return l ? pad + l : l;
    })
    .join("\n");
}

export type ScriptKind = "check" | "apply";

export interface Helper {
  name: string;
  code: string;
}

export const helpers = {
  osFamily: {
    name: "os_family",
    code: `# Prints the OS family from /etc/os-release: debian (Debian, Ubuntu) or rhel (RHEL, Rocky, Alma, CentOS Stream, Fedora).
os_family() {
  local id id_like
  # shellcheck source=/dev/null
  id="$(. /etc/os-release && printf '%s' "\${ID:-}")"
  # shellcheck source=/dev/null
  id_like="$(. /etc/os-release && printf '%s' "\${ID_LIKE:-}")"
  case " \${id} \${id_like} " in
    *" debian "* | *" ubuntu "*) echo debian ;;
    *" rhel "* | *" fedora "* | *" centos "*) echo rhel ;;
    *)
      echo "clusterkit: unsupported OS '\${id:-unknown}' (ID_LIKE '\${id_like}'); supported: Debian/Ubuntu and the RHEL family" >&2
      return 2
      ;;
  esac
}`,
  },
  fileIs: {
    name: "file_is",
    code: `# file_is PATH MODE < expected: PATH exists with exactly this content and mode.
file_is() {
  [[ -f "$1" ]] && [[ "$(stat -c %a "$1")" == "\${2#0}" ]] && cmp -s - "$1"
}`,
  },
  writeFile: {
    name: "write_file",
    code: `# write_file PATH MODE < content: replaces PATH atomically, and only when content or mode differ.
write_file() {
  local path="$1" mode="$2" tmp
  install -d -m 0755 "$(dirname "$path")"
  tmp="$(mktemp "\${path}.clusterkit.XXXXXX")"
  cat >"$tmp"
  chmod "$mode" "$tmp"
  if [[ -f "$path" ]] && cmp -s "$tmp" "$path" && [[ "$(stat -c %a "$path")" == "\${mode#0}" ]]; then
    rm -f "$tmp"
    return 0
  fi
  mv -f "$tmp" "$path"
  changed=$((changed + 1))
}`,
  },
} satisfies Record<string, Helper>;

export interface ScriptSpec {
  step: string;
  kind: ScriptKind;
  stack: string;
  /** What the script does, for the header. */
  summary: string;
  /** Shell variable assignments (name → value), written `readonly NAME='value'`. */
  vars?: Record<string, string>;
  /** Detect the OS family into OS_FAMILY before the body. */
  needsOs?: boolean;
  /** Environment exported for the body (proxy settings for curl, apt and dnf). */
  env?: Record<string, string>;
  helpers?: Helper[];
  body: string;
}

/** A complete script: shebang, strict mode, variables, helpers, OS detection, body. */
export function script(s: ScriptSpec): string {
  const contract =
    s.kind === "check" ? "Read-only. Exit 0: already done; 1: needs to run; 2: unsupported host." : "Idempotent: safe to run again. Exit 0: done.";
  // Comments must stay comments whatever a value in them holds.
  const oneLine = (text: string) => text.replace(/[\r\n]+/g, " ");
  const summary = oneLine(s.summary);
  const parts: string[] = [
    `#!/usr/bin/env bash\n# clusterkit host step "${s.step}" (${s.kind}), rendered for stack ${oneLine(s.stack)}. Do not edit: re-render instead.\n# ${summary}\n# ${contract}\nset -euo pipefail`,
  ];
  const vars = Object.entries(s.vars ?? {});
  if (vars.length) parts.push(vars.map(([k, v]) => `readonly ${k}=${shQuote(v)}`).join("\n"));
  const env = Object.entries(s.env ?? {});
  if (env.length) parts.push(env.map(([k, v]) => `export ${k}=${shQuote(v)}`).join("\n"));
  const hs = [...(s.needsOs ? [helpers.osFamily] : []), ...(s.helpers ?? [])];
  const uniq = hs.filter((h, i) => hs.findIndex((x) => x.name === h.name) === i);
  for (const h of uniq) parts.push(h.code);
  if (uniq.some((h) => h.name === "write_file")) parts.push("changed=0");
  if (s.needsOs) parts.push(`OS_FAMILY="$(os_family)" || exit 2\nreadonly OS_FAMILY`);
  if (s.kind === "apply") parts.push(`if [[ "$(id -u)" -ne 0 ]]; then\n  echo "clusterkit: ${s.step}: must run as root (the SSH layer uses sudo)" >&2\n  exit 1\nfi`);
  parts.push(s.body.trimEnd());
  if (s.kind === "apply") {
    parts.push(uniq.some((h) => h.name === "write_file") ? `echo "clusterkit: ${s.step}: done (\${changed} file(s) changed)"` : `echo "clusterkit: ${s.step}: done"`);
  }
  return `${parts.join("\n\n")}\n`;
}

/** `case "$OS_FAMILY"` with one branch per family. */
export function osCase(branches: { debian: string; rhel: string }): string {
  return `case "$OS_FAMILY" in\n  debian)\n${indent(branches.debian.trimEnd(), 4)}\n    ;;\n  rhel)\n${indent(branches.rhel.trimEnd(), 4)}\n    ;;\nesac`;
}
