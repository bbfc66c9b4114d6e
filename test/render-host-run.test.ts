/**
 * The host scripts run for real (as root, in a throwaway mount namespace with stub package
 * managers; see render-host-sandbox.ts): a fresh host converges, a second pass finds every step
 * done and runs nothing mutating, and refusals are clear.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { before, describe, it } from "node:test";
import { detectOsScript, hostSteps, type HostStep } from "../core/render/host";
import type { ClusterSpec } from "../core/spec";
import { hostileSpec, stackSpec, withVersion } from "./render-kubeadm-specs";
import { Sandbox, sandboxUnavailable, type SandboxOptions } from "./render-host-sandbox";

const pwned = "/tmp/clusterkit-pwned";
const readOnlyCall = /^(dpkg-query|rpm -q|apt-mark showhold|systemctl (is-enabled|is-active|show)|sysctl -n) /;

/** check → apply → check for every step, each must move from "needs to run" to "done". */
async function converge(box: Sandbox, steps: HostStep[]): Promise<void> {
  const results = await box.runAll(steps.flatMap((s) => [s.check, s.apply, s.check]));
  steps.forEach((step, i) => {
    const [first, applied, again] = results.slice(3 * i, 3 * i + 3);
    assert.equal(first.code, 1, `${step.name}: check on a fresh host should say "needs to run" (stderr: ${first.stderr})`);
    assert.equal(applied.code, 0, `${step.name}: apply failed: ${applied.stderr}`);
    assert.equal(again.code, 0, `${step.name}: check after apply should say "done" (stderr: ${again.stderr})`);
  });
}

/** A second pass: every check says done, and nothing but reads ran. */
async function assertConverged(box: Sandbox, steps: HostStep[]): Promise<void> {
  box.takeCalls();
  const results = await box.runAll(steps.map((s) => s.check));
  steps.forEach((step, i) => assert.equal(results[i].code, 0, `${step.name}: check on a prepared host`));
  const mutating = box.takeCalls().filter((c) => !readOnlyCall.test(`${c} `));
  assert.deepEqual(mutating, []);
}

function scenario(name: string, opts: SandboxOptions, spec: () => ClusterSpec, verify: (box: Sandbox) => void): void {
  it(name, async () => {
    const box = new Sandbox(opts);
    try {
      const steps = hostSteps(spec());
      await converge(box, steps);
      await assertConverged(box, steps);
      verify(box);
    } finally {
      box.cleanup();
    }
  });
}

