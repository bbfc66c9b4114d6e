/**
 * Other stacks in stacks/ (an untouched copy, a half-edited draft, a fresh clone-region result)
 * never block a single-stack command: `plan --stack X` and the program `pulumi up` runs check X on
 * its own and only warn about overlaps, naming the other stack's file. `validate`, the CI gate,
 * fails on every cross-stack overlap and names both files.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { parse } from "yaml";
import { resolveProgram } from "../components/program-config";
import { clusterkit } from "./support/cli";
import { exampleFiles, exampleRoot, listFiles, repoRoot, tempProject, type TempProject } from "./support/temp-project";

const FRA1 = "stacks/Pulumi.vsphere-fra1.yaml";
const COPY = "stacks/Pulumi.vsphere-muc1.yaml";
const DRAFT = "stacks/Pulumi.vsphere-draft.yaml";

const projects: TempProject[] = [];
after(() => projects.forEach((p) => p.cleanup()));

/** A fixture project with vsphere-fra1 copied, unedited, to vsphere-muc1. */
function withCopy(): TempProject {
  const p = tempProject("clusterkit-drafts-");
  projects.push(p);
  p.write(COPY, p.read(FRA1));
  return p;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** Lines of output that are errors (not warnings) filed against a file. */
const errorsAgainst = (text: string, file: string) => text.split("\n").filter((l) => l.startsWith(`${file}: `));

describe("an untouched copy of a stack", () => {
  it("plan of the original still works, warning about the copy's file and fields", () => {
    const p = withCopy();
    const r = clusterkit(["plan", "--stack", "vsphere-fra1"], p.root);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(errorsAgainst(r.stderr, FRA1), [], "nothing is filed against the stack being planned");
    const warned = r.stderr.split("\n").filter((l) => l.startsWith(`warning: ${COPY}: `));
    for (const field of ["nodeCidr", "podCidr", "serviceCidr", "controlPlaneVip", "nodeIps[0]"]) {
      assert.ok(warned.some((l) => l.startsWith(`warning: ${COPY}: config.clusterkit:variables.${field}: `)), `a warning at the copy's ${field}:\n${r.stderr}`);
    }
    for (const l of warned) {
      assert.match(l, new RegExp(escape(FRA1)), "each warning names the planned stack's file too");
      assert.match(l, /clusterkit validate fails/);
    }
    assert.match(r.stdout, /^Plan for stack vsphere-fra1: /m);
  });

  it("validate fails, naming both files and the field in each", () => {
    const p = withCopy();
    const r = clusterkit(["validate"], p.root);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const nodeCidr = r.stderr.split("\n").find((l) => / the node range overlaps the node range of stack /.test(l));
    assert.ok(nodeCidr, r.stderr);
    assert.match(nodeCidr, new RegExp(`^${escape(COPY)}: config\\.clusterkit:variables\\.nodeCidr: .*${escape(FRA1)}: config\\.clusterkit:variables\\.nodeCidr`));
    const ip = r.stderr.split("\n").find((l) => /has the address of node vsphere-fra1-cp-1/.test(l));
    assert.ok(ip, r.stderr);
    assert.match(ip, new RegExp(`^${escape(COPY)}: config\\.clusterkit:variables\\.nodeIps\\[0\\]: .*${escape(FRA1)}: config\\.clusterkit:variables\\.nodeIps\\[0\\]`));
    // validate --stack of either one is the same gate.
    assert.equal(clusterkit(["validate", "--stack", "vsphere-fra1"], p.root).code, 2);
  });

  it("pulumi up of the original (the program's own checks) still works, with the same warnings", () => {
    const p = withCopy();
    const config = parse(p.read(FRA1)).config as Record<string, unknown>;
    const resolved = resolveProgram(p.root, "vsphere-fra1", config);
    assert.equal(resolved.spec.stack, "vsphere-fra1");
    const aboutCopy = resolved.warnings.filter((w) => w.file === COPY);
    assert.ok(aboutCopy.some((w) => w.path === "config.clusterkit:variables.nodeCidr" && w.message.includes(FRA1)), JSON.stringify(resolved.warnings, null, 2));
  });

  it("a stack's own problems still fail its plan and its program, filed against its own file", () => {
    const p = withCopy();
    p.write(FRA1, p.read(FRA1).replace("nodeCidr: 10.3.10.0/24", "nodeCidr: 10.3.10.1/24"));
    const r = clusterkit(["plan", "--stack", "vsphere-fra1"], p.root);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`^${escape(FRA1)}: config\\.clusterkit:variables\\.nodeCidr: `, "m"));
    const config = parse(p.read(FRA1)).config as Record<string, unknown>;
    assert.throws(() => resolveProgram(p.root, "vsphere-fra1", config), (e: Error) => e.message.includes(`${FRA1}: config.clusterkit:variables.nodeCidr`));
  });
});

describe("a half-edited draft beside the fleet", () => {
  function withDraft(): TempProject {
    const p = tempProject("clusterkit-drafts-");
    projects.push(p);
    // Renamed, half its addresses changed: the rest still collide with fra1, and one line is broken.
    p.write(DRAFT, p.read(FRA1).replace("nodeCidr: 10.3.10.0/24", "nodeCidr: 10.3.20.0/24").replace("template: ubuntu-24.04-k8s-template", "template: [unclosed"));
    return p;
  }

  it("plan of every other stack works; the draft only earns a warning", () => {
    const p = withDraft();
    const r = clusterkit(["plan", "--stack", "vsphere-fra1"], p.root);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(errorsAgainst(r.stderr, FRA1), []);
    assert.deepEqual(errorsAgainst(r.stderr, DRAFT), []);
    assert.match(r.stderr, new RegExp(`^warning: ${escape(DRAFT)}: \\(file\\): has problems of its own`, "m"));
  });

  it("validate fails on the draft, filed against the draft", () => {
    const p = withDraft();
    const r = clusterkit(["validate"], p.root);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`^${escape(DRAFT)}: line \\d+, column \\d+: is not valid YAML`, "m"));
    assert.deepEqual(errorsAgainst(r.stderr, FRA1), []);
  });
});

describe("after clone-region", () => {
  it("plan of the source stack still works and the fixture's stacks/ gets the new file, not the live one", () => {
    const p = tempProject("clusterkit-drafts-");
    projects.push(p);
    const c = clusterkit(["clone-region", "--from", "vsphere-fra1", "--to", "vsphere-muc1", "--region", "muc1"], p.root);
    assert.equal(c.code, 0, c.stderr);
    assert.match(p.read(COPY), /clusterkit:region: muc1/);
    const r = clusterkit(["plan", "--stack", "vsphere-fra1"], p.root);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(errorsAgainst(r.stderr, FRA1), []);
  });
});

describe("fixture projects", () => {
  it("hold the named examples only, whatever else the source's stacks/ and blueprints/ hold", () => {
    const source = tempProject("clusterkit-drafts-");
    projects.push(source);
    source.write(COPY, source.read(FRA1));
    source.write(DRAFT, "config:\n  clusterkit:blueprint: [unclosed\n");
    source.write("blueprints/my-own.yaml", "name: my-own\n");
    const fixture = tempProject("clusterkit-drafts-", source.root);
    projects.push(fixture);
    assert.deepEqual(listFiles(fixture.root), [...exampleFiles].sort());
  });

  it("are where the CLI runs by default, not the live project", () => {
    assert.notEqual(exampleRoot(), repoRoot);
    assert.deepEqual(listFiles(exampleRoot()), [...exampleFiles].sort());
    assert.match(clusterkit(["fleet"]).stdout, /^vsphere-fra1 /m);
  });
});

