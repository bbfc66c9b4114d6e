/**
 * One interface over the two OS families clusterkit prepares: Debian/Ubuntu (apt, dpkg) and the
 * RHEL family (dnf, rpm). Each method returns a shell fragment for one `case "$OS_FAMILY"`
 * branch; steps never spell package-manager commands themselves.
 */
import { heredoc, shQuote } from "./shell";

export type OsFamilyId = "debian" | "rhel";

/** The Kubernetes package source: pkgs.k8s.io or a mirror with the same `v1.NN/{deb,rpm}` layout. */
export interface KubernetesPackages {
  /** Base URL without trailing slash, e.g. `https://pkgs.k8s.io/core:/stable:`. */
  base: string;
  minor: string;
  version: string;
}

export const kubernetesPackageNames = ["kubelet", "kubeadm", "kubectl"] as const;
export type KubernetesPackage = (typeof kubernetesPackageNames)[number];

export interface OsFamily {
  id: OsFamilyId;
  /** Prints the installed upstream version (`1.34.1`, no packaging revision) of package "$pkg", or nothing. */
  installedVersion: string;
  /** Installs distro packages. */
  installPackages(pkgs: string[]): string;
  /** Points the package manager at the Kubernetes repository for this minor. */
  kubernetesRepo(src: KubernetesPackages): string;
  /** Installs kubelet, kubeadm and kubectl at exactly `src.version`. */
  installKubernetes(src: KubernetesPackages): string;
  /** Moves the given Kubernetes packages to exactly `src.version` past their hold, then holds them again (an upgrade's step). */
  upgradeKubernetes(src: KubernetesPackages, pkgs: readonly KubernetesPackage[]): string;
  /** Keeps the package manager from upgrading them. */
  holdKubernetes: string;
  /** Exit 0 when they are held. */
  kubernetesHeld: string;
  /** Installs containerd from the OS (Debian/Ubuntu) or Docker's repository at `dockerBase` (RHEL ships none). */
  installContainerd(dockerBase: string): string;
  /** Package manager proxy: exit-0 test that it is configured, and the commands that configure it. */
  packageProxy(url: string): { check: string; apply: string };
  /** Updates every installed package that is not held (the Kubernetes packages stay where they are). */
  patchPackages: string;
  /** Exits 0 when no reboot is needed for the updates installed since boot, 1 when one is, 3 when it cannot tell. */
  rebootRequired: string;
}

const apt = "DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=300";
const aptKeyring = "/etc/apt/keyrings/kubernetes-apt-keyring.gpg";
const aptSource = "/etc/apt/sources.list.d/kubernetes.list";
const aptProxyConf = "/etc/apt/apt.conf.d/95clusterkit-proxy";
const names = kubernetesPackageNames.join(" ");

/** Fills pins=() with pkg=<the repository's build of exactly src.version> for each package, or fails naming the one missing. */
const aptPins = (pkgs: readonly string[], src: KubernetesPackages) => `repo=${shQuote(`${src.base}/v${src.minor}/deb/`)}
want=${shQuote(src.version)}
pins=()
wanted=(${pkgs.join(" ")})
for pkg in "\${wanted[@]}"; do
  # The packaging revision (e.g. -1.1) is whatever the repository has for this exact version.
  pkgver="$(apt-cache madison "$pkg" | awk -v want="$want" 'index($3, want "-") == 1 { print $3; exit }')"
  if [[ -z "$pkgver" ]]; then
    echo "clusterkit: $pkg $want is not in $repo" >&2
    exit 1
  fi
  pins+=("$pkg=$pkgver")
done`;

export const debian: OsFamily = {
  id: "debian",
  installedVersion: `# \${...} below is dpkg-query's format, not the shell's.
# shellcheck disable=SC2016
{ dpkg-query -W -f='\${db:Status-Status} \${Version}\\n' "$pkg" 2>/dev/null || true; } | awk '$1 == "installed" { sub(/-.*/, "", $2); print $2 }'`,
  installPackages: (pkgs) => `${apt} update\n${apt} install --no-install-recommends ${pkgs.join(" ")}`,
  kubernetesRepo: (src) => {
    const url = `${src.base}/v${src.minor}/deb/`;
    return [
      `${apt} update`,
      `${apt} install --no-install-recommends ca-certificates curl gpg`,
      `install -d -m 0755 /etc/apt/keyrings`,
      `curl -fsSL ${shQuote(`${url}Release.key`)} | gpg --dearmor --batch --yes -o ${aptKeyring}.new`,
      `chmod 0644 ${aptKeyring}.new`,
      `mv -f ${aptKeyring}.new ${aptKeyring}`,
      heredoc(`write_file ${aptSource} 0644`, `deb [signed-by=${aptKeyring}] ${url} /`),
      `${apt} update`,
    ].join("\n");
  },
  installKubernetes: (src) => `${aptPins(names.split(" "), src)}
${apt} install --no-install-recommends "\${pins[@]}"`,
  upgradeKubernetes: (src, pkgs) => `${aptPins(pkgs, src)}
apt-mark unhold ${pkgs.join(" ")} >/dev/null
${apt} install --no-install-recommends --allow-change-held-packages "\${pins[@]}"
apt-mark hold ${pkgs.join(" ")} >/dev/null`,
  holdKubernetes: `apt-mark hold ${names} >/dev/null`,
  kubernetesHeld: `[[ "$(apt-mark showhold | grep -cxE 'kubelet|kubeadm|kubectl')" -eq 3 ]]`,
  installContainerd: () => `${apt} update\n${apt} install --no-install-recommends containerd`,
  // `upgrade --with-new-pkgs` installs what an update newly needs (a new kernel's image) and never
  // removes a package, which dist-upgrade may; held packages stay. A run cut off mid-way leaves
  // dpkg half-configured, and apt refuses to go on until that is finished.
  patchPackages: `if [[ -n "$(dpkg --audit 2>/dev/null || true)" ]]; then
  DEBIAN_FRONTEND=noninteractive dpkg --force-confdef --force-confold --configure -a
fi
${apt} update
${apt} -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold upgrade --with-new-pkgs`,
  // Written by the packages that need one (a kernel, libc, systemd); /run is emptied at boot.
  rebootRequired: `if [[ -e /var/run/reboot-required ]]; then
  echo "clusterkit: /var/run/reboot-required: $(tr '\\n' ' ' </var/run/reboot-required.pkgs 2>/dev/null || true)"
  exit 1
fi`,
  packageProxy: (url) => {
    const content = `Acquire::http::Proxy "${url}";\nAcquire::https::Proxy "${url}";\n`;
    return { check: heredoc(`file_is ${aptProxyConf} 0644`, content), apply: heredoc(`write_file ${aptProxyConf} 0644`, content) };
  },
};

