/**
 * When each Kubernetes minor clusterkit accepts on EKS leaves EKS standard support (the "Amazon EKS
 * Kubernetes release calendar" of the EKS user guide). A cluster on the STANDARD upgrade policy is
 * upgraded by AWS itself on that day; on EXTENDED it stays, at the extended-support price, for 12
 * more months. Adding a minor to `eksKubernetes` (core/versions.ts) means adding its date here; a
 * test fails until both are done.
 */
export const eksStandardSupportEnds: Readonly<Record<string, string>> = {
  "1.32": "2026-03-23",
  "1.33": "2026-07-29",
  "1.34": "2026-12-02",
  "1.35": "2027-03-27",
};

export function standardSupportEnd(minor: string): string | null {
  return eksStandardSupportEnds[minor] ?? null;
}
