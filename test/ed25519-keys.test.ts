/**
 * The ed25519 keys the plan's mocks and the test hosts use are ones OpenSSH itself loads, including
 * the 1 in 256 whose public key starts with a zero byte (ssh2's generateKeyPairSync drops that
 * byte, and sshd then refuses the host key: "error in libcrypto").
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { ed25519FromSeed } from "../cli/plan/mocks/ed25519";

/** The first seed (sha256 of a counter) whose public key starts with a zero byte. */
function seedWithLeadingZero(): Buffer {
  for (let i = 0; ; i++) {
    const seed = createHash("sha256").update(String(i)).digest();
    const pub = Buffer.from(ed25519FromSeed(seed).publicKeyOpenssh.split(" ")[1], "base64").subarray(-32);
    if (pub[0] === 0) return seed;
  }
}

describe("ed25519 keys in OpenSSH format", () => {
  for (const [name, seed] of [["an ordinary key", createHash("sha256").update("ordinary").digest()], ["a key whose public key starts with 0x00", seedWithLeadingZero()]] as const) {
    it(`${name}: ssh-keygen loads the private key and derives the same public key`, () => {
      const k = ed25519FromSeed(seed, "root@test");
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ck-ed25519-"));
      try {
        const file = path.join(dir, "key");
        fs.writeFileSync(file, k.privateKeyOpenssh, { mode: 0o600 });
        const derived = execFileSync("ssh-keygen", ["-y", "-f", file], { encoding: "utf8" }).trim().split(" ").slice(0, 2).join(" ");
        assert.equal(derived, k.publicKeyOpenssh.trim());
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