const dnf = "dnf -y -q";
const rpmRepo = "/etc/yum.repos.d/kubernetes.repo";
const rpmExclude = `exclude=${names} cri-tools kubernetes-cni`;
const dockerRepo = "/etc/yum.repos.d/docker-ce.repo";

export const rhel: OsFamily = {
  id: "rhel",
  installedVersion: `if rpm -q --quiet "$pkg"; then rpm -q --qf '%{VERSION}\\n' "$pkg"; fi`,
  installPackages: (pkgs) => `${dnf} install ${pkgs.join(" ")}`,
  kubernetesRepo: (src) => {
    const url = `${src.base}/v${src.minor}/rpm/`;
    // `exclude` is the hold: dnf upgrades skip these unless --disableexcludes=kubernetes is given.
    return heredoc(
      `write_file ${rpmRepo} 0644`,
      `[kubernetes]\nname=Kubernetes v${src.minor}\nbaseurl=${url}\nenabled=1\ngpgcheck=1\ngpgkey=${url}repodata/repomd.xml.key\n${rpmExclude}`,
    );
  },
  installKubernetes: (src) => `${dnf} install --disableexcludes=kubernetes ${kubernetesPackageNames.map((p) => shQuote(`${p}-${src.version}`)).join(" ")}`,
  upgradeKubernetes: (src, pkgs) => `${dnf} install --disableexcludes=kubernetes ${pkgs.map((p) => shQuote(`${p}-${src.version}`)).join(" ")}`,
  holdKubernetes: `: # held by the exclude= line of ${rpmRepo}`,
  // The exclude= line of the Kubernetes repository keeps kubelet, kubeadm and kubectl out of it.
  patchPackages: `${dnf} upgrade --refresh`,
  // dnf-plugins-core: exit 1 and "Reboot is required" when a core package (kernel, glibc, systemd, ...) changed since boot.
  rebootRequired: `set +e
out="$(dnf -q needs-restarting -r 2>&1)"
rc=$?
set -e
if [[ $rc -eq 0 ]]; then exit 0; fi
printf '%s\\n' "$out"
if [[ $rc -eq 1 ]] && grep -q 'Reboot is required' <<<"$out"; then exit 1; fi
exit 3`,
  kubernetesHeld: `grep -qxF ${shQuote(rpmExclude)} ${rpmRepo}`,
  installContainerd: (dockerBase) => `docker_os=rhel
# shellcheck source=/dev/null
if [[ "$(. /etc/os-release && printf '%s' "\${ID:-}")" == fedora ]]; then docker_os=fedora; fi
install -d -m 0755 /etc/yum.repos.d
printf '%s\\n' '[docker-ce-stable]' 'name=Docker CE Stable' \\
  ${shQuote(`baseurl=${dockerBase}/`)}"\${docker_os}/\\$releasever/\\$basearch/stable" \\
  'enabled=1' 'gpgcheck=1' ${shQuote(`gpgkey=${dockerBase}/`)}"\${docker_os}/gpg" >${dockerRepo}.clusterkit.new
write_file ${dockerRepo} 0644 <${dockerRepo}.clusterkit.new
rm -f ${dockerRepo}.clusterkit.new
${dnf} install containerd.io`,
  packageProxy: (url) => {
    const line = `proxy=${url}`;
    return {
      check: `grep -qxF ${shQuote(line)} /etc/dnf/dnf.conf`,
      // Replaces any proxy= line and puts ours right under [main] (dnf reads proxy only from there).
      apply: `install -d -m 0755 /etc/dnf
{ cat /etc/dnf/dnf.conf 2>/dev/null || true; } | awk -v line=${shQuote(line)} '
  /^proxy=/ { next }
  { print }
  /^\\[main\\]/ && !done { print line; done = 1 }
  END { if (!done) { print "[main]"; print line } }
' >/etc/dnf/dnf.conf.clusterkit.new
write_file /etc/dnf/dnf.conf 0644 </etc/dnf/dnf.conf.clusterkit.new
rm -f /etc/dnf/dnf.conf.clusterkit.new`,
    };
  },
};

export const osFamilies: Record<OsFamilyId, OsFamily> = { debian, rhel };
