/**
 * The golden cloud-init files checked by cloud-init itself: the user-data against its schema, the
 * guestinfo metadata through the VMware datasource's own decoding, the network config through its
 * netplan and NetworkManager renderers, and the netplan result through `netplan generate`.
 * Needs Debian's cloud-init and netplan.io, which `npm test` installs (test/setup-deps.sh). Run on
 * its own where they are missing, it skips, saying so; in CI (CI set) a missing tool is a failure.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { goldenRoot } from "./golden/golden";

const python = "/usr/bin/python3";
const hasCloudInit = fs.existsSync("/usr/bin/cloud-init") && spawnSync(python, ["-c", "import cloudinit.sources.DataSourceVMware"]).status === 0;
const hasNetplan = fs.existsSync("/usr/sbin/netplan");
/** A skip reason, or false; CI never skips: there a missing tool fails the test instead. */
const skipUnless = (present: boolean, reason: string) => (present || process.env.CI ? false : reason);
const skipCloudInit = skipUnless(hasCloudInit, "cloud-init is not installed (bash test/setup-deps.sh)");

const dir = path.join(goldenRoot, "cloud-init");
const cases = fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];

/** Runs the datasource and the OS's renderer on a guestinfo.metadata file; prints the rendered files. */
const renderScript = `
import sys, os, glob, tempfile
from cloudinit.sources import DataSourceVMware as ds
from cloudinit.net import network_state, netplan, network_manager
md = ds.process_metadata(ds.load_json_or_yaml(open(sys.argv[1]).read()))
print("instance-id=" + md["instance-id"])
ns = network_state.parse_net_config_data(md["network"]["config"])
out = tempfile.mkdtemp()
r = netplan.Renderer({"postcmds": False}) if md["network"]["config"]["version"] == 2 else network_manager.Renderer({})
r.render_network_state(ns, target=out)
for f in sorted(glob.glob(out + "/**", recursive=True)):
    if os.path.isfile(f):
        print("==> " + f[len(out):])
        print(open(f).read())
`;

describe("golden cloud-init files through cloud-init", () => {
  it("there are golden cases to check", () => assert.ok(cases.length >= 4));
  for (const c of cases) {
    it(`${c}: user-data is valid cloud-config`, { skip: skipCloudInit }, () => {
      const r = spawnSync("/usr/bin/cloud-init", ["schema", "--config-file", path.join(dir, c, "user-data")], { encoding: "utf8" });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /Valid cloud-config/);
    });
    it(`${c}: the VMware datasource decodes the metadata and renders the network`, { skip: skipCloudInit }, () => {
      const r = spawnSync(python, ["-c", renderScript, path.join(dir, c, "guestinfo.metadata")], { encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /instance-id=vsphere-fra1-cp-1/);
      const staticIp = c.endsWith("-static");
      if (c.startsWith("ubuntu")) {
        assert.match(r.stdout, /==> \/etc\/netplan\/50-cloud-init\.yaml/);
        assert.match(r.stdout, staticIp ? /10\.3\.10\.11\/24/ : /dhcp4: true/);
      } else {
        assert.match(r.stdout, /==> \/etc\/NetworkManager\/system-connections\/cloud-init-ens192\.nmconnection/);
        assert.match(r.stdout, staticIp ? /method=manual[\s\S]*address1=10\.3\.10\.11\/24[\s\S]*gateway=10\.3\.10\.1/ : /method=auto/);
      }
    });
    if (c.startsWith("ubuntu")) {
      it(`${c}: netplan accepts the network config`, { skip: skipUnless(hasNetplan, "netplan is not installed (bash test/setup-deps.sh)") }, () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "clusterkit-netplan-"));
        try {
          fs.mkdirSync(path.join(root, "etc/netplan"), { recursive: true });
          const doc = fs.readFileSync(path.join(dir, c, "network-config"), "utf8");
          fs.writeFileSync(path.join(root, "etc/netplan/50-cloud-init.yaml"), `network:\n${doc.replace(/^/gm, "  ")}`, { mode: 0o600 });
          const r = spawnSync("/usr/sbin/netplan", ["generate", "--root-dir", root], { encoding: "utf8" });
          assert.equal(r.status, 0, r.stderr);
          const unit = fs.readFileSync(path.join(root, "run/systemd/network/10-netplan-primary.network"), "utf8");
          assert.match(unit, /Name=en\*/);
          assert.match(unit, c.endsWith("-static") ? /Address=10\.3\.10\.11\/24[\s\S]*Gateway=10\.3\.10\.1/ : /DHCP=ipv4/);
        } finally {
          fs.rmSync(root, { recursive: true, force: true });
        }
      });
    }
  }
});
