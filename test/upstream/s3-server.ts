/**
 * A real S3 server on loopback for the s3:// target's tests: the Versity S3 Gateway (posix backend,
 * built by build.sh) with a root key pair made up per run. It ignores server-side encryption
 * headers, so what clusterkit asks for is checked on the wire (see test/upstream-s3.test.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

export interface S3Server {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Where the posix backend keeps the buckets: bucket = folder, object = file. */
  dataDir: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

export async function startS3Server(versitygw: string): Promise<S3Server> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "clusterkit-s3-"));
  const dataDir = path.join(root, "data");
  fs.mkdirSync(dataDir);
  const accessKeyId = `ck${randomBytes(6).toString("hex")}`;
  const secretAccessKey = randomBytes(24).toString("base64url");
  const port = await freePort();
  const log = fs.openSync(path.join(root, "versitygw.log"), "a");
  const child: ChildProcess = spawn(versitygw, ["--port", `127.0.0.1:${port}`, "posix", dataDir], {
    env: { PATH: process.env.PATH, ROOT_ACCESS_KEY: accessKeyId, ROOT_SECRET_KEY: secretAccessKey },
    stdio: ["ignore", log, log],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  for (let i = 0; !(await answers(port)); i++) {
    if (child.exitCode !== null || i > 200) {
      child.kill("SIGKILL");
      throw new Error(`versitygw did not start on 127.0.0.1:${port}: ${fs.readFileSync(path.join(root, "versitygw.log"), "utf8").slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    accessKeyId,
    secretAccessKey,
    dataDir,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
      fs.closeSync(log);
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
