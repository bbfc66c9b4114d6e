/**
 * The stacked etcd of a kubeadm cluster, through etcdctl on a control plane with kubeadm's client
 * certificates. kubeadm hosts rarely have etcdctl installed, so it falls back to the etcdctl inside
 * the etcd container (crictl exec). IDs stay hex strings: etcd's JSON output prints them as
 * uint64 numbers, which JavaScript would round.
 */
import type { RemoteHost } from "../../ssh";
import { SshError, shellQuote } from "../../ssh";

const pki = "/etc/kubernetes/pki/etcd";

/**
 * Runs etcdctl against the local member at the client URL its static pod manifest listens on (as
 * kubeadm writes it: https://127.0.0.1:2379 with client certificates), or at `endpoints` if given.
 * On the host, settings go through ETCDCTL_* variables: etcdctl refuses a flag that shadows a
 * variable, and packaged wrappers often export ETCDCTL_ENDPOINTS.
 */
export const etcdctl = (args: string, endpoints?: string, commandTimeout: string | null = "10s") => `manifest=/etc/kubernetes/manifests/etcd.yaml
url="$(grep -o -- '--listen-client-urls=[^ ]*' "$manifest" 2>/dev/null | head -n 1 | cut -d= -f2 | cut -d, -f1 || true)"
ep=${endpoints ? shellQuote(endpoints) : '"\${url:-https://127.0.0.1:2379}"'}
tls=()
case "$ep" in https://*) tls=(--cacert=${pki}/ca.crt --cert=${pki}/healthcheck-client.crt --key=${pki}/healthcheck-client.key) ;; esac
if command -v etcdctl >/dev/null 2>&1; then
  export ETCDCTL_API=3 ETCDCTL_ENDPOINTS="$ep" ETCDCTL_DIAL_TIMEOUT=3s${commandTimeout ? ` ETCDCTL_COMMAND_TIMEOUT=${commandTimeout}` : ""}
  if [[ \${#tls[@]} -gt 0 ]]; then export ETCDCTL_CACERT=${pki}/ca.crt ETCDCTL_CERT=${pki}/healthcheck-client.crt ETCDCTL_KEY=${pki}/healthcheck-client.key; fi
  etcdctl ${args}
else
  cid="$(crictl ps -q --name '^etcd$' 2>/dev/null | head -n 1)"
  if [[ -z "$cid" ]]; then echo "clusterkit: neither etcdctl nor a running etcd container on this host" >&2; exit 3; fi
  crictl exec "$cid" etcdctl --endpoints="$ep" "\${tls[@]}" --dial-timeout=3s${commandTimeout ? ` --command-timeout=${commandTimeout}` : ""} ${args}
fi`;

export interface EtcdMember {
  /** Hex, as `etcdctl member remove` takes it. */
  id: string;
  started: boolean;
  name: string;
  peerUrls: string[];
  clientUrls: string[];
  learner: boolean;
}

/** Parses `etcdctl member list -w simple`: `id, status, name, peerURLs, clientURLs, isLearner`. */
export function parseMemberList(out: string): EtcdMember[] {
  return out
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [id, status, name, peers, clients, learner] = line.split(/,\s*/);
      return { id, started: status === "started", name: name ?? "", peerUrls: (peers ?? "").split(/\s+/).filter(Boolean), clientUrls: (clients ?? "").split(/\s+/).filter(Boolean), learner: learner === "true" };
    });
}

/** The host of a member URL, without IPv6 brackets; empty when it is not a URL. */
export const hostOf = (url: string) => {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, "");
  } catch {
    return "";
  }
};

/** A started member that votes: a learner kubeadm never promoted does not count for quorum. */
export const isVotingMember = (m: EtcdMember) => m.started && !m.learner;

export function memberAt(members: EtcdMember[], address: string): EtcdMember | undefined {
  return members.find((m) => m.peerUrls.some((u) => hostOf(u) === address));
}

