// Unit tests of the SSH layer's pure parts: fingerprints (checked against ssh-keygen itself),
// host key decisions, redaction, the retry policy and command wrapping.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { isSudoRefusal, wrapCommand } from "../providers/ssh/command";
import { SshError } from "../providers/ssh/errors";
import { fingerprintOf, keyTypeOf } from "../providers/ssh/fingerprint";
import { hostKeyCheck } from "../providers/ssh/host-key";
import { redact, registerSecret, tail } from "../providers/ssh/redact";
import { backoffDelay, isRetryableConnectError, mayRerun, withRetry } from "../providers/ssh/retry";

const sshError = (kind: SshError["kind"]) => new SshError({ kind, host: "h", address: "10.0.0.1", step: "s", message: "m" });

describe("fingerprints", () => {
  for (const type of ["ed25519", "ecdsa", "rsa"]) {
    test(`match ssh-keygen -lf for ${type} keys`, () => {
      const dir = mkdtempSync(join(tmpdir(), "ck-fp-"));
      try {
        execFileSync("ssh-keygen", ["-q", "-t", type, "-N", "", "-f", join(dir, "k")]);
        const pub = readFileSync(join(dir, "k.pub"), "utf8").trim().split(/\s+/);
        const blob = Buffer.from(pub[1], "base64");
        const expected = execFileSync("ssh-keygen", ["-lf", join(dir, "k.pub")], { encoding: "utf8" }).split(/\s+/)[1];
        assert.equal(fingerprintOf(blob), expected);
        assert.equal(keyTypeOf(blob), pub[0]);
        assert.match(fingerprintOf(blob), /^SHA256:[A-Za-z0-9+/]{43}$/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe("host key decisions", () => {
  const blob = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from("ssh-ed25519"), Buffer.alloc(36, 7)]);
  const fp = fingerprintOf(blob);
  const base = { name: "cp-1", address: "10.77.0.2", port: 22, pinField: "hosts[cp-1].hostKey" };

  test("a pinned key that matches is accepted, silently", () => {
    const lines: string[] = [];
    const c = hostKeyCheck({ ...base, pinned: fp, trustOnFirstUse: false, log: (l) => lines.push(l) });
    assert.equal(c.verify(blob), true);
    assert.equal(c.refusal, null);
    assert.deepEqual(lines, []);
  });

  test("a mismatched key is refused and the message shows both fingerprints", () => {
    const other = "SHA256:" + "A".repeat(43);
    const c = hostKeyCheck({ ...base, pinned: other, trustOnFirstUse: true, log: () => undefined });
    assert.equal(c.verify(blob), false);
    assert.equal(c.refusal?.kind, "host-key");
    assert.match(c.refusal!.message, new RegExp(`presented ssh-ed25519 key ${fp.replace(/[+/]/g, "\\$&")}`));
    assert.ok(c.refusal!.message.includes(other));
  });

  test("an unpinned key is refused without TOFU, with the command to verify it", () => {
    const c = hostKeyCheck({ ...base, port: 2222, pinned: null, trustOnFirstUse: false, log: () => undefined });
    assert.equal(c.verify(blob), false);
    assert.ok(c.refusal!.message.includes(fp));
    assert.match(c.refusal!.issues[0].hint ?? "", /ssh-keyscan -p 2222 10\.77\.0\.2 \| ssh-keygen -lf -/);
  });

  test("TOFU accepts an unpinned key once, prints it to pin, and refuses a different key later", () => {
    const lines: string[] = [];
    const who = { ...base, address: "10.77.0.99", pinned: null, trustOnFirstUse: true, log: (l: string) => lines.push(l) };
    assert.equal(hostKeyCheck(who).verify(blob), true);
    assert.equal(lines.length, 1);
    assert.ok(lines[0].includes(`hosts[cp-1].hostKey: ${fp}`));
    assert.equal(hostKeyCheck(who).verify(blob), true);
    assert.equal(lines.length, 1, "printed once");
    const swapped = Buffer.concat([blob.subarray(0, 15), Buffer.alloc(36, 9)]);
    const c = hostKeyCheck(who);
    assert.equal(c.verify(swapped), false);
    assert.match(c.refusal!.message, /changed during this run/);
  });
});

describe("redaction", () => {
  test("masks registered values wherever they appear, line by line too", () => {
    const key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----";
    registerSecret(key);
    const out = redact(`oops: b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW in line`);
    assert.ok(!out.includes("b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAE"));
  });

  test("masks token, certificate key, PEM blocks and kubeconfig data it never saw", () => {
    const text = [
      "kubeadm join 10.0.0.10:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash sha256:" + "a".repeat(64),
      "--control-plane --certificate-key " + "f".repeat(64),
      "certificate key: " + "0123456789abcdef".repeat(4),
      "    client-key-data: TUlJRXBRSUJBQUtDQVFFQXZ",
      "token: 'xyzabc.0123456789abcdef'",
      "-----BEGIN RSA PRIVATE KEY-----\nMIIEpQIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
    ].join("\n");
    const out = redact(text);
    for (const leak of ["abcdef.0123456789abcdef", "f".repeat(64), "0123456789abcdef".repeat(4), "TUlJRXBRSUJBQUtDQVFFQXZ", "xyzabc.0123456789abcdef", "MIIEpQIBAAKCAQEA"]) {
      assert.ok(!out.includes(leak), `leaked ${leak}:\n${out}`);
    }
    assert.ok(out.includes("sha256:" + "a".repeat(64)), "the public CA cert hash stays readable");
    assert.ok(out.includes("kubeadm join 10.0.0.10:6443"));
  });

  test("SshError redacts its message and stderr", () => {
    const e = new SshError({ kind: "command", host: "w1", address: "10.0.0.5", step: "join", message: "failed", stderr: "error: token qwerty.0123456789abcdef expired" });
    assert.ok(!e.message.includes("qwerty.0123456789abcdef"));
    assert.ok(!e.failure.stderr!.includes("qwerty.0123456789abcdef"));
    assert.match(e.message, /host w1 \(10\.0\.0\.5\): join: failed/);
  });

  test("tail keeps the last lines, marked as cut", () => {
    const out = tail(Array.from({ length: 30 }, (_, i) => `line ${i}`).join("\n"), 3);
    assert.equal(out, "…\nline 27\nline 28\nline 29");
  });
});

describe("retry policy", () => {
  test("backoff grows exponentially with jitter and is capped", () => {
    const p = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    assert.equal(backoffDelay(p, 0, () => 0), 50);
    assert.equal(backoffDelay(p, 0, () => 1), 100);
    assert.equal(backoffDelay(p, 3, () => 1), 800);
    assert.equal(backoffDelay(p, 10, () => 1), 1000);
  });

  test("only connection set-up failures are retried", () => {
    assert.equal(isRetryableConnectError(sshError("connect")), true);
    for (const k of ["host-key", "auth", "sudo", "timeout", "command", "connection-lost"] as const) assert.equal(isRetryableConnectError(sshError(k)), false, k);
    assert.equal(isRetryableConnectError(new Error("ECONNREFUSED")), false);
  });

  test("a dropped command is re-run only when it is read-only", () => {
    assert.equal(mayRerun(sshError("connection-lost"), false), true);
    assert.equal(mayRerun(sshError("connection-lost"), true), false);
    assert.equal(mayRerun(sshError("command"), false), false);
    assert.equal(mayRerun(sshError("timeout"), false), false);
  });

  test("withRetry stops at the first non-retryable error and after the last attempt", async () => {
    const sleeps: number[] = [];
    const sleep = async (ms: number) => void sleeps.push(ms);
    let calls = 0;
    await assert.rejects(withRetry(async () => { calls++; throw sshError("connect"); }, { attempts: 3, baseDelayMs: 10, maxDelayMs: 100 }, isRetryableConnectError, sleep), /m/);
    assert.equal(calls, 3);
    assert.equal(sleeps.length, 2);
    calls = 0;
    await assert.rejects(withRetry(async () => { calls++; throw sshError("host-key"); }, { attempts: 3, baseDelayMs: 10, maxDelayMs: 100 }, isRetryableConnectError, sleep));
    assert.equal(calls, 1);
    calls = 0;
    const v = await withRetry(async (n) => { calls++; if (n < 2) throw sshError("connect"); return "up"; }, { attempts: 5, baseDelayMs: 1, maxDelayMs: 1 }, isRetryableConnectError, sleep);
    assert.equal(v, "up");
    assert.equal(calls, 3);
  });
});

describe("command wrapping", () => {
  test("non-root runs through sudo -n under a remote timeout; root runs directly", () => {
    assert.equal(wrapCommand("echo 'x'", { sudo: true, timeoutSec: 30 }), `sudo -n -- timeout -k 5 30 bash -c 'set -eo pipefail\necho '\\''x'\\'''`);
    assert.ok(!wrapCommand("true", { sudo: false, timeoutSec: 1.2 }).startsWith("sudo"));
    assert.match(wrapCommand("true", { sudo: false, timeoutSec: 1.2 }), /^timeout -k 5 2 /);
  });

  test("sudo refusals are told apart from the command's own errors", () => {
    assert.equal(isSudoRefusal("sudo: a password is required\n"), true);
    assert.equal(isSudoRefusal("deploy is not in the sudoers file.\nThis incident will be reported."), true);
    assert.equal(isSudoRefusal("error: a password is required for the registry"), false);
    assert.equal(isSudoRefusal("sudo: deploy is not in the sudoers file.  This incident will be reported.\n"), true);
    assert.equal(isSudoRefusal("E: Unable to locate package kubeadm"), false);
  });
});
