// Self-tests of the fake-host harness: real sshd + stand-ins + real etcd,
// driven over real SSH with node-ssh, as clusterkit will drive them.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { after, before, describe, it } from "node:test";
import type { NodeSSH } from "node-ssh";
import { type Fleet, startFleet, type TestHost } from "./harness";
import { connectPinned } from "./ssh-client";

const DEBIAN_PREP = `set -e
swapoff -a
modprobe overlay br_netfilter
printf 'net.ipv4.ip_forward = 1\\nnet.bridge.bridge-nf-call-iptables = 1\\n' > /etc/sysctl.d/k8s.conf
sysctl --system >/dev/null
echo 'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.33/deb/ /' > /etc/apt/sources.list.d/kubernetes.list
apt-get update -qq >/dev/null
apt-get install -y -qq containerd kubelet=1.33.5-1.1 kubeadm=1.33.5-1.1 kubectl=1.33.5-1.1 >/dev/null
apt-mark hold kubelet kubeadm kubectl >/dev/null
mkdir -p /etc/containerd
containerd config default | sed 's/SystemdCgroup = false/SystemdCgroup = true/' > /etc/containerd/config.toml
systemctl enable --now containerd 2>/dev/null
systemctl enable kubelet 2>/dev/null
`;
const RHEL_PREP = `set -e
swapoff -a
echo 'net.ipv4.ip_forward = 1' > /etc/sysctl.d/k8s.conf
sysctl --system >/dev/null
printf '[kubernetes]\\nname=Kubernetes\\nbaseurl=https://pkgs.k8s.io/core:/stable:/v1.33/rpm/\\nenabled=1\\nexclude=kubelet kubeadm kubectl cri-tools kubernetes-cni\\n' > /etc/yum.repos.d/kubernetes.repo
dnf install -y containerd.io kubelet-1.33.5 kubeadm-1.33.5 kubectl-1.33.5 --disableexcludes=kubernetes >/dev/null
systemctl enable --now containerd kubelet 2>/dev/null
`;
const initConfig = (endpoint: string) => `apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
nodeRegistration:
  name: cp1
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.33.5
controlPlaneEndpoint: "${endpoint}"
`;

