/**
 * Acceptance: `clusterkit plan --stack <example> --out DIR` writes the values and manifests of
 * every add-on of each example stack, and what it wrote passes the same checks as the renderers'
 * output (chart schemas and defaults, Kubernetes object schemas, no secret values).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { parse, parseAllDocuments } from "yaml";
import { objectProblems } from "./addons-support/k8s-check";
import { loadReference, pathsMissingFromDefaults, pathsMissingFromSchema, schemaProblems } from "./addons-support/values-check";
import { clusterkit } from "./support/cli";

type Json = Record<string, unknown>;

const out = fs.mkdtempSync(path.join(os.tmpdir(), "clusterkit-plan-out-"));
after(() => fs.rmSync(out, { recursive: true, force: true }));

const checks: Record<string, (values: Json) => string[]> = {
  cilium: (v) => [...schemaProblems(loadReference("cilium-values.schema.json") as object, v), ...pathsMissingFromSchema(loadReference("cilium-values.schema.json") as Json, v)],
  flannel: (v) => pathsMissingFromDefaults(loadReference("flannel-values.yaml") as Json, v),
  "ingress-nginx": (v) => pathsMissingFromDefaults(loadReference("ingress-nginx-values.yaml") as Json, v),
};

const expected: Record<string, string[]> = {
  "metal-ber1": ["cni/flannel-values.yaml", "cni/manifests.yaml", "storage/manifests.yaml", "ingress/metallb-values.yaml", "ingress/traefik-values.yaml", "ingress/manifests.yaml"],
  "metal-nyc1": ["cni/flannel-values.yaml", "storage/manifests.yaml", "ingress/traefik-values.yaml"],
  "vsphere-fra1": ["cni/cilium-values.yaml", "storage/vsphere-cpi-values.yaml", "storage/manifests.yaml", "storage/secrets.yaml", "ingress/metallb-values.yaml", "oidc/cluster-role-bindings.yaml", "oidc/kubeconfig.yaml"],
  "vsphere-ams1": ["cni/cilium-values.yaml", "storage/secrets.yaml", "oidc/kubeconfig.yaml"],
  "prod-us-east-1": ["cni/cilium-values.yaml", "storage/manifests.yaml", "ingress/ingress-nginx-values.yaml", "oidc/eks-identity-provider.yaml", "oidc/kubeconfig.yaml"],
  "prod-eu-west-1": ["cni/cilium-values.yaml", "oidc/eks-identity-provider.yaml"],
};

describe("plan --out writes every add-on's values and manifests", () => {
  for (const [stack, files] of Object.entries(expected)) {
    it(stack, () => {
      const dir = path.join(out, stack);
      const r = clusterkit(["plan", "--stack", stack, "--out", dir]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const addons = path.join(dir, "addons");
      for (const f of ["network-identity.yaml", "releases.yaml", ...files]) assert.ok(fs.existsSync(path.join(addons, f)), `${f} written`);

      const { releases } = parse(fs.readFileSync(path.join(addons, "releases.yaml"), "utf8")) as { releases: { chart: string; version: string; values: string }[] };
      assert.ok(releases.length >= 2);
      for (const rel of releases) {
        const values = parse(fs.readFileSync(path.join(dir, rel.values), "utf8")) as Json;
        assert.deepEqual(checks[rel.chart]?.(values) ?? [], [], `${rel.values} passes the ${rel.chart} ${rel.version} checks`);
      }
      const manifests = fs.readdirSync(addons, { recursive: true, encoding: "utf8" }).filter((f) => /(manifests|secrets|network-identity|cluster-role-bindings)\.yaml$/.test(f));
      for (const f of manifests) {
        const objects = parseAllDocuments(fs.readFileSync(path.join(addons, f), "utf8")).map((d) => d.toJSON() as Json);
        assert.deepEqual(objects.flatMap((o) => objectProblems(o)), [], `${f} objects are valid`);
      }
      const everything = fs.readdirSync(addons, { recursive: true, encoding: "utf8" }).map((f) => path.join(addons, f)).filter((f) => fs.statSync(f).isFile()).map((f) => fs.readFileSync(f, "utf8")).join("\n");
      assert.ok(!everything.includes("offline-plan-placeholder"), "no secret value, not even the plan's placeholder, is written");
    });
  }
});
