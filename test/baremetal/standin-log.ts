// Which stand-in invocations change a host. Unknown tools and verbs count as mutating, so a
// new kind of call can only make the "no mutating command" assertions stricter.
import type { StandinCall } from "../hosts/harness";

/** Flags that take the next argument as their value (when not written `--flag=value`). */
const valueFlags = new Set(["--kubeconfig", "-n", "--namespace", "-o", "--output", "--context", "--config", "--endpoints", "-w", "--write-out", "--server", "-s"]);

/** The subcommand: the first argument that is neither a flag nor a flag's value. */
const firstWord = (argv: string[]) => {
  for (let i = 0; i < argv.length; i++) {
    if (valueFlags.has(argv[i])) i++;
    else if (!argv[i].startsWith("-")) return argv[i];
  }
  return "";
};

const readOnly: Record<string, (argv: string[]) => boolean> = {
  kubeadm: (a) => firstWord(a) === "version" || (a[0] === "token" && a[1] === "list") || (a[0] === "config" && a[1] === "print") || (a[0] === "certs" && a[1] === "check-expiration") || (a[0] === "upgrade" && a[1] === "plan"),
  kubectl: (a) => ["get", "version", "describe", "cluster-info", "api-resources", "auth", "config"].includes(firstWord(a)),
  crictl: (a) => ["ps", "logs", "inspect", "images", "pods", "info", "version"].includes(firstWord(a)) || (firstWord(a) === "exec" && a.includes("etcdctl") && readOnly.etcdctl(a.slice(a.indexOf("etcdctl") + 1))),
  df: () => true,
  kubelet: (a) => a.includes("--version") || a[0] === "version",
  systemctl: (a) => ["is-active", "is-enabled", "is-failed", "status", "show", "cat", "list-units", "list-unit-files"].includes(firstWord(a)),
  "apt-mark": (a) => firstWord(a) === "showhold",
  "apt-get": (a) => ["check", "changelog"].includes(firstWord(a)) || a.includes("-s") || a.includes("--simulate"),
  apt: (a) => ["list", "show", "policy", "search"].includes(firstWord(a)),
  "apt-cache": () => true,
  "dpkg-query": () => true,
  dpkg: (a) => a.some((x) => ["-l", "--list", "-s", "--status", "-L", "--listfiles", "-S", "--search", "--print-architecture", "--get-selections"].includes(x)),
  rpm: (a) => a.some((x) => x === "--query" || /^-q/.test(x)),
  dnf: (a) => ["list", "info", "repolist", "repoquery"].includes(firstWord(a)),
  yum: (a) => ["list", "info", "repolist"].includes(firstWord(a)),
  modprobe: (a) => a.some((x) => ["-n", "--dry-run", "--show-depends", "-c", "--showconfig"].includes(x)),
  sysctl: (a) => !a.some((x) => ["--system", "-p", "--load", "-w", "--write"].includes(x) || x.includes("=")),
  swapoff: () => false,
  containerd: (a) => (a[0] === "config" && (a[1] === "default" || a[1] === "dump")) || a.includes("--version") || a[0] === "-v",
  etcdctl: (a) => !a.some((x) => ["add", "remove", "update", "promote", "put", "del", "defrag", "compact", "snapshot"].includes(x)),
};

export function isMutating(call: StandinCall): boolean {
  const ro = readOnly[call.tool];
  return !ro || !ro(call.argv);
}

export const describeCall = (c: StandinCall) => `${c.tool} ${c.argv.join(" ")}`;
