/**
 * Acceptance for air-gapped sites: with a mirror set for every kind of artifact (images, charts, and
 * on kubeadm platforms Kubernetes and containerd packages), nothing `clusterkit plan --out` writes
 * names a public registry or repository, and every image and chart names its mirror.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { parse, parseAllDocuments, stringify } from "yaml";
import { clusterkit } from "./support/cli";
import { listFiles, tempProject } from "./support/temp-project";

type Json = Record<string, unknown>;

const imageMirror = "registry.example.internal:5000/mirror";
const packages = { mirror: "https://packages.example.internal/k8s/core:/stable:/", containerdMirror: "https://packages.example.internal/docker/linux" };
const cases: { stack: string; charts: string; kubeadm: boolean }[] = [
  { stack: "metal-ber1", charts: "oci://registry.example.internal:5000/charts", kubeadm: true },
  { stack: "vsphere-fra1", charts: "https://charts.example.internal/clusterkit", kubeadm: true },
  { stack: "prod-us-east-1", charts: "oci://registry.example.internal:5000/charts", kubeadm: false },
];

/** Public places artifacts come from: registries, chart repositories and package repositories. */
const publicSource =
  /\b(docker\.io|registry-1\.docker\.io|download\.docker\.com|registry\.k8s\.io|k8s\.gcr\.io|gcr\.io|quay\.io|ghcr\.io|public\.ecr\.aws|pkgs\.k8s\.io|[a-z0-9-]+\.github\.io|helm\.cilium\.io|raw\.githubusercontent\.com)\b/;
/**
 * containerd picks a hosts.toml by the registry a pull names, so the file of each public registry
 * sits in a directory of that name; the files themselves point at the mirror (checked below).
 */
const containerdNamespace = /\/etc\/containerd\/certs\.d\/[a-z0-9.-]+\/hosts\.toml/g;
/** The mirror keeps each image under its upstream name, so that name is a path below the mirror, not a host. */
const belowMirror = /registry\.example\.internal:5000\/(v2\/)?mirror\/[^\s"'\\\]]+/g;

const project = tempProject("clusterkit-airgap-");
after(() => project.cleanup());

function withMirrors(stack: string, charts: string, kubeadm: boolean): void {
  const file = `stacks/Pulumi.${stack}.yaml`;
  const doc = parse(project.read(file)) as { config: Json };
  const overrides = (doc.config["clusterkit:overrides"] as Json | undefined) ?? {};
  doc.config["clusterkit:overrides"] = {
    ...overrides,
    mirrors: { images: { registry: imageMirror }, charts: { repository: charts } },
    ...(kubeadm ? { platform: { packages } } : {}),
  };
  project.write(file, stringify(doc));
}

/** Every `image` of every container in the YAML documents of a file. */
function images(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => images(v, out));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "image" && typeof v === "string") out.push(v);
      else images(v, out);
    }
  }
  return out;
}

describe("plan --out of an air-gapped stack names no public registry or repository", () => {
  for (const c of cases) {
    it(c.stack, () => {
      withMirrors(c.stack, c.charts, c.kubeadm);
      const dir = path.join(project.root, "out", c.stack);
      const r = clusterkit(["plan", "--stack", c.stack, "--out", dir], project.root);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const files = listFiles(dir);
      assert.ok(files.some((f) => f.startsWith("addons/")), "add-on artifacts written");

      const hits: string[] = [];
      for (const f of files) {
        const lines = fs.readFileSync(path.join(dir, f), "utf8").split("\n");
        lines.forEach((line, i) => {
          const m = line.replace(containerdNamespace, "").replace(belowMirror, "").match(publicSource);
          if (m) hits.push(`${f}:${i + 1}: ${m[0]} in ${line.trim().slice(0, 160)}`);
        });
      }
      assert.deepEqual(hits, [], "artifacts that still name a public source");

      const yamlFiles = files.filter((f) => f.endsWith(".yaml") && f.startsWith("addons/"));
      const all = yamlFiles.flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), "utf8")).flatMap((d) => images(d.toJSON())));
      const helperPods = yamlFiles.flatMap((f) => [...fs.readFileSync(path.join(dir, f), "utf8").matchAll(/\\"image\\":\\"([^\\]+)\\"/g)].map((m) => m[1]));
      for (const image of [...all, ...helperPods]) assert.ok(image.startsWith(`${imageMirror}/`), `image ${image} comes from the mirror`);

      const { releases } = parse(fs.readFileSync(path.join(dir, "addons/releases.yaml"), "utf8")) as { releases: { release: string; repo: string }[] };
      assert.ok(releases.length >= 2);
      for (const rel of releases) assert.equal(rel.repo, c.charts, `${rel.release} comes from the chart mirror`);

      if (c.kubeadm) {
        const init = parseAllDocuments(fs.readFileSync(path.join(dir, "kubeadm/init.yaml"), "utf8")).map((d) => d.toJSON() as Json);
        const cluster = init.find((d) => d.kind === "ClusterConfiguration")!;
        assert.equal(cluster.imageRepository, `${imageMirror}/registry.k8s.io`);
        assert.deepEqual(cluster.dns, { imageRepository: `${imageMirror}/registry.k8s.io/coredns` });
        const containerd = fs.readFileSync(path.join(dir, "hosts/containerd.apply.sh"), "utf8");
        assert.match(containerd, /\[host\."https:\/\/registry\.example\.internal:5000\/v2\/mirror\/quay\.io"\]\n {2}capabilities = \["pull", "resolve"\]\n {2}override_path = true/);
        assert.match(containerd, /config_path/);
      }
    });
  }
});
