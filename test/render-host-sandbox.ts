/**
 * Runs rendered host scripts for real, as root, inside a private mount namespace: /etc and
 * /usr/lib/systemd are copy-on-write overlays kept in a temp folder, /sys/module and /proc/swaps
 * are bind-mounted stand-ins, /sys/fs/cgroup is a cgroup2 (or, for v1 hosts, a tmpfs) mount, and package managers, systemctl, sysctl and friends are stubs first
 * on PATH that keep their state in files and log every call. Nothing on the machine changes.
 */
import { execFile, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const log = `echo "$(basename "$0") $*" >>"$STUB_STATE/calls.log"`;

const stubs: Record<string, string> = {
  systemctl: `args=(); for a in "$@"; do [[ "$a" == --quiet ]] || args+=("$a"); done
d="$STUB_STATE/systemd"; mkdir -p "$d/enabled" "$d/active"
case "\${args[0]}" in
  is-enabled) [[ -e "$d/enabled/\${args[1]}" ]] ;;
  is-active) [[ -e "$d/active/\${args[1]}" ]] ;;
  enable) touch "$d/enabled/\${args[1]}" ;;
  restart) touch "$d/active/\${args[1]}" ;;
  try-restart | daemon-reload) ;;
  show) echo no ;;
  *) echo "systemctl stub: unsupported: $*" >&2; exit 64 ;;
esac`,
  sysctl: `mkdir -p "$STUB_STATE/sysctl"
case "$1" in
  -n) f="$STUB_STATE/sysctl/$2"; if [[ -f "$f" ]]; then cat "$f"; else echo "sysctl: cannot stat /proc/sys/$2" >&2; exit 255; fi ;;
  -q)
    grep -Ev '^[[:space:]]*(#|$)' "$3" | while IFS='=' read -r k v; do
      k="\${k//[[:space:]]/}"; v="\${v//[[:space:]]/}"
      if [[ "$k" == net.bridge.* && ! -d /sys/module/br_netfilter ]]; then echo "sysctl: cannot stat /proc/sys/$k" >&2; exit 255; fi
      echo "$v" >"$STUB_STATE/sysctl/$k"
    done ;;
  *) echo "sysctl stub: unsupported: $*" >&2; exit 64 ;;
esac`,
  modprobe: `mkdir -p "/sys/module/$1"`,
  swapoff: `head -n 1 /proc/swaps >"$STUB_STATE/swaps.new" && cat "$STUB_STATE/swaps.new" >/proc/swaps`,
  curl: `echo "https_proxy=\${https_proxy:-}" >>"$STUB_STATE/curl.env"; echo "-----FAKE KEY-----"`,
  gpg: `out=""; while [[ $# -gt 0 ]]; do [[ "$1" == -o ]] && out="$2"; shift; done; cat >"$out"`,
  "dpkg-query": `pkg="\${!#}"; f="$STUB_STATE/pkgs/$pkg"
if [[ -f "$f" ]]; then printf 'installed %s\\n' "$(cat "$f")"; else echo "dpkg-query: no packages found matching $pkg" >&2; exit 1; fi`,
  "apt-get": `mkdir -p "$STUB_STATE/pkgs"
install=0
for a in "$@"; do
  case "$a" in
    install) install=1 ;;
    update | -* | DPkg::*) ;;
    *) if [[ "$install" -eq 1 ]]; then
         pkg="\${a%%=*}"; ver="latest"; [[ "$a" == *=* ]] && ver="\${a#*=}"
         if [[ -e "$STUB_STATE/held/$pkg" && -f "$STUB_STATE/pkgs/$pkg" && "$(cat "$STUB_STATE/pkgs/$pkg")" != "$ver" ]]; then echo "E: Held packages were changed" >&2; exit 100; fi
         echo "$ver" >"$STUB_STATE/pkgs/$pkg"
         if [[ "$pkg" == containerd ]]; then cp "$STUB_STATE/../stub-src/containerd" "$STUB_STATE/../bin/containerd"; fi
       fi ;;
  esac
done`,
  "apt-cache": `pkg="$2"; for v in $(cat "$STUB_STATE/repo-versions"); do echo " $pkg | $v | https://pkgs.k8s.io/core:/stable:/v1.34/deb  Packages"; done`,
  "apt-mark": `mkdir -p "$STUB_STATE/held"
case "$1" in
  hold) shift; for p in "$@"; do touch "$STUB_STATE/held/$p"; done ;;
  showhold) ls "$STUB_STATE/held" ;;
esac`,
  rpm: `pkg="\${!#}"; f="$STUB_STATE/pkgs/$pkg"
[[ -f "$f" ]] || exit 1
if [[ "$2" == --qf ]]; then cat "$f"; fi`,
  dnf: `mkdir -p "$STUB_STATE/pkgs"
for a in "$@"; do
  case "$a" in
    -* | install) ;;
    *-[0-9]*) echo "\${a##*-}" >"$STUB_STATE/pkgs/\${a%-*}" ;;
    *) echo latest >"$STUB_STATE/pkgs/$a"
       if [[ "$a" == containerd.io ]]; then cp "$STUB_STATE/../stub-src/containerd" "$STUB_STATE/../bin/containerd"; fi ;;
  esac
done`,
};

const containerdStub = `#!/bin/bash
${log}
[[ "$1 $2" == "config default" ]] || { echo "containerd stub: unsupported: $*" >&2; exit 64; }
# Shaped like the real defaults where host preparation edits them: the runc options, and the registry
# table whose empty config_path (and, in 2.x, the transfer service's) an image mirror fills in.
if [[ "$(cat "$STUB_STATE/containerd-flavor")" == 1.7 ]]; then
  printf '%s\\n' 'version = 2' '[plugins]' '  [plugins."io.containerd.grpc.v1.cri"]' '    sandbox_image = "registry.k8s.io/pause:3.8"' \\
    '    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]' '      BinaryName = ""' '      SystemdCgroup = false' \\
    '    [plugins."io.containerd.grpc.v1.cri".registry]' '      config_path = ""'
else
  printf '%s\\n' 'version = 3' '[plugins]' "  [plugins.'io.containerd.cri.v1.images']" "    [plugins.'io.containerd.cri.v1.images'.pinned_images]" "      sandbox = 'registry.k8s.io/pause:3.10'" \\
    "    [plugins.'io.containerd.cri.v1.images'.registry]" "      config_path = ''" \\
    "  [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]" "    BinaryName = ''" "    ShimCgroup = ''" \\
    "  [plugins.'io.containerd.transfer.v1.local']" "    config_path = ''"
fi`;

export interface SandboxOptions {
  os: "debian" | "rhel" | "arch";
  containerdFlavor?: "1.7" | "2.0";
  /** Versions the Kubernetes repository offers, newest first. */
  repoVersions?: string[];
  /** Packages already installed: name → version. */
  installed?: Record<string, string>;
  zramGenerator?: boolean;
  /**
   * What /sys/fs/cgroup is: the unified hierarchy (cgroup2fs, default, as on current distributions)
   * or cgroup v1's tmpfs. Mounted in the sandbox, so it does not depend on the machine running the tests.
   */
  cgroup?: "v1" | "v2";
}

const osRelease = {
  debian: 'ID=ubuntu\nID_LIKE=debian\nPRETTY_NAME="Ubuntu 24.04 LTS"\n',
  rhel: 'ID="rocky"\nID_LIKE="rhel centos fedora"\nPRETTY_NAME="Rocky Linux 9.5"\n',
  arch: 'ID=arch\nPRETTY_NAME="Arch Linux"\n',
};

/** tmpfs when there is one: unmounting an overlay syncs its upper filesystem, which on disk costs seconds. */
function sandboxParent(): string {
  if (process.env.CLUSTERKIT_SANDBOX_DIR) return process.env.CLUSTERKIT_SANDBOX_DIR;
  try {
    fs.accessSync("/dev/shm", fs.constants.W_OK);
    return "/dev/shm";
  } catch {
    return os.tmpdir();
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class Sandbox {
  readonly root = fs.mkdtempSync(path.join(sandboxParent(), "clusterkit-host-"));
  readonly state = path.join(this.root, "state");
  private runs = 0;

  constructor(opts: SandboxOptions) {
    for (const d of ["bin", "stub-src", "state", "etc-upper", "etc-work", "usl-upper", "usl-work", "sys-module"]) fs.mkdirSync(path.join(this.root, d));
    for (const [name, body] of Object.entries(stubs)) fs.writeFileSync(path.join(this.root, "bin", name), `#!/bin/bash\nset -euo pipefail\n${log}\n${body}\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(this.root, "stub-src", "containerd"), `${containerdStub}\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(this.state, "containerd-flavor"), opts.containerdFlavor ?? "1.7");
    fs.writeFileSync(path.join(this.state, "repo-versions"), (opts.repoVersions ?? ["1.34.1-1.1", "1.34.0-1.1"]).join(" "));
    fs.mkdirSync(path.join(this.state, "pkgs"));
    for (const [p, v] of Object.entries(opts.installed ?? {})) fs.writeFileSync(path.join(this.state, "pkgs", p), `${v}\n`);
    fs.writeFileSync(path.join(this.root, "etc-upper", "os-release"), osRelease[opts.os]);
    fs.writeFileSync(path.join(this.root, "etc-upper", "fstab"), "UUID=1234 / ext4 defaults 0 1\n/swap.img none swap sw 0 0\n");
    fs.writeFileSync(path.join(this.root, "swaps"), "Filename\tType\tSize\tUsed\tPriority\n/swap.img file 1048572 0 -2\n");
    fs.writeFileSync(path.join(this.root, "cgroup"), opts.cgroup ?? "v2");
    if (opts.zramGenerator) fs.writeFileSync(path.join(this.root, "usl-upper", "zram-generator.conf"), "[zram0]\n");
    fs.writeFileSync(
      path.join(this.root, "enter.sh"),
      `set -euo pipefail
R="$1"; shift
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$R/etc-upper,workdir=$R/etc-work" /etc
mount -t overlay overlay -o "lowerdir=/usr/lib/systemd,upperdir=$R/usl-upper,workdir=$R/usl-work" /usr/lib/systemd
mount --bind "$R/sys-module" /sys/module
mount --bind "$R/swaps" /proc/swaps
if [[ "$(cat "$R/cgroup")" == v2 ]]; then mount -t cgroup2 ck-cgroup2 /sys/fs/cgroup; else mount -t tmpfs -o mode=755 ck-cgroup1 /sys/fs/cgroup; fi
export PATH="$R/bin:/usr/sbin:/usr/bin:/sbin:/bin" STUB_STATE="$R/state"
set +e
for f in "$@"; do
  bash "$f" >"$f.out" 2>"$f.err"
  echo "$?" >"$f.code"
done
`,
    );
  }

  /** Runs scripts one after the other in one namespace (entering one costs more than most scripts). */
  async runAll(scripts: string[]): Promise<RunResult[]> {
    const files = scripts.map((text) => {
      const file = path.join(this.root, `script-${++this.runs}.sh`);
      fs.writeFileSync(file, text);
      return file;
    });
    const argv = ["--mount", "--propagation", "private", "bash", path.join(this.root, "enter.sh"), this.root, ...files];
    await new Promise<void>((resolve, reject) => {
      // Generous: only a hung script should hit it, and on a loaded 2-core machine the scenarios
      // running side by side take minutes (each script is a few dozen process starts).
      execFile("unshare", argv, { encoding: "utf8", timeout: 300_000 }, (err, _stdout, stderr) => (err ? reject(new Error(`sandbox failed: ${stderr || err.message}`)) : resolve()));
    });
    return files.map((f) => ({ code: Number(fs.readFileSync(`${f}.code`, "utf8")), stdout: fs.readFileSync(`${f}.out`, "utf8"), stderr: fs.readFileSync(`${f}.err`, "utf8") }));
  }

  async run(scriptText: string): Promise<RunResult> {
    return (await this.runAll([scriptText]))[0];
  }

  /** A file as the scripts see it: the overlay's upper layer, else the real one. */
  etc(rel: string): string | null {
    const upper = path.join(this.root, "etc-upper", rel);
    if (fs.existsSync(upper)) return fs.readFileSync(upper, "utf8");
    return fs.existsSync(path.join("/etc", rel)) ? fs.readFileSync(path.join("/etc", rel), "utf8") : null;
  }

  exists(rel: string): boolean {
    return fs.existsSync(path.join(this.root, rel));
  }

  read(rel: string): string {
    return fs.readFileSync(path.join(this.root, rel), "utf8");
  }

  /** Calls the stubs logged since the last `takeCalls`. */
  takeCalls(): string[] {
    const f = path.join(this.state, "calls.log");
    if (!fs.existsSync(f)) return [];
    const calls = fs.readFileSync(f, "utf8").split("\n").filter(Boolean);
    fs.rmSync(f);
    return calls;
  }

  cleanup(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** Why the sandbox cannot run here, or null when it can. */
export function sandboxUnavailable(): string | null {
  if (process.getuid?.() !== 0) return "the host-script sandbox needs root (mount namespaces and overlays); run npm test as root, as .ci/run does";
  const r = spawnSync("unshare", ["--mount", "--propagation", "private", "true"]);
  if (r.status !== 0) return `unshare --mount failed: ${r.stderr?.toString() ?? r.error?.message}`;
  return null;
}
