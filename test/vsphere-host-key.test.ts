/**
 * HostKeyRotation against a real sshd (test/hosts): the first-boot key (the one vCenter users can
 * read in guestinfo) is trusted for one session, which installs the lasting key; afterwards the host
 * serves only the lasting key, re-runs change nothing, and a host presenting neither key is refused.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { ed25519FromSeed } from "../cli/plan/mocks/vsphere";
import { sshFingerprintSha256 } from "../core/render/cloud-init/fingerprint";
import { serves as presents } from "../providers/vsphere-node/host-key";
import { hostKeyRotation } from "../providers/vsphere-node/runtime";
import type { HostKeyRotationInputs } from "../providers/vsphere-node/types";
import { isSshError } from "../providers/ssh";
import { startFleet, type Fleet, type TestHost } from "./hosts/harness";

const newKey = () => {
  const k = ed25519FromSeed(randomBytes(32));
  return { privateKeyOpenssh: k.privateKeyOpenssh, fingerprint: sshFingerprintSha256(k.publicKeyOpenssh) };
};

describe("HostKeyRotation on a real sshd", () => {
  let fleet: Fleet;
  let host: TestHost;
  const lasting = newKey();

  before(async () => {
    fleet = await startFleet([{ name: "vm1", users: [{ name: "clusterkit", sudo: "nopasswd" }] }]);
    host = fleet.host("vm1");
  });
  after(async () => fleet?.stop());

  const inputs = (over: Partial<HostKeyRotationInputs> = {}): HostKeyRotationInputs => ({
    name: "vm1",
    vmId: "4211-aaaa",
    address: host.address,
    port: 22,
    user: "clusterkit",
    bootstrapHostKey: host.hostKeyFingerprint,
    hostKey: lasting.fingerprint,
    hostPrivateKey: lasting.privateKeyOpenssh,
    privateKey: fleet.clientKey.privateKeyPem,
    ...over,
  });
  /** What the host presents: true for `fingerprint`, false for another key. */
  const serves = (fingerprint: string) => presents(inputs(), fingerprint);
  const keyFile = async () => (await host.exec("cat /etc/ssh/ssh_host_ed25519_key.pub")).stdout.trim();

  it("replaces the first-boot key: afterwards the host serves only the lasting key", async () => {
    const first = host.hostKeyFingerprint;
    assert.equal(await serves(first), true);
    const { outs } = await hostKeyRotation.create(inputs());
    assert.equal(outs.hostKey, lasting.fingerprint);
    assert.equal(await serves(lasting.fingerprint), true, "sshd presents the lasting key");
    assert.equal(await serves(first), false, "the key readable in vCenter no longer authenticates the host");
    assert.equal(sshFingerprintSha256(await keyFile()), lasting.fingerprint);
    assert.equal((await host.exec("stat -c %a /etc/ssh/ssh_host_ed25519_key")).stdout.trim(), "600");
  });

  it("a re-run finds the lasting key in place and changes nothing", async () => {
    const before = (await host.exec("stat -c %Y.%i /etc/ssh/ssh_host_ed25519_key")).stdout.trim();
    await hostKeyRotation.create(inputs());
    assert.equal((await host.exec("stat -c %Y.%i /etc/ssh/ssh_host_ed25519_key")).stdout.trim(), before);
  });

  it("an update to a new lasting key trusts the current one for the switch", async () => {
    const next = newKey();
    const olds = inputs();
    await hostKeyRotation.update("id", olds, inputs({ hostKey: next.fingerprint, hostPrivateKey: next.privateKeyOpenssh }));
    assert.equal(await serves(next.fingerprint), true);
    assert.equal(await serves(lasting.fingerprint), false);
  });

  it("refuses a host that presents neither key, and leaves it as it was", async () => {
    const keyBefore = await keyFile();
    const stranger = newKey();
    await assert.rejects(hostKeyRotation.create(inputs({ bootstrapHostKey: newKey().fingerprint, hostKey: stranger.fingerprint, hostPrivateKey: stranger.privateKeyOpenssh })), (e: unknown) => isSshError(e, "host-key"));
    assert.equal(await keyFile(), keyBefore);
  });

  it("never replaces on a new lease or connection setting, only for another VM or first-boot key", async () => {
    assert.deepEqual((await hostKeyRotation.diff("id", inputs(), inputs({ address: "10.77.0.99" }))).replaces, []);
    assert.deepEqual((await hostKeyRotation.diff("id", inputs(), inputs({ vmId: "4211-bbbb" }))).replaces, ["vmId"]);
  });
});
