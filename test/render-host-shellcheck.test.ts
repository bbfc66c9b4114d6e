/** Every rendered host script passes shellcheck (all severities), for every kind of spec. */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { hostArtifacts } from "../core/render/host";
import type { ClusterSpec } from "../core/spec";
import { hostileSpec, kubeadmStacks, stackSpec, withProxy, withVersion } from "./render-kubeadm-specs";

function shellcheck(files: string[], exclude: string[] = []): { code: number | null; out: string } {
  const r = spawnSync("shellcheck", ["--shell=bash", "--severity=style", "--format=gcc", ...exclude.map((e) => `--exclude=${e}`), ...files], { encoding: "utf8" });
  if (r.error) assert.fail(`shellcheck is not installed (${r.error.message}); install it: apt-get update && apt-get install -y shellcheck`);
  return { code: r.status, out: r.stdout + r.stderr };
}

function writeScripts(specs: [string, ClusterSpec][]): { dir: string; files: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clusterkit-shellcheck-"));
  const files: string[] = [];
  for (const [name, spec] of specs) {
    for (const a of hostArtifacts(spec)) {
      const file = path.join(dir, name, a.path);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, a.content);
      files.push(file);
    }
  }
  return { dir, files };
}

describe("host scripts pass shellcheck", () => {
  it("catches a real problem (the check itself works)", () => {
    const { dir, files } = writeScripts([]);
    const bad = path.join(dir, "bad.sh");
    fs.writeFileSync(bad, '#!/usr/bin/env bash\nset -euo pipefail\nfile=$1\nrm -rf $file/*\n');
    try {
      const r = shellcheck([...files, bad]);
      assert.notEqual(r.code, 0);
      assert.match(r.out, /SC2086/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("for every example stack, with and without proxy and mirror", () => {
    const specs: [string, ClusterSpec][] = [
      ...kubeadmStacks.map((s): [string, ClusterSpec] => [s, stackSpec(s)]),
      ["metal-ber1-proxy", withProxy(stackSpec("metal-ber1"))],
      ["vsphere-fra1-proxy-no-mirror", withProxy(stackSpec("vsphere-fra1"), null)],
      ["metal-ber1-os-patches", { ...withProxy(stackSpec("metal-ber1")), osPatches: { kind: "rolling", round: "2026-12", reboot: "if-required", rebootTimeoutSeconds: 900 } }],
      ["metal-ber1-1.35-air-gapped", { ...withVersion(stackSpec("metal-ber1"), "1.35.0"), mirrors: { images: "registry.example.internal:5000/mirror", charts: null } }],
    ];
    const { dir, files } = writeScripts(specs);
    try {
      assert.ok(files.length >= 6 * 11, `expected every script, got ${files.length}`);
      const r = shellcheck(files);
      assert.equal(r.out, "");
      assert.equal(r.code, 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("with shell metacharacters in every value (only SC2016, 'this stays literal', may remain)", () => {
    const { dir, files } = writeScripts([["hostile", hostileSpec()]]);
    try {
      const r = shellcheck(files, ["SC2016"]);
      assert.equal(r.out, "");
      for (const f of files) {
        const syntax = spawnSync("bash", ["-n", f], { encoding: "utf8" });
        assert.equal(syntax.status, 0, `${f}: ${syntax.stderr}`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
