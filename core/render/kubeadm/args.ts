/** kubeadm v1beta4 `extraArgs` / `kubeletExtraArgs`: a list of `{name, value}`, no longer a map. */

export interface Arg {
  name: string;
  value: string;
}

export function args(entries: Record<string, string | number | boolean>): Arg[] {
  return Object.entries(entries).map(([name, value]) => ({ name, value: String(value) }));
}