export async function listMembers(cp: RemoteHost, step: string): Promise<EtcdMember[]> {
  return parseMemberList(await cp.read(etcdctl("member list -w simple"), step, 30_000));
}

/**
 * Removes a member. etcd refuses a removal ("unhealthy cluster") while fewer than a quorum of the
 * remaining members have been connected for its health interval (5 s), e.g. just after one came
 * back; nothing changed then, so asking again is safe, as kubeadm does.
 */
export async function removeMember(cp: RemoteHost, id: string, step: string, attempts = 15): Promise<void> {
  for (let i = 1; ; i++) {
    const r = await cp.run(etcdctl(`member remove ${shellQuote(id)}`), { step, mutating: true, timeoutMs: 30_000, okCodes: [0, 1] });
    if (r.code === 0 || /member not found/i.test(r.stderr)) return;
    if (i >= attempts || !/unhealthy cluster/i.test(r.stderr)) {
      throw new SshError({ kind: "command", host: cp.name, address: cp.address, step, message: `etcdctl member remove ${id} failed (exit code ${r.code})`, exitCode: r.code, stderr: r.stderr });
    }
    await new Promise((res) => setTimeout(res, 1000));
  }
}

/** Health of every member's client URL, from one control plane's view. */
export async function memberHealth(cp: RemoteHost, members: EtcdMember[], step: string): Promise<Map<string, boolean>> {
  const health = new Map<string, boolean>();
  await Promise.all(
    members.map(async (m) => {
      if (!m.started || !m.clientUrls.length) return health.set(m.id, false);
      const r = await cp.run(etcdctl("endpoint health", m.clientUrls.join(",")), { step, mutating: false, okCodes: [0, 1], timeoutMs: 30_000 });
      health.set(m.id, r.code === 0);
    }),
  );
  return health;
}

/**
 * Whether removing `target` keeps a quorum of healthy members: after the removal the cluster has
 * n-1 members and needs floor((n-1)/2)+1 of them healthy.
 */
export function quorumAfterRemoval(members: EtcdMember[], health: Map<string, boolean>, target: EtcdMember): { ok: boolean; remaining: number; healthy: number; needed: number } {
  const rest = members.filter((m) => m.id !== target.id);
  const healthy = rest.filter((m) => health.get(m.id)).length;
  const needed = Math.floor(rest.length / 2) + 1;
  return { ok: rest.length > 0 && healthy >= needed, remaining: rest.length, healthy, needed };
}

/**
 * The voting members, those of them healthy, and the majority a quorum needs. A member that
 * passes `endpoint health` (a linearizable read) proves a leader; when fewer than a majority pass,
 * the members' status (served without a leader) tells a lost quorum (no member sees a leader) from
 * health checks failing for another reason, such as a raised alarm.
 */
export interface QuorumState {
  voting: EtcdMember[];
  healthy: EtcdMember[];
  /** Members that answer their status but are not healthy; filled only when fewer than a majority are healthy. */
  running: EtcdMember[];
  /** Whether any member that answers sees a leader. */
  leader: boolean;
  needed: number;
  lost: boolean;
}

export function quorumOf(members: EtcdMember[], health: Map<string, boolean>, status: { running: EtcdMember[]; leader: boolean } = { running: [], leader: false }): QuorumState {
  const voting = members.filter((m) => !m.learner);
  const healthy = voting.filter((m) => health.get(m.id));
  const needed = Math.floor(voting.length / 2) + 1;
  const leader = healthy.length > 0 || status.leader;
  return { voting, healthy, running: status.running, leader, needed, lost: voting.length > 0 && healthy.length < needed && !leader };
}

/** Where the way back from a lost quorum is written down; every refusal for one points there. */
export const quorumRunbook = 'the runbook in the README, "Disaster recovery: restoring etcd"';