// Every scenario has its own sandbox, so they run side by side.
describe("host scripts on a sandboxed host", { concurrency: true }, () => {
  before(() => {
    const why = sandboxUnavailable();
    if (why) assert.fail(why);
    fs.rmSync(pwned, { force: true });
  });

  scenario("Ubuntu: a fresh host converges and a re-run changes nothing", { os: "debian" }, () => stackSpec("metal-ber1"), (box) => {
    assert.match(box.etc("fstab")!, /^# disabled by clusterkit: \/swap\.img none swap sw 0 0$/m);
    assert.equal(box.read("swaps").trim().split("\n").length, 1, "swap is off");
    assert.equal(box.etc("modules-load.d/clusterkit-kubernetes.conf"), "overlay\nbr_netfilter\n");
    assert.ok(box.exists("sys-module/br_netfilter"));
    assert.equal(box.read("state/sysctl/net.ipv4.ip_forward").trim(), "1");
    assert.equal(box.read("state/sysctl/kernel.panic").trim(), "10");
    assert.match(box.etc("containerd/config.toml")!, /^\s*SystemdCgroup = true$/m);
    assert.equal(box.etc("apt/sources.list.d/kubernetes.list"), "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.34/deb/ /\n");
    for (const p of ["kubelet", "kubeadm", "kubectl"]) {
      assert.equal(box.read(`state/pkgs/${p}`).trim(), "1.34.1-1.1", `${p} pinned to the exact version`);
      assert.ok(box.exists(`state/held/${p}`), `${p} held`);
    }
    assert.ok(box.exists("state/systemd/enabled/kubelet") && box.exists("state/systemd/active/containerd"));
  });

  scenario("Rocky (RHEL family) with containerd 2.0's default config and zram swap", { os: "rhel", containerdFlavor: "2.0", zramGenerator: true }, () => stackSpec("metal-ber1"), (box) => {
    assert.match(box.etc("containerd/config.toml")!, /runc\.options\]\nSystemdCgroup = true\n/);
    assert.match(box.etc("yum.repos.d/kubernetes.repo")!, /^baseurl=https:\/\/pkgs\.k8s\.io\/core:\/stable:\/v1\.34\/rpm\/$/m);
    assert.match(box.etc("yum.repos.d/kubernetes.repo")!, /^exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni$/m);
    assert.match(box.etc("yum.repos.d/docker-ce.repo")!, /^baseurl=https:\/\/download\.docker\.com\/linux\/rhel\/\$releasever\/\$basearch\/stable$/m);
    assert.equal(box.etc("systemd/zram-generator.conf"), "");
    for (const p of ["kubelet", "kubeadm", "kubectl"]) assert.equal(box.read(`state/pkgs/${p}`).trim(), "1.34.1");
  });

  const airGapped = (): ClusterSpec => {
    const spec = stackSpec("metal-ber1");
    if (spec.platform.kind !== "baremetal") throw new Error("metal-ber1 is bare metal");
    spec.platform.packages.containerdMirror = "https://packages.example.internal/docker/linux/";
    return { ...spec, mirrors: { images: "registry.example.internal:5000/mirror", charts: null } };
  };
  const hostsToml = (registry: string) =>
    `# clusterkit: pulls of this registry's images go to the image mirror.\n[host."https://registry.example.internal:5000/v2/mirror/${registry}"]\n  capabilities = ["pull", "resolve"]\n  override_path = true\n`;

  scenario("Ubuntu, air-gapped: containerd 1.7 resolves every public registry through the image mirror", { os: "debian" }, airGapped, (box) => {
    const config = box.etc("containerd/config.toml")!;
    assert.match(config, /\[plugins\."io\.containerd\.grpc\.v1\.cri"\.registry\]\n\s*config_path = '\/etc\/containerd\/certs\.d'$/m);
    assert.match(config, /^\s*SystemdCgroup = true$/m);
    for (const registry of ["docker.io", "registry.k8s.io", "quay.io", "ghcr.io", "gcr.io", "public.ecr.aws"]) {
      assert.equal(box.etc(`containerd/certs.d/${registry}/hosts.toml`), hostsToml(registry));
    }
  });

  scenario("Rocky, air-gapped: containerd 2.x from the package mirror, both config_path keys set", { os: "rhel", containerdFlavor: "2.0" }, airGapped, (box) => {
    const config = box.etc("containerd/config.toml")!;
    assert.match(config, /\[plugins\.'io\.containerd\.cri\.v1\.images'\.registry\]\n\s*config_path = '\/etc\/containerd\/certs\.d'$/m);
    assert.match(config, /\[plugins\.'io\.containerd\.transfer\.v1\.local'\]\n\s*config_path = '\/etc\/containerd\/certs\.d'$/m);
    assert.match(box.etc("yum.repos.d/docker-ce.repo")!, /^baseurl=https:\/\/packages\.example\.internal\/docker\/linux\/rhel\/\$releasever\/\$basearch\/stable$/m);
    assert.match(box.etc("yum.repos.d/docker-ce.repo")!, /^gpgkey=https:\/\/packages\.example\.internal\/docker\/linux\/rhel\/gpg$/m);
    assert.equal(box.etc("containerd/certs.d/quay.io/hosts.toml"), hostsToml("quay.io"));
  });

  it("air-gapped: an existing containerd config that already uses the systemd driver gets config_path, and containerd restarts", async () => {
    const box = new Sandbox({ os: "debian", installed: { containerd: "1.7.24" } });
    try {
      const step = hostSteps(airGapped()).find((s) => s.name === "containerd")!;
      // A host prepared before the mirror was set: systemd driver on, no config_path value.
      const [prepared] = await box.runAll([hostSteps(stackSpec("metal-ber1")).find((s) => s.name === "containerd")!.apply]);
      assert.equal(prepared.code, 0, prepared.stderr);
      box.takeCalls();
      const [check, apply, again] = await box.runAll([step.check, step.apply, step.check]);
      assert.equal(check.code, 1, "the mirror is not configured yet");
      assert.equal(apply.code, 0, apply.stderr);
      assert.equal(again.code, 0, again.stderr);
      assert.match(box.etc("containerd/config.toml")!, /^\s*config_path = '\/etc\/containerd\/certs\.d'$/m);
      assert.ok(box.takeCalls().includes("systemctl restart containerd"), "containerd re-reads config.toml");
    } finally {
      box.cleanup();
    }
  });

  for (const osName of ["debian", "rhel"] as const) {
    const title = `${osName === "debian" ? "Ubuntu" : "Rocky"} behind a proxy with a package mirror, all values full of shell metacharacters`;
    scenario(title, { os: osName }, hostileSpec, (box) => {
      assert.ok(!fs.existsSync(pwned), "a value was executed as a command");
      for (const unit of ["containerd", "kubelet"]) {
        const dropIn = box.etc(`systemd/system/${unit}.service.d/clusterkit-http-proxy.conf`)!;
        assert.match(dropIn, /^Environment="HTTP_PROXY=http:\/\/proxy\.example\.com:3128\/\$\(id>\/tmp\/clusterkit-pwned\)"$/m);
        assert.match(dropIn, /^Environment="HTTPS_PROXY=http:\/\/proxy\.example\.com:3128"$/m);
        assert.match(dropIn, /NO_PROXY=.*10\.66\.0\.0\/16,10\.128\.64\.0\/20,10\.5\.0\.10,.*\.cluster\.local,'quoted',\$HOME,`id>\/tmp\/clusterkit-pwned`,100%%"$/m, "systemd's % is escaped");
      }
      if (osName === "debian") {
        assert.match(box.read("state/curl.env"), /https_proxy=http:\/\/proxy\.example\.com:3128/, "downloads go through the proxy");
        assert.match(box.etc("apt/apt.conf.d/95clusterkit-proxy")!, /^Acquire::https::Proxy "http:\/\/proxy\.example\.com:3128";$/m);
        assert.match(box.etc("apt/sources.list.d/kubernetes.list")!, / https:\/\/mirror\.example\.com\/it's\/\$\(id>\/tmp\/clusterkit-pwned\)\/`id>\/tmp\/clusterkit-pwned`\/v1\.34\/deb\/ \/$/m);
      } else {
        assert.match(box.etc("dnf/dnf.conf")!, /^\[main\]\nproxy=http:\/\/proxy\.example\.com:3128$/m);
        assert.match(box.etc("yum.repos.d/kubernetes.repo")!, /^baseurl=https:\/\/mirror\.example\.com\/it's\/\$\(id>\/tmp\/clusterkit-pwned\)\/`id>\/tmp\/clusterkit-pwned`\/v1\.34\/rpm\/$/m);
      }
    });
  }

  it("refuses to move packages already installed at another version", async () => {
    const box = new Sandbox({ os: "debian", installed: { kubeadm: "1.33.2-1.1" } });
    try {
      const step = hostSteps(stackSpec("metal-ber1")).find((s) => s.name === "kubernetes-packages")!;
      assert.equal((await box.run(step.check)).code, 1);
      box.takeCalls();
      const r = await box.run(step.apply);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /kubeadm 1\.33\.2 is installed, the cluster needs 1\.34\.1; changing versions is an upgrade/);
      assert.ok(!box.takeCalls().some((c) => c.startsWith("apt-get")), "nothing was installed");
    } finally {
      box.cleanup();
    }
  });

  it("fails clearly when the repository lacks the exact version", async () => {
    const box = new Sandbox({ os: "debian", repoVersions: ["1.34.0-1.1"] });
    try {
      const step = hostSteps(stackSpec("metal-ber1")).find((s) => s.name === "kubernetes-packages")!;
      const r = await box.run(step.apply);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /kubelet 1\.34\.1 is not in https:\/\/pkgs\.k8s\.io\/core:\/stable:\/v1\.34\/deb\//);
    } finally {
      box.cleanup();
    }
  });

  it("refuses a cgroup v1 host for Kubernetes 1.35 before anything changes, naming the host, what it found and the fix", async () => {
    const steps = hostSteps(withVersion(stackSpec("metal-ber1"), "1.35.0"));
    assert.equal(steps[0].name, "cgroup-v2", "the cgroup check runs before every step that changes the host");
    const v1 = new Sandbox({ os: "debian", cgroup: "v1" });
    const v2 = new Sandbox({ os: "debian", cgroup: "v2" });
    try {
      const [check, apply] = await v1.runAll([steps[0].check, steps[0].apply]);
      assert.equal(check.code, 2, "unsupported host");
      assert.match(check.stderr, /^clusterkit: host \S+ uses cgroup v1 \(\/sys\/fs\/cgroup is tmpfs, not cgroup2fs\); the kubelet of Kubernetes 1\.35 refuses to start on cgroup v1\. Fix: boot the host with the unified hierarchy \(kernel parameter systemd\.unified_cgroup_hierarchy=1/);
      assert.equal(apply.code, 2, "the apply changes nothing and refuses too");
      assert.deepEqual(v1.takeCalls(), [], "no tool ran");
      assert.equal((await v2.run(steps[0].check)).code, 0, "a cgroup v2 host passes");
      assert.ok(!hostSteps(stackSpec("metal-ber1")).some((s) => s.name === "cgroup-v2"), "Kubernetes 1.34 still runs on cgroup v1: no refusal");
    } finally {
      v1.cleanup();
      v2.cleanup();
    }
  });

  it("names an unsupported OS and exits 2", async () => {
    const box = new Sandbox({ os: "arch" });
    try {
      const detect = await box.run(detectOsScript(stackSpec("metal-ber1")));
      assert.equal(detect.code, 2);
      assert.match(detect.stderr, /unsupported OS 'arch'/);
      const containerd = hostSteps(stackSpec("metal-ber1")).find((s) => s.name === "containerd")!;
      assert.equal((await box.run(containerd.apply)).code, 2);
      const rocky = new Sandbox({ os: "rhel" });
      try {
        assert.equal((await rocky.run(detectOsScript(stackSpec("metal-ber1")))).stdout, "rhel\n");
      } finally {
        rocky.cleanup();
      }
    } finally {
      box.cleanup();
    }
  });
});
