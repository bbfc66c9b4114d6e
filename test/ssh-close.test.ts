// Closing an SSH connection to a host that has gone away (powered off, its network cut, a test
// fleet torn down) must not keep the process alive. The goodbye is never acknowledged, and a
// half-closed TCP socket holds Node's event loop until TCP gives up, a quarter of an hour later:
// `clusterkit drift` would hang at exit and a test file would outlive its tests. An in-process SSH
// server (ssh2's) sits behind a TCP relay that can "vanish": it stops passing bytes and never
// closes its side, as a host that is gone.
import assert from "node:assert/strict";
import * as net from "node:net";
import { after, before, describe, test } from "node:test";
import { Server, utils } from "ssh2";
import { fingerprintOf } from "../providers/ssh/fingerprint";
import { SshConnection, defaultConnectionOptions } from "../providers/ssh/connection";

const hostKey = utils.generateKeyPairSync("ed25519");
const clientKey = utils.generateKeyPairSync("ed25519");

describe("closing a connection to a host that is gone", () => {
  let server: Server;
  let relay: net.Server;
  let sshPort = 0;
  let relayPort = 0;
  let vanished = false;
  const clientSockets: net.Socket[] = [];
  const relaySockets: net.Socket[] = [];

  before(async () => {
    server = new Server({ hostKeys: [hostKey.private] }, (client) => {
      client.on("authentication", (ctx) => (ctx.method === "publickey" ? ctx.accept() : ctx.reject(["publickey"])));
      client.on("ready", () => {
        client.on("session", (accept) => {
          const session = accept();
          session.on("exec", (acceptExec) => {
            const ch = acceptExec();
            ch.write("hello\n");
            ch.exit(0);
            ch.end();
          });
        });
      });
      client.on("error", () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    sshPort = (server.address() as net.AddressInfo).port;
    // allowHalfOpen: the relay never answers the client's FIN by itself.
    relay = net.createServer({ allowHalfOpen: true }, (down) => {
      const up = net.connect(sshPort, "127.0.0.1");
      relaySockets.push(down, up);
      down.on("data", (d) => vanished || up.write(d));
      up.on("data", (d) => vanished || down.write(d));
      down.on("end", () => vanished || up.end());
      up.on("end", () => vanished || down.end());
      down.on("error", () => undefined);
      up.on("error", () => undefined);
    });
    await new Promise<void>((r) => relay.listen(0, "127.0.0.1", () => r()));
    relayPort = (relay.address() as net.AddressInfo).port;
  });

  after(() => {
    relay.close();
    server.close();
    for (const s of [...clientSockets, ...relaySockets]) s.destroy();
  });

  test("its socket is destroyed within a few seconds, so nothing waits for TCP to give up", async () => {
    const pub = utils.parseKey(hostKey.public);
    if (pub instanceof Error) throw pub;
    const conn = new SshConnection(
      { name: "gone-1", address: "127.0.0.1", port: relayPort, user: "root", privateKey: clientKey.private, hostKey: fingerprintOf(pub.getPublicSSH()), trustOnFirstUse: false, pinField: "hosts[gone-1].hostKey" },
      {
        ...defaultConnectionOptions,
        log: () => undefined,
        tunnel: async (address, port) => {
          const s = net.connect(port, address);
          await new Promise((r, j) => s.once("connect", r).once("error", j));
          clientSockets.push(s);
          return s;
        },
      },
    );
    const r = await conn.exec("echo hello", { step: "probe", mutating: false });
    assert.equal(r.stdout, "hello\n");
    const sock = clientSockets[0];
    vanished = true;
    conn.close();
    const start = Date.now();
    while (!sock.destroyed && Date.now() - start < 6_000) await new Promise((r) => setTimeout(r, 50));
    assert.ok(sock.destroyed, `the socket to the vanished host is still open ${Date.now() - start} ms after close()`);
  });
});