/** The refusal of any membership change once etcd has no quorum: only a restore helps then. */
export function quorumLostProblem(q: QuorumState, cluster: string): { message: string; hint: string } {
  const names = (ms: EtcdMember[]) => ms.map((m) => m.name || m.id).sort().join(", ");
  const silent = q.voting.filter((m) => !q.healthy.includes(m) && !q.running.includes(m));
  const parts = [q.running.length ? `running without a leader: ${names(q.running)}` : "", silent.length ? `not answering: ${names(silent)}` : ""].filter(Boolean);
  return {
    message: `etcd of ${cluster} has lost its quorum: no member has a leader, ${q.voting.length - silent.length} of ${q.voting.length} members answer, and a quorum needs ${q.needed} (${parts.join("; ")}); etcd accepts no write, and no member can be added or removed until it has a quorum again`,
    hint: `bring enough of the members back, or restore etcd from a snapshot onto the control planes that are left, as ${quorumRunbook}, shows: clusterkit etcd restore --stack <stack> --snapshot <bundle> --confirm ${cluster}, then pulumi up`,
  };
}

/**
 * The members, their health, and whether etcd has lost its quorum, also when it has: from etcd 3.5
 * a plain member list is linearizable and fails without a leader, so it is asked serializably
 * (3.4's etcdctl has no --consistency, and its member list is served locally anyway).
 */
export async function quorumState(cp: RemoteHost, step: string): Promise<{ members: EtcdMember[]; health: Map<string, boolean>; quorum: QuorumState }> {
  const r = await cp.run(etcdctl("member list -w simple --consistency=s"), { step, mutating: false, okCodes: [0, 1], timeoutMs: 30_000 });
  const members = r.code === 0 ? parseMemberList(r.stdout) : await listMembers(cp, step);
  const health = await memberHealth(cp, members, step);
  let quorum = quorumOf(members, health);
  if (quorum.healthy.length < quorum.needed) {
    const seen = await Promise.all(
      quorum.voting.filter((m) => !health.get(m.id) && m.clientUrls.length).map(async (m) => {
        const s = await cp.run(etcdctl("endpoint status -w json", m.clientUrls.join(",")), { step, mutating: false, okCodes: [0, 1], timeoutMs: 30_000 });
        return s.code === 0 ? { m, leader: /"leader":[1-9]/.test(s.stdout) } : null;
      }),
    );
    const answered = seen.filter((x): x is { m: EtcdMember; leader: boolean } => !!x);
    quorum = quorumOf(members, health, { running: answered.map((x) => x.m), leader: answered.some((x) => x.leader) });
  }
  return { members, health, quorum };
}

/** Parses `etcdctl alarm list`: one `memberID:<id> alarm:<NOSPACE|CORRUPT>` line per raised alarm. */
export function parseAlarms(out: string): { memberId: string; alarm: string }[] {
  return [...out.matchAll(/^memberID:(\S+)\s+alarm:(\S+)/gm)].map((m) => ({ memberId: m[1], alarm: m[2] }));
}

/** The alarms etcd has raised (cluster-wide: any member answers for all). */
export async function listAlarms(cp: RemoteHost, step: string): Promise<{ memberId: string; alarm: string }[]> {
  return parseAlarms(await cp.read(etcdctl("alarm list"), step, 30_000));
}

/**
 * The directory kubeadm's etcd static pod mounts from the host (its data dir): the one place an
 * etcdctl inside the container can write to that the host can read.
 */
export const etcdDataDir = "/var/lib/etcd";

/**
 * Saves a snapshot of etcd to `file` on this control plane (mode 0600). It is written into the
 * data dir first, since etcdctl may run inside the etcd container, which sees nothing else of the
 * host, then moved. No command timeout: a large database takes as long as it takes.
 */
export async function saveSnapshot(cp: RemoteHost, file: string, step: string): Promise<void> {
  const part = `${etcdDataDir}/clusterkit-snapshot.db`;
  await cp.run(
    `install -d -m 0700 "$(dirname ${shellQuote(file)})"
{
${etcdctl(`snapshot save ${part}`, undefined, null)}
} >/dev/null
chmod 0600 ${part}
mv -f ${part} ${shellQuote(file)}`,
    { step, mutating: true, timeoutMs: 30 * 60_000 },
  );
}
