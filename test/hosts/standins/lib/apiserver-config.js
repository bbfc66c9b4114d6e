#!/usr/bin/env node
// The kube-apiserver STAND-IN's reading of the files its flags name (see apiserver.sh).
//   apiserver-config.js start FLAG=FILE...   every file at start-up: exit 1 with the
//                                            API server's kind of error on the first bad one
//   apiserver-config.js reload FILE ANON     the authentication config's in-place reload:
//                                            also refused when its `anonymous` section differs
//                                            from the one the server started with (file ANON)
//   apiserver-config.js anonymous FILE       prints that section as JSON
// Checks what the real server refuses at these points: unreadable or malformed YAML, a wrong
// apiVersion/kind, unknown Pod Security levels, an unknown audit level, an encryption key of the
// wrong length, a JWT issuer that is not https. Key material is never printed.
"use strict";
const fs = require("fs");
const YAML = require("yaml");

const levels = ["privileged", "baseline", "restricted"];
const auditLevels = ["None", "Metadata", "Request", "RequestResponse"];
const keyBytes = { aescbc: [16, 24, 32], aesgcm: [16, 24, 32], secretbox: [32] };

function load(file, what) {
  let text;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`failed to read ${what} from "${file}": open ${file}: ${e.code === "ENOENT" ? "no such file or directory" : e.message}`);
  }
  const doc = YAML.parseDocument(text);
  if (doc.errors.length) throw new Error(`failed to decode ${what} "${file}": error converting YAML to JSON: ${doc.errors[0].message.split("\n")[0]}`);
  const o = doc.toJS() ?? {};
  return o;
}

function expectKind(o, file, apiVersions, kind) {
  if (!apiVersions.includes(o.apiVersion) || o.kind !== kind) {
    throw new Error(`no kind "${o.kind}" is registered for version "${o.apiVersion}" in ${file}; expected ${kind} of ${apiVersions.join(" or ")}`);
  }
}

const checks = {
  "admission-control-config-file"(file) {
    const o = load(file, "admission control configuration");
    expectKind(o, file, ["apiserver.config.k8s.io/v1", "apiserver.k8s.io/v1alpha1"], "AdmissionConfiguration");
    for (const p of o.plugins ?? []) {
      if (p.name !== "PodSecurity") continue;
      const c = p.configuration ?? {};
      expectKind(c, file, ["pod-security.admission.config.k8s.io/v1"], "PodSecurityConfiguration");
      for (const mode of ["enforce", "audit", "warn"]) {
        const v = c.defaults?.[mode];
        if (v !== undefined && !levels.includes(v)) {
          throw new Error(`failed to initialize admission: couldn't init admission plugin "PodSecurity": defaults.${mode}: Invalid value: "${v}": must be one of ${levels.join(", ")}`);
        }
      }
    }
  },
  "audit-policy-file"(file) {
    const o = load(file, "audit policy");
    expectKind(o, file, ["audit.k8s.io/v1"], "Policy");
    if (!Array.isArray(o.rules) || o.rules.length === 0) throw new Error(`loaded illegal policy with 0 rules from file ${file}`);
    o.rules.forEach((r, i) => {
      if (!auditLevels.includes(r.level)) throw new Error(`invalid audit policy ${file}: rules[${i}].level: Unsupported value: "${r.level}"`);
    });
  },
  "encryption-provider-config"(file) {
    const o = load(file, "encryption provider configuration");
    expectKind(o, file, ["apiserver.config.k8s.io/v1"], "EncryptionConfiguration");
    (o.resources ?? []).forEach((r, i) => {
      if (!Array.isArray(r.providers) || r.providers.length === 0) throw new Error(`error while parsing file: resources[${i}].providers: Required value`);
      r.providers.forEach((p, j) => {
        const [type] = Object.keys(p);
        for (const k of p[type]?.keys ?? []) {
          const n = Buffer.from(String(k.secret ?? ""), "base64").length;
          if (!keyBytes[type].includes(n)) {
            throw new Error(`error while parsing file: resources[${i}].providers[${j}].${type}.keys[${k.name}].secret: Invalid value: "REDACTED": expecting ${keyBytes[type].join(", ")} bytes key, got ${n}`);
          }
        }
      });
    });
  },
  "authentication-config"(file) {
    const o = load(file, "authentication configuration");
    expectKind(o, file, ["apiserver.config.k8s.io/v1", "apiserver.config.k8s.io/v1beta1"], "AuthenticationConfiguration");
    (o.jwt ?? []).forEach((j, i) => {
      if (!/^https:\/\//.test(j.issuer?.url ?? "")) throw new Error(`jwt[${i}].issuer.url: Invalid value: "${j.issuer?.url}": URL scheme must be https`);
      if (!(j.issuer?.audiences ?? []).length) throw new Error(`jwt[${i}].issuer.audiences: Required value: at least one issuer.audiences is required`);
    });
    return o;
  },
};

const [mode, ...rest] = process.argv.slice(2);
try {
  if (mode === "start") {
    for (const pair of rest) {
      const i = pair.indexOf("=");
      checks[pair.slice(0, i)](pair.slice(i + 1));
    }
  } else if (mode === "reload") {
    const o = checks["authentication-config"](rest[0]);
    const initial = fs.readFileSync(rest[1], "utf8");
    if (JSON.stringify(o.anonymous ?? null) !== initial) throw new Error(`failed to validate authentication config: anonymous: Forbidden: changed from initial configuration file`);
  } else if (mode === "anonymous") {
    process.stdout.write(JSON.stringify(load(rest[0], "authentication configuration").anonymous ?? null));
  } else {
    throw new Error("usage: apiserver-config.js start FLAG=FILE... | reload FILE ANON | anonymous FILE");
  }
} catch (e) {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
}
