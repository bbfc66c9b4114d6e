/** The address plan: parsing, and allocation of ranges that never overlap the fleet. */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { allocate, firstFree, parseAddressPlan, type AddressPlan, type UsedRange } from "../core/fleet/address-plan";
import { fleetRanges, loadFleetState } from "../core/fleet/fleet-state";
import { overlaps } from "../core/resolve/cidr";
import { ClusterkitError } from "../core/errors";
import { exampleRoot } from "./support/temp-project";

const planFile = path.join(exampleRoot(), "stacks", "address-plan.yaml");
const where = { file: "(command line)", path: (k: string) => `--set ${k}Cidr` };

function plan(patch: (p: any) => void = () => {}): AddressPlan {
  const raw = parse(fs.readFileSync(planFile, "utf8"));
  patch(raw);
  return parseAddressPlan(raw);
}

function issues(fn: () => unknown): string[] {
  try {
    fn();
    return [];
  } catch (e) {
    if (e instanceof ClusterkitError) return e.issues.map((i) => `${i.path}: ${i.message}`);
    throw e;
  }
}

describe("address plan", () => {
  it("the committed plan parses and covers every example stack", () => {
    const p = plan();
    const used = fleetRanges(loadFleetState(exampleRoot()));
    assert.equal(used.length, 16);
    for (const u of used) assert.ok(overlaps(p[u.kind].supernet, u.cidr), `${u.stack} ${u.kind} ${u.cidr} is outside the plan`);
  });

  it("rejects overlapping supernets and blocks larger than their supernet", () => {
    const found = issues(() =>
      plan((p) => {
        p.pod.supernet = "10.0.0.0/8";
        p.service.prefix = 10;
      }),
    );
    assert.ok(found.some((m) => /^pod\.supernet: overlaps the node supernet/.test(m)), found.join("\n"));
    assert.ok(found.some((m) => /^service\.prefix/.test(m)), found.join("\n"));
  });

  it("hands out the first free block, skipping used and reserved ranges", () => {
    const p = plan();
    const used: UsedRange[] = [
      { stack: "a", kind: "node", cidr: "10.1.0.0/16" },
      { stack: "b", kind: "node", cidr: "10.2.7.0/24" },
      { stack: "a", kind: "service", cidr: "10.128.0.0/20" },
    ];
    const eks = allocate(p, "eks", used, {}, where);
    // 10.0.0.0/16 is reserved, 10.1 used, 10.2 holds b's /24.
    assert.deepEqual(eks, { node: "10.3.0.0/16", pod: null, service: "10.128.16.0/20" });
    const metal = allocate(p, "baremetal", used, {}, where);
    assert.deepEqual(metal, { node: "10.2.0.0/24", pod: "10.64.0.0/16", service: "10.128.16.0/20" });
  });

  it("checks ranges given with --set against the fleet, the reservations and the plan", () => {
    const p = plan();
    const used: UsedRange[] = [{ stack: "metal-ber1", kind: "pod", cidr: "10.66.0.0/16" }];
    const found = issues(() => allocate(p, "vsphere", used, { pod: "10.66.128.0/17", node: "10.0.5.0/24", service: "192.168.0.0/20" }, where));
    assert.deepEqual(found, [
      "--set nodeCidr: overlaps the reserved range 10.0.0.0/16 (corporate network and VPN)",
      "--set podCidr: overlaps the pod range of stack metal-ber1 (10.66.0.0/16)",
      "--set serviceCidr: is outside the service supernet of the address plan",
    ]);
  });

  it("says when a supernet is full", () => {
    const p = plan((x) => (x.service = { supernet: "10.128.0.0/19", prefix: 20 }));
    const used: UsedRange[] = [
      { stack: "a", kind: "service", cidr: "10.128.0.0/20" },
      { stack: "b", kind: "service", cidr: "10.128.16.0/20" },
    ];
    assert.deepEqual(issues(() => allocate(p, "eks", used, {}, where)), ["service.supernet: has no free /20 left for a new eks stack"]);
  });

  it("jumps over a large taken range instead of testing every block inside it", () => {
    const started = process.hrtime.bigint();
    assert.equal(firstFree("10.0.0.0/8", 29, ["10.0.0.0/9"]), "10.128.0.0/29");
    assert.ok(process.hrtime.bigint() - started < 50_000_000n, "took longer than 50 ms");
  });
});
