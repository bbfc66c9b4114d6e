/**
 * How the deployer reaches a private EKS API: the one-line note `validate` and `plan` print, from
 * the resolved spec, and the CLI printing it for the example stack.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { eksApiAccessNote } from "../core/render/eks/api-access-note";
import { clusterkit } from "./support/cli";
import { blueprintRaw, resolveRaw, stackConfigRaw, type Raw } from "./support/fixtures";

function noteWith(mutate: (bp: Raw, cfg: Raw) => void = () => {}): string | null {
  const bp = blueprintRaw("eks-standard");
  const cfg = stackConfigRaw("prod-us-east-1");
  mutate(bp, cfg);
  return eksApiAccessNote(resolveRaw("eks-standard", bp, "prod-us-east-1", cfg).spec);
}

describe("what the deployer needs to reach the EKS API", () => {
  it("private endpoint only: from inside the VPC, as the creator, with the two ways out", () => {
    assert.equal(
      noteWith(),
      "pulumi up and clusterkit drift reach the API through the private endpoint, from inside the VPC 10.1.0.0/16, as the AWS identity that creates the cluster (it becomes admin); to deploy from a network routed into the VPC set apiPrivateAccessCidrs, from a public address apiAccessCidrs",
    );
  });

  it("names the allowed networks, the public allow-list and the extra principals", () => {
    const note = noteWith((bp, cfg) => {
      bp.platform.access = [{ principalArn: "arn:aws:iam::111122223333:role/clusterkit-drift", policy: "admin-view" }];
      Object.assign(cfg["clusterkit:variables"], { apiAccessCidrs: ["203.0.113.10/32"], apiPrivateAccessCidrs: ["10.200.0.0/16"] });
    });
    assert.equal(
      note,
      "pulumi up and clusterkit drift reach the API through the private endpoint, from inside the VPC 10.1.0.0/16 or from 10.200.0.0/16 (apiPrivateAccessCidrs, port 443), or the public endpoint, from 203.0.113.10/32 only, as the AWS identity that creates the cluster (it becomes admin) or one of the 1 principal(s) in platform.access",
    );
  });

  it("says nothing for other platforms", () => {
    const bp = blueprintRaw("baremetal-ha");
    assert.equal(eksApiAccessNote(resolveRaw("baremetal-ha", bp, "metal-ber1", stackConfigRaw("metal-ber1")).spec), null);
  });

  it("validate prints it for the EKS stack", () => {
    const r = clusterkit(["validate", "--stack", "prod-us-east-1"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^note: prod-us-east-1: API access: pulumi up and clusterkit drift reach the API through the private endpoint, from inside the VPC 10\.1\.0\.0\/16,/m);
  });

  it("plan prints it under its heading", () => {
    const r = clusterkit(["plan", "--stack", "prod-us-east-1"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^API access: pulumi up and clusterkit drift reach the API through the private endpoint, from inside the VPC 10\.1\.0\.0\/16,/m);
  });
});
