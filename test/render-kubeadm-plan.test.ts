/**
 * Acceptance: `clusterkit plan --stack <kubeadm stack> --out DIR` writes the kubeadm, kubelet,
 * audit, encryption and authentication configs, and every object in them passes the field-name check.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parseAllDocuments } from "yaml";
import { clusterkit } from "./support/cli";
import { checkObject } from "./render-kubeadm-fields";

const checked = ["kubeadm", "kubelet", "kube-proxy", "apiserver"];

describe("clusterkit plan --out on kubeadm stacks", () => {
  for (const stack of ["metal-ber1", "vsphere-fra1"]) {
    it(stack, () => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), "clusterkit-plan-"));
      try {
        const r = clusterkit(["plan", "--stack", stack, "--out", out]);
        assert.equal(r.code, 0, r.stderr);
        for (const f of ["kubeadm/init.yaml", "kubeadm/join-control-plane.yaml", "kubeadm/join-worker.yaml", "kubelet/config.yaml", "apiserver/audit-policy.yaml", "apiserver/encryption-config.yaml", "apiserver/authentication-config.yaml", "apiserver/admission-config.yaml", "manifests/kube-vip.yaml", "hosts/kubernetes-packages.apply.sh"]) {
          assert.ok(fs.existsSync(path.join(out, f)), `${stack}: ${f} not written`);
        }
        const problems: string[] = [];
        let objects = 0;
        for (const dir of checked.filter((d) => fs.existsSync(path.join(out, d)))) {
          for (const file of fs.readdirSync(path.join(out, dir))) {
            for (const doc of parseAllDocuments(fs.readFileSync(path.join(out, dir, file), "utf8"))) {
              objects++;
              problems.push(...checkObject(doc.toJSON()).map((p) => `${dir}/${file}: ${p}`));
            }
          }
        }
        assert.deepEqual(problems, []);
        assert.ok(objects >= 10, `only ${objects} objects checked`);
        assert.match(fs.readFileSync(path.join(out, "apiserver/encryption-config.yaml"), "utf8"), /secret: "<secret: encryption key>"/);
      } finally {
        fs.rmSync(out, { recursive: true, force: true });
      }
    });
  }
});