describe("fake hosts", () => {
  let fleet: Fleet;
  const conns: NodeSSH[] = [];
  let cp1: TestHost, cp2: TestHost, w1: TestHost;
  const ssh = async (h: TestHost, user = "root") => {
    const c = await connectPinned(fleet, h, { user });
    conns.push(c);
    return c;
  };
  const run = async (c: NodeSSH, cmd: string, noTrim = false) => {
    const r = await c.execCommand(cmd, { noTrim });
    return { stdout: r.stdout, stderr: r.stderr, code: r.code ?? -1 };
  };
  const ok = async (c: NodeSSH, cmd: string) => {
    const r = await run(c, cmd);
    assert.equal(r.code, 0, `${cmd}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout;
  };

  before(async () => {
    fleet = await startFleet(
      [
        { name: "cp1", role: "control-plane", users: [{ name: "ops", sudo: "nopasswd" }, { name: "dev", sudo: "none" }] },
        { name: "cp2", role: "control-plane", osRelease: "ubuntu" },
        { name: "w1", role: "worker", osRelease: "rhel" },
      ],
      { failOnce: [{ host: "w1", step: "join" }] },
    );
    [cp1, cp2, w1] = fleet.hosts as [TestHost, TestHost, TestHost];
  });

  after(async () => {
    for (const c of conns) c.dispose();
    if (!fleet) return;
    const pids = fleet.hosts.map((h) => h.pid);
    const slot = fleet.slot;
    await fleet.stop();
    const netns = execFileSync("ip", ["netns", "list"], { encoding: "utf8" });
    assert.doesNotMatch(netns, new RegExp(`^ckh${slot}-`, "m"), "netns left behind");
    assert.throws(() => execFileSync("ip", ["link", "show", `ckbr${slot}`], { stdio: "ignore" }), "bridge left behind");
    for (const p of pids) assert.equal(fs.existsSync(`/proc/${p}`), false, `sshd ${p} left behind`);
  });

  it("pins host keys: fingerprint matches ssh-keygen, a wrong one is refused", async () => {
    const keygen = execFileSync("ssh-keygen", ["-lf", cp1.path("/etc/ssh/ssh_host_ed25519_key.pub")], { encoding: "utf8" });
    assert.equal(keygen.split(" ")[1], cp1.hostKeyFingerprint);
    assert.notEqual(cp1.hostKeyFingerprint, cp2.hostKeyFingerprint);
    await assert.rejects(connectPinned(fleet, cp1, { expectFingerprint: cp2.hostKeyFingerprint }), /verification failed/i);
    assert.equal(await ok(await ssh(cp1), "hostname"), "cp1");
  });

  it("gives each host its own identity, users and minimal root", async () => {
    const c = await ssh(cp2);
    assert.equal(await ok(c, "hostname"), "cp2");
    assert.match(await ok(c, ". /etc/os-release && echo $ID"), /^ubuntu$/);
    assert.match(await ok(await ssh(w1), ". /etc/os-release && echo $ID; command -v apt-get || echo no-apt; command -v dnf"), /^rhel\nno-apt\n\/usr\/bin\/dnf$/);
    assert.equal(await ok(c, "ls -A /root"), ".ssh");
    assert.equal(await ok(c, "command -v kubeadm || echo none"), "none");
    assert.equal(await ok(await ssh(cp1, "ops"), "sudo -n id -u"), "0");
    const dev = await run(await ssh(cp1, "dev"), "sudo -n true");
    assert.notEqual(dev.code, 0);
    assert.match(dev.stderr, /password is required/);
  });

  it("installs and prepares every host through the package/service stand-ins", async () => {
    await Promise.all([
      ssh(cp1).then((c) => ok(c, DEBIAN_PREP)),
      ssh(cp2).then((c) => ok(c, DEBIAN_PREP)),
      ssh(w1).then((c) => ok(c, RHEL_PREP)),
    ]);
    const c = await ssh(cp1);
    assert.equal(await ok(c, "kubeadm version -o short"), "v1.33.5");
    assert.equal(await ok(c, "kubelet --version"), "Kubernetes v1.33.5");
    assert.equal(await ok(c, "dpkg-query -W -f='${Version}' kubeadm"), "1.33.5-1.1");
    assert.equal(await ok(c, "apt-mark showhold"), "kubeadm\nkubectl\nkubelet");
    assert.equal(await ok(await ssh(w1), "rpm -q kubeadm"), "kubeadm-1.33.5-150500.1.1.x86_64");
    const log = await cp1.readLog();
    const install = log.find((e) => e.tool === "apt-get" && e.argv[0] === "install");
    assert.ok(install, "apt-get install recorded");
    assert.deepEqual(install.argv.slice(-3), ["kubelet=1.33.5-1.1", "kubeadm=1.33.5-1.1", "kubectl=1.33.5-1.1"]);
    assert.equal(install.code, 0);
    assert.equal(install.user, "root");
  });

  it("bootstraps: init, token, join of a control plane and a worker, real etcd", async () => {
    const c1 = await ssh(cp1);
    await ok(c1, `cat > /root/kubeadm.yaml <<'EOF'\n${initConfig(`${cp1.address}:6443`)}EOF`);
    const init = await ok(c1, "kubeadm init --config /root/kubeadm.yaml --upload-certs --skip-phases=addon/kube-proxy");
    assert.match(init, /Your Kubernetes control-plane has initialized successfully!/);
    assert.match(init, /--control-plane --certificate-key [0-9a-f]{64}/);
    assert.doesNotMatch(init, /kube-proxy/);
    const again = await run(c1, "kubeadm init --config /root/kubeadm.yaml");
    assert.equal(again.code, 1);
    assert.match(again.stderr, /\/etc\/kubernetes\/manifests\/kube-apiserver.yaml already exists/);

    const printed = (await run(c1, "kubeadm token create --print-join-command --ttl 1h", true)).stdout;
    // Exactly one line, with the real kubeadm's trailing space.
    assert.match(printed, /^kubeadm join \S+:6443 --token [a-z0-9]{6}\.[a-z0-9]{16} --discovery-token-ca-cert-hash sha256:[0-9a-f]{64} \n$/);
    const join = printed.trim();
    const hash = await ok(c1, "openssl x509 -pubkey -in /etc/kubernetes/pki/ca.crt | openssl pkey -pubin -outform der | sha256sum | cut -d' ' -f1");
    assert.ok(join.includes(`sha256:${hash}`), "discovery hash is the CA's SPKI hash");
    const certKey = (await ok(c1, "kubeadm init phase upload-certs --upload-certs")).split("\n").pop()!;
    assert.match(certKey, /^[0-9a-f]{64}$/);

    const c2 = await ssh(cp2);
    const joined = await ok(c2, `${join} --control-plane --certificate-key ${certKey}`);
    assert.match(joined, /a new control plane instance was created/);
    // The started etcd must not inherit the join's lock: the next control plane would wait forever.
    await ok(c2, "flock -n -w 0 /srv/standin-cluster/.etcd-lock true");

    // failOnce: the first worker join dies half-way, like a TLS bootstrap timeout.
    const cw = await ssh(w1);
    const failed = await run(cw, join);
    assert.equal(failed.code, 1);
    assert.equal(await w1.exists("/etc/kubernetes/kubelet.conf"), true);
    const rerun = await run(cw, join);
    assert.match(rerun.stderr, /\/etc\/kubernetes\/kubelet.conf already exists/);
    await ok(cw, "kubeadm reset -f");
    assert.match(await ok(cw, join), /This node has joined the cluster/);

    const members = JSON.parse(await ok(c1, "etcdctl member list -w json")) as { members: { name: string }[] };
    assert.deepEqual(members.members.map((m) => m.name).sort(), ["cp1", "cp2"]);
    const nodes = JSON.parse(await ok(c2, "kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes -o json"));
    assert.equal(nodes.kind, "List");
    const ready = Object.fromEntries(nodes.items.map((n: any) => [n.metadata.name,
      n.status.conditions.find((x: any) => x.type === "Ready").status]));
    assert.deepEqual(ready, { cp1: "True", cp2: "True", w1: "True" });
    assert.equal(nodes.items.find((n: any) => n.metadata.name === "w1").status.addresses[0].address, w1.address);
    assert.equal(await ok(c1, "kubectl --kubeconfig /etc/kubernetes/admin.conf get --raw /readyz"), "ok");
  });

  it("drains, deletes and removes a control plane from etcd", async () => {
    const c1 = await ssh(cp1);
    const k = "kubectl --kubeconfig /etc/kubernetes/admin.conf";
    assert.match(await ok(c1, `${k} drain cp2 --ignore-daemonsets --delete-emptydir-data --timeout=60s`), /node\/cp2 drained/);
    // Remove the member before resetting: with two members, stopping one first
    // would cost etcd its quorum. Real etcd also refuses removals ("unhealthy
    // cluster") until every member has been connected for 5 s, so retry.
    const id = (await ok(c1, "etcdctl member list")).split("\n").find((l) => l.includes(", cp2,"))!.split(",")[0]!;
    let removed = await run(c1, `etcdctl member remove ${id}`);
    for (let i = 0; i < 40 && /unhealthy cluster/.test(removed.stderr); i++) {
      await new Promise((r) => setTimeout(r, 250));
      removed = await run(c1, `etcdctl member remove ${id}`);
    }
    assert.equal(removed.code, 0, removed.stderr);
    await ok(await ssh(cp2), "kubeadm reset -f");
    assert.equal(await cp2.exists("/var/lib/etcd"), false);
    assert.equal(await ok(c1, `${k} delete node cp2`), 'node "cp2" deleted');
    const gone = await run(c1, `${k} get node cp2 -o json`);
    assert.equal(gone.code, 1);
    assert.equal(gone.stderr.trim(), 'Error from server (NotFound): nodes "cp2" not found');
    assert.equal(JSON.parse(await ok(c1, "etcdctl member list -w json")).members.length, 1);
    const drain = (await cp1.readLog()).find((e) => e.tool === "kubectl" && e.argv.includes("drain"));
    assert.ok(drain && drain.code === 0);
  });

  it("cuts established connections; new ones still work", async () => {
    const c = await ssh(w1);
    const pending = run(c, "sleep 30; echo done");
    await new Promise((r) => setTimeout(r, 200));
    const t0 = Date.now();
    await fleet.cutConnections("w1");
    const r = await pending.catch((e: Error) => ({ stdout: "", stderr: e.message, code: -1 }));
    assert.notEqual(r.stdout, "done");
    assert.ok(Date.now() - t0 < 5000, "the cut session ended promptly");
    assert.equal(await ok(await ssh(w1), "hostname"), "w1");
  });
});
