#!/usr/bin/env node
// `kubeadm certs check-expiration` of the kubeadm STAND-IN (kubeadm-certs.sh): reads the node's
// real certificate files, a .crt or a kubeconfig's client-certificate-data, and prints kubeadm's
// output API (output.kubeadm.k8s.io/v1alpha3 CertificateExpirationInfo) as JSON, or its table.
// One process for every certificate: in bash each took about ten (openssl, date, cut, base64 and
// their subshells), some 130 per call, and control planes are asked on every refresh and up.
//   certs-expiry.js json|text < "NAME KIND PATH CA" lines (kubeadm-certs.sh _certs_table)
"use strict";
const fs = require("fs");
const { X509Certificate } = require("crypto");

const [format] = process.argv.slice(2);
const now = Math.floor(Date.now() / 1000);
const iso = (s) => new Date(s * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

// The first certificate's notAfter (epoch seconds) in a PEM text; kubeadm's error when unreadable.
function end(name, pem) {
  try {
    return Math.floor(Date.parse(new X509Certificate(pem).validTo) / 1000);
  } catch (e) {
    process.stderr.write(`error: failed to load existing certificate ${name}: ${e.message}\n`);
    process.exit(1);
  }
}

function pemOf(kind, path) {
  if (kind === "crt") return fs.existsSync(`${path}.crt`) ? fs.readFileSync(`${path}.crt`) : null;
  if (!fs.existsSync(path)) return null;
  const m = /^ *client-certificate-data: *(\S*)/m.exec(fs.readFileSync(path, "utf8"));
  return Buffer.from(m ? m[1] : "", "base64");
}

const certificates = fs
  .readFileSync(0, "utf8")
  .split("\n")
  .filter(Boolean)
  .map((line) => {
    const [name, kind, path, caName] = line.split(" ");
    const pem = pemOf(kind, path);
    if (pem === null) return { name, residualTime: 0, externallyManaged: false, caName, missing: true };
    const e = end(name, pem);
    return { name, expirationDate: iso(e), residualTime: e - now, externallyManaged: false, caName, missing: false };
  });
const certificateAuthorities = [
  ["ca", "/etc/kubernetes/pki/ca.crt"],
  ["etcd-ca", "/etc/kubernetes/pki/etcd/ca.crt"],
  ["front-proxy-ca", "/etc/kubernetes/pki/front-proxy-ca.crt"],
].map(([name, file]) => {
  const e = end(name, fs.readFileSync(file));
  return { name, expirationDate: iso(e), residualTime: e - now, externallyManaged: false, missing: false };
});

if (format === "json") {
  const doc = { kind: "CertificateExpirationInfo", apiVersion: "output.kubeadm.k8s.io/v1alpha3", certificates, certificateAuthorities };
  process.stdout.write(`${JSON.stringify(doc, null, 4)}\n`);
} else {
  const row = (a, b, c, d, e) => `${a.padEnd(25)} ${b.padEnd(25)} ${c.padEnd(16)} ${d.padEnd(24)} ${e}\n`;
  let out = '[check-expiration] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...\n\n';
  out += row("CERTIFICATE", "EXPIRES", "RESIDUAL", "CERTIFICATE AUTHORITY", "EXTERNALLY MANAGED");
  for (const c of certificates.filter((x) => !x.missing)) out += row(c.name, c.expirationDate, `${Math.floor(c.residualTime / 86400)}d`, c.caName, "no");
  process.stdout.write(out);
}
