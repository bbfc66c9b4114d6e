/**
 * The TCP socket under an SSH connection. We open it ourselves to turn TCP_NODELAY on: ssh2
 * leaves Nagle's algorithm enabled, which delays each small request (a command, its EOF) behind the
 * previous segment's ACK, costing ~40 ms per command instead of 2–4 ms.
 */
import * as net from "node:net";
import { SshError } from "./errors";

export function openTcp(who: { name: string; address: string; port: number }, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: who.address, port: who.port });
    sock.setNoDelay(true);
    sock.setKeepAlive(true, 10_000);
    const fail = (message: string) => {
      sock.destroy();
      reject(new SshError({ kind: "connect", host: who.name, address: who.address, step: "connect", message }));
    };
    const timer = setTimeout(() => fail(`no TCP connection to ${who.address}:${who.port} within ${timeoutMs} ms`), timeoutMs);
    sock.once("connect", () => {
      clearTimeout(timer);
      sock.removeAllListeners("error");
      resolve(sock);
    });
    sock.once("error", (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      fail(`cannot reach ${who.address}:${who.port}: ${e.code ?? e.message}`);
    });
  });
}
