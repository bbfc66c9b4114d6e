/**
 * Before a control plane is taken out for disruptive work: etcd has no learner (a join that did
 * not finish), every member is healthy, there is one voting member per control plane and no alarm
 * is raised. Taking out one member then leaves a quorum.
 */
import { isVotingMember, listAlarms, listMembers, memberHealth } from "../cluster/etcd";
import type { RemoteHost } from "../../ssh";
import { etcdAlarmProblem, type Refusal } from "./upgrade/checks";

export interface GateWords {
  /** What to do about a learner. */
  learnerHint: string;
  /** "upgrade", and "upgrading", for the hints. */
  verb: string;
  gerund: string;
}

export async function etcdGateProblem(host: RemoteHost, controlPlanes: number, step: string, words: GateWords): Promise<Refusal | null> {
  const members = await listMembers(host, step);
  const learners = members.filter((m) => m.learner);
  if (learners.length) return { message: `etcd has learner member(s) ${learners.map((m) => m.name || m.id).join(", ")}: a join did not finish`, hint: words.learnerHint };
  const health = await memberHealth(host, members, step);
  const sick = members.filter((m) => !health.get(m.id));
  if (sick.length) return { message: `etcd member(s) not healthy: ${sick.map((m) => m.name || m.id).join(", ")}`, hint: `bring them back (or remove their control planes from the inventory), then ${words.verb}` };
  const voting = members.filter(isVotingMember).length;
  if (voting !== controlPlanes) return { message: `etcd has ${voting} voting member(s) but the cluster has ${controlPlanes} control plane(s)`, hint: `remove stale etcd members (a control plane removed outside clusterkit) before ${words.gerund}` };
  return etcdAlarmProblem(await listAlarms(host, step), members);
}
