/**
 * A minimal OIDC issuer on loopback for the API server tier: discovery document and JWKS over
 * HTTPS, RS256 ID tokens signed with node:crypto. Its TLS certificate comes from a throwaway CA made
 * with openssl; the API server trusts it through SSL_CERT_FILE (our AuthenticationConfiguration
 * names no CA, so the API server uses the system roots, which Go reads from that variable).
 */
import { execFileSync } from "node:child_process";
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import * as fs from "node:fs";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import * as path from "node:path";

export interface OidcIssuer {
  url: string;
  /** PEM of the CA that signed the issuer's serving certificate. */
  caFile: string;
  /** A signed ID token with the standard claims (iss, iat, exp) added to `claims`. */
  token(claims: Record<string, unknown>, key?: "issuer" | "stranger"): string;
  close(): Promise<void>;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

function servingCertificate(dir: string): { key: Buffer; cert: Buffer; caFile: string } {
  const ossl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  ossl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=test-oidc-ca");
  ossl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "issuer.key", "-out", "issuer.csr", "-subj", "/CN=test-oidc-issuer");
  fs.writeFileSync(path.join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1\n");
  ossl("x509", "-req", "-in", "issuer.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "issuer.crt", "-days", "1", "-extfile", "san.ext");
  return { key: fs.readFileSync(path.join(dir, "issuer.key")), cert: fs.readFileSync(path.join(dir, "issuer.crt")), caFile: path.join(dir, "ca.crt") };
}

function signer(kid: string): { jwk: Record<string, unknown>; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { jwk: { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" }, privateKey };
}

export async function startOidcIssuer(dir: string): Promise<OidcIssuer> {
  fs.mkdirSync(dir, { recursive: true });
  const tls = servingCertificate(dir);
  const issuerKey = signer("clusterkit-test");
  // Signs with a kid the JWKS does not publish: a forged token the API server must refuse.
  const strangerKey = signer("clusterkit-test");
  let url = "";
  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const send = (body: unknown) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(body));
    };
    if (req.url === "/.well-known/openid-configuration") {
      return send({ issuer: url, jwks_uri: `${url}/keys`, response_types_supported: ["id_token"], subject_types_supported: ["public"], id_token_signing_alg_values_supported: ["RS256"] });
    }
    if (req.url === "/keys") return send({ keys: [issuerKey.jwk] });
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    caFile: tls.caFile,
    token(claims, key = "issuer") {
      const now = Math.floor(Date.now() / 1000);
      const k = key === "issuer" ? issuerKey : strangerKey;
      const signed = `${b64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid: k.jwk.kid }))}.${b64url(JSON.stringify({ iss: url, iat: now, nbf: now - 5, exp: now + 600, ...claims }))}`;
      return `${signed}.${b64url(sign("sha256", Buffer.from(signed), k.privateKey))}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The API server keeps its connection to the issuer open.
        server.closeAllConnections();
      }),
  };
}
