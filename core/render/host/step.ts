/** One idempotent host-preparation step (the k0sctl phase style): a read-only check and an apply. */

export interface HostStep {
  /** Stable name, e.g. `swap-off`; also the file stem in `clusterkit plan --out` (`hosts/<name>.check.sh`). */
  name: string;
  /** One line for logs and errors. */
  description: string;
  /** Read-only. Exit 0: already done; 1: needs to run; 2: unsupported host; anything else: error. */
  check: string;
  /** Idempotent; run only when `check` exits 1, then `check` must exit 0. */
  apply: string;
}
