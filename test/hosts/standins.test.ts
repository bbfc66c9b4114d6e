// Contracts of the stand-ins, checked through TestHost.exec (no ssh needed):
// the error paths a provisioning tool must cope with, failure injection and
// step durations.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Fleet, startFleet, type TestHost } from "./harness";

const PREP = `set -e
swapoff -a
echo 'net.ipv4.ip_forward = 1' > /etc/sysctl.d/k8s.conf && sysctl --system >/dev/null
echo 'deb https://pkgs.k8s.io/core:/stable:/v1.33/deb/ /' > /etc/apt/sources.list.d/kubernetes.list
apt-get update >/dev/null && apt-get install -y containerd kubeadm kubelet kubectl >/dev/null
systemctl enable --now containerd 2>/dev/null; systemctl enable kubelet 2>/dev/null
printf 'apiVersion: kubeadm.k8s.io/v1beta4\\nkind: InitConfiguration\\n---\\napiVersion: kubeadm.k8s.io/v1beta4\\nkind: ClusterConfiguration\\ncontrolPlaneEndpoint: %s:6443\\n' "$(hostname -I | cut -d' ' -f1)" > /root/init.yaml
`;
const K = "kubectl --kubeconfig /etc/kubernetes/admin.conf";

describe("stand-in contracts", () => {
  let fleet: Fleet;
  let cp: TestHost, w: TestHost, r: TestHost;
  const sh = async (h: TestHost, cmd: string, input?: string) => h.exec(cmd, { log: true, input });
  const ok = async (h: TestHost, cmd: string) => {
    const res = await sh(h, cmd);
    assert.equal(res.code, 0, `${cmd}\n${res.stdout}\n${res.stderr}`);
    return res.stdout.trim();
  };
  const fails = async (h: TestHost, cmd: string, code: number, stderr: RegExp) => {
    const res = await sh(h, cmd);
    assert.equal(res.code, code, `${cmd}\n${res.stdout}\n${res.stderr}`);
    assert.match(res.stderr + res.stdout, stderr);
  };

  before(async () => {
    fleet = await startFleet(
      [{ name: "cp", users: [{ name: "dev", sudo: "none" }] }, { name: "w" }, { name: "r", osRelease: "rhel" }],
      { stepDurationsMs: { "token-create": 300 }, failOnce: [{ host: "cp", step: "init" }] },
    );
    [cp, w, r] = fleet.hosts as [TestHost, TestHost, TestHost];
  });
  after(async () => fleet?.stop());

  it("apt: repository, update, pins, holds, madison", async () => {
    await fails(w, "apt-get install -y kubeadm", 100, /E: Unable to locate package kubeadm/);
    await ok(w, "echo 'deb https://pkgs.k8s.io/core:/stable:/v1.33/deb/ /' > /etc/apt/sources.list.d/kubernetes.list");
    await fails(w, "apt-get install -y kubeadm", 100, /Unable to locate package/); // no apt-get update yet
    await ok(w, "apt-get update");
    assert.match(await ok(w, "apt-cache madison kubeadm"), /kubeadm \| 1\.33\.5-1\.1 \| https:\/\/pkgs\.k8s\.io/);
    await fails(w, "apt-get install -y kubeadm=1.32.0-1.1", 100, /Version '1.32.0-1.1' for 'kubeadm' was not found/);
    await fails(w, "command -v kubeadm", 1, /^$/);
    await ok(w, "apt-get install -y kubeadm=1.33.2-1.1 && apt-mark hold kubeadm");
    assert.equal(await ok(w, "kubeadm version -o short"), "v1.33.2");
    await fails(w, "apt-get install -y kubeadm=1.33.4-1.1", 100, /Held packages were changed/);
    await ok(w, "apt-get install -y --allow-change-held-packages kubeadm=1.33.4-1.1");
    assert.equal(await ok(w, "dpkg-query -W -f='${Version}' kubeadm"), "1.33.4-1.1");
    await fails(w, "runuser -u nobody -- apt-get install -y kubectl", 100, /are you root\?/);
  });

  it("dnf/rpm on RHEL: excludes, versions, no apt", async () => {
    await ok(r, "printf '[kubernetes]\\nbaseurl=https://pkgs.k8s.io/core:/stable:/v1.33/rpm/\\nexclude=kubelet kubeadm kubectl\\n' > /etc/yum.repos.d/kubernetes.repo");
    await fails(r, "dnf install -y kubeadm-1.33.1", 1, /Unable to find a match: kubeadm-1.33.1/);
    await ok(r, "dnf install -y kubeadm-1.33.1 --disableexcludes=kubernetes");
    assert.equal(await ok(r, "rpm -q --qf '%{VERSION}' kubeadm"), "1.33.1");
    await fails(r, "rpm -q --quiet kubectl", 1, /^$/);
    await fails(r, "apt-get --version", 127, /command not found/);
  });

  it("systemctl, sysctl, modprobe, swapoff, curl", async () => {
    await fails(w, "systemctl start kubelet", 5, /Unit kubelet.service not found/);
    await ok(w, "apt-get install -y kubelet containerd && systemctl enable --now kubelet");
    await fails(w, "systemctl is-active kubelet", 3, /activating/); // crash-loops until kubeadm writes its config
    assert.equal(await ok(w, "systemctl is-enabled kubelet"), "enabled");
    assert.match(await ok(w, "containerd config default"), /SystemdCgroup = false/);
    assert.equal(await ok(w, "sysctl -w net.ipv4.ip_forward=1 && sysctl -n net.ipv4.ip_forward"), "net.ipv4.ip_forward = 1\n1");
    assert.equal(await w.readFile("/proc/sys/net/ipv4/ip_forward").then((s) => s.trim()), "0", "recorded, not applied");
    await fails(w, "test -d /sys/module/br_netfilter", 1, /^$/);
    await ok(w, "modprobe br_netfilter && test -d /sys/module/br_netfilter");
    await ok(w, "curl -fsSL https://pkgs.k8s.io/core:/stable:/v1.33/deb/Release.key | gpg --dearmor -o /tmp/k.gpg && test -s /tmp/k.gpg");
    await fails(w, "curl -fsS https://example.com/", 6, /Could not resolve host: example.com/);
    const calls = (await w.readLog()).map((c) => c.tool);
    for (const t of ["apt-get", "apt-cache", "apt-mark", "systemctl", "sysctl", "modprobe", "curl"]) assert.ok(calls.includes(t), t);
  });

  it("kubeadm init: root, preflight, failOnce, then init and token TTL", async () => {
    await ok(cp, PREP);
    await fails(cp, "cp /root/init.yaml /tmp/ && cd /tmp && runuser -u dev -- kubeadm init --config /tmp/init.yaml", 1, /\[ERROR IsPrivilegedUser\]: user is not running as root/);
    await fails(cp, "printf 'apiVersion: kubeadm.k8s.io/v1beta3\\nkind: InitConfiguration\\n' > /tmp/old.yaml; kubeadm init --config /tmp/old.yaml", 1, /v1beta4/);
    // failOnce: the control plane "never comes up"; what kubeadm wrote before wait-control-plane
    // (certs, kubeconfigs, manifests, a running etcd) stays behind, and the API does not answer.
    await fails(cp, "kubeadm init --config /root/init.yaml", 1, /wait-control-plane/);
    await ok(cp, "test -f /etc/kubernetes/admin.conf && test -f /etc/kubernetes/super-admin.conf && test -f /etc/kubernetes/manifests/etcd.yaml && test -n \"$(ls -A /var/lib/etcd)\"");
    await fails(cp, `${K} get nodes`, 1, /The connection to the server .* was refused/);
    await fails(cp, "kubeadm init --config /root/init.yaml", 1, /kube-apiserver.yaml already exists/);
    await fails(cp, "kubeadm reset", 1, /won't proceed/); // no answer on stdin
    await ok(cp, "kubeadm reset -f && kubeadm init --config /root/init.yaml --upload-certs");
    assert.equal(await ok(cp, `${K} get nodes -o name`), "node/cp");
    // upload-config ran: the ConfigMap only a completed init leaves.
    assert.equal(await ok(cp, `${K} -n kube-system get configmap kubeadm-config -o name`), "configmap/kubeadm-config");
    await fails(cp, `${K} -n kube-system get configmap nope -o name`, 1, /configmaps "nope" not found/);
    const t0 = Date.now();
    const join = await ok(cp, "kubeadm token create --print-join-command --ttl 1s");
    assert.ok(Date.now() - t0 >= 300, "token-create step duration applied");
    const delayed = (await cp.readLog()).filter((c) => c.tool === "kubeadm" && c.argv[1] === "create").pop();
    assert.ok(delayed && delayed.durationMs >= 300);
    await ok(w, "systemctl start containerd");
    await new Promise((res) => setTimeout(res, 2100));
    await fails(w, join, 1, /could not find a JWS signature in the cluster-info ConfigMap for token ID/);
  });

  it("kubeadm join: discovery errors, control-plane certificate key", async () => {
    const join = await ok(cp, "kubeadm token create --print-join-command");
    await fails(w, join.replace(/sha256:[0-9a-f]+/, `sha256:${"0".repeat(64)}`), 1, /none of the public keys "sha256:[0-9a-f]{64}" are pinned/);
    await fails(w, join.replace(/join \S+/, "join 10.77.0.99:6443"), 1, /dial tcp 10.77.0.99:6443: connect: connection refused/);
    await fails(w, `${join} --control-plane --certificate-key ${"a".repeat(64)}`, 1, /message authentication failed/);
    assert.match(await ok(w, join), /This node has joined the cluster/);
    await ok(w, "systemctl restart kubelet");
    assert.equal(JSON.parse(await ok(cp, `${K} get node w -o json`)).status.conditions.find((c: { type: string }) => c.type === "Ready").status, "True");
  });

  it("kubectl: cordon, label, taint, drain rules, NotFound, stale kubeconfig", async () => {
    assert.equal(await ok(cp, `${K} cordon w`), "node/w cordoned");
    assert.equal(await ok(cp, `${K} cordon w`), "node/w already cordoned");
    assert.match(await ok(cp, `${K} get nodes`), /w\s+Ready,SchedulingDisabled\s+<none>/);
    assert.equal(await ok(cp, `${K} uncordon w`), "node/w uncordoned");
    await ok(cp, `${K} label node w --overwrite topology.kubernetes.io/zone=a && ${K} taint node w --overwrite dedicated=infra:NoSchedule`);
    const node = JSON.parse(await ok(cp, `${K} get node w -o json`));
    assert.equal(node.metadata.labels["topology.kubernetes.io/zone"], "a");
    assert.deepEqual(node.spec.taints, [{ key: "dedicated", effect: "NoSchedule", value: "infra" }]);
    await fails(cp, `${K} drain w`, 1, /cannot delete DaemonSet-managed Pods \(use --ignore-daemonsets to ignore\)/);
    await cp.failOnce("drain"); // steps fail on the host that runs the command
    await fails(cp, `${K} drain w --ignore-daemonsets --timeout=5s`, 1, /global timeout reached: 5s/);
    assert.match(await ok(cp, `${K} drain w --ignore-daemonsets --delete-emptydir-data --timeout=5s`), /node\/w drained/);
    assert.equal(await ok(cp, `${K} delete node w --wait=false`), 'node "w" deleted');
    await fails(cp, `${K} delete node w`, 1, /^Error from server \(NotFound\): nodes "w" not found\s*$/);
    await fails(cp, "kubectl get nodes", 1, /The connection to the server localhost:8080 was refused/);
    await fails(cp, "kubectl --kubeconfig /nope get nodes", 1, /stat \/nope: no such file or directory/);
    await ok(cp, "cp /etc/kubernetes/admin.conf /root/old.conf && kubeadm reset -f && kubeadm init --config /root/init.yaml");
    await fails(cp, "kubectl --kubeconfig /root/old.conf get nodes", 1, /x509: certificate signed by unknown authority/);
    assert.equal(await ok(cp, `${K} get --raw /readyz`), "ok");
    assert.equal(JSON.parse(await ok(cp, `${K} version -o json`)).serverVersion.gitVersion, "v1.33.5");
  });

  it("crictl and the kube-apiserver static pod: files read at start-up, restarts, crash loops, authentication reloads", async () => {
    const wait = (ms: number) => new Promise((res) => setTimeout(res, ms));
    /** Polls `cmd` until its output satisfies `want` (the kubelet and the watcher act in the background). */
    const until = async (cmd: string, want: (out: string) => boolean, what: string) => {
      for (const deadline = Date.now() + 15_000; ; await wait(100)) {
        const out = (await sh(cp, cmd)).stdout.trim();
        if (want(out)) return out;
        assert.ok(Date.now() < deadline, `${what}: last output ${JSON.stringify(out)}`);
      }
    };
    await fleet.setStepDuration("apiserver-ready", 1500);
    const server = `${K} --server https://${cp.address}:6443`;
    const adm = (level: string) => `apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  configuration:\n    apiVersion: pod-security.admission.config.k8s.io/v1\n    kind: PodSecurityConfiguration\n    defaults:\n      enforce: ${level}\n`;
    const authn = (path: string) => `apiVersion: apiserver.config.k8s.io/v1beta1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: https://id.example.test\n    audiences: [k]\nanonymous:\n  enabled: true\n  conditions:\n  - path: ${path}\n`;
    await ok(cp, `printf '${adm("baseline")}' > /root/adm.yaml && printf '${authn("/readyz")}' > /root/authn.yaml
printf 'apiServer:\n  extraArgs:\n  - name: admission-control-config-file\n    value: /root/adm.yaml\n  - name: authentication-config\n    value: /root/authn.yaml\n' > /root/args.yaml
cat /root/init.yaml /root/args.yaml > /root/init-files.yaml && kubeadm reset -f >/dev/null && kubeadm init --config /root/init-files.yaml >/dev/null`);
    assert.match(await ok(cp, "grep -- --admission-control-config-file=/root/adm.yaml /etc/kubernetes/manifests/kube-apiserver.yaml"), /adm\.yaml/);
    const id1 = await ok(cp, "crictl ps -q --name '^kube-apiserver$'");
    assert.match(id1, /^[0-9a-f]{64}$/);
    assert.equal(await ok(cp, `${server} get --raw /readyz`), "ok");
    await fails(cp, "crictl stop 0123abcd", 1, /code = NotFound/);
    // A stopped container comes back as a new one, and answers only once it has started up. The
    // start-up is held long while the test looks (a busy runner can take seconds per command), then
    // shortened: the stand-in reads the duration whenever it is asked whether the server is ready.
    await fleet.setStepDuration("apiserver-ready", 600_000);
    assert.equal(await ok(cp, `crictl stop ${id1}`), id1);
    await fails(cp, `${server} get --raw /readyz`, 1, /The connection to the server .* was refused/);
    await fails(cp, `${K} get nodes`, 1, /was refused/); // the only control plane: the endpoint is down too
    const id2 = await until("crictl ps -q --name kube-apiserver", (id) => id !== "" && id !== id1, "a new container");
    await fails(cp, `${server} get --raw /readyz`, 1, /was refused/); // still starting up
    await fleet.setStepDuration("apiserver-ready", 1500);
    await until(`${server} get --raw /readyz`, (out) => out === "ok", "ready after its start-up");
    // A start-up file that changed does nothing until the next start, which then crash-loops on it.
    await ok(cp, `printf '${adm("strict")}' > /root/adm.yaml`);
    assert.equal(await ok(cp, "crictl ps -q --name kube-apiserver"), id2);
    await ok(cp, `crictl stop ${id2}`);
    const exited = await until("crictl ps -a -q --name kube-apiserver", (id) => id !== "" && id !== id2, "the next start");
    assert.equal(await ok(cp, "crictl ps -q --name kube-apiserver"), "", "it crashed");
    assert.match(await ok(cp, `crictl logs ${exited}`), /couldn't init admission plugin "PodSecurity": defaults.enforce: Invalid value: "strict"/);
    assert.match(await ok(cp, "crictl ps -a"), /Exited\s+kube-apiserver/);
    await ok(cp, `printf '${adm("restricted")}' > /root/adm.yaml`);
    await until(`${server} get --raw /readyz`, (out) => out === "ok", "back after the kubelet's back-off");
    // The authentication config reloads in place; a changed anonymous section is refused.
    const id3 = await ok(cp, "crictl ps -q --name kube-apiserver");
    await ok(cp, `sed -i 's/audiences: \\[k\\]/audiences: [k, k2]/' /root/authn.yaml`);
    const metrics = await until(`${server} get --raw /metrics`, (out) => out.includes('status="success"'), "reloaded");
    assert.match(metrics, /^apiserver_authentication_config_controller_automatic_reload_last_timestamp_seconds\{apiserver_id_hash="sha256:[0-9a-f]{64}",status="success"\} \d\.\d+e\+09$/m);
    assert.doesNotMatch(metrics, /last_config_info/, "1.33 does not report the config hash (1.34 does)");
    assert.equal(await ok(cp, "crictl ps -q --name kube-apiserver"), id3, "no restart");
    await ok(cp, `printf '${authn("/livez")}' > /root/authn.yaml`);
    assert.match(await until(`${server} get --raw /metrics`, (out) => out.includes('status="failure"'), "refused"), /status="failure"\} \d/);
    assert.match(await ok(cp, `crictl logs ${id3}`), /anonymous: Forbidden: changed from initial configuration file/);
  });
});
