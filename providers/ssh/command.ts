/**
 * Turns a shell script into the command line sent over SSH: run as root (through `sudo -n` for
 * other users, which fails instead of prompting), under a remote `timeout` so a command we gave up
 * on does not keep running, in bash with errexit and pipefail.
 */

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface WrapOptions {
  /** Run through sudo (the SSH user is not root and the command needs root). */
  sudo: boolean;
  timeoutSec: number;
}

export function wrapCommand(script: string, opts: WrapOptions): string {
  const body = `bash -c ${shellQuote(`set -eo pipefail\n${script}`)}`;
  // -k: a command that ignores TERM is killed 5 s later.
  const timed = `timeout -k 5 ${Math.max(1, Math.ceil(opts.timeoutSec))} ${body}`;
  return opts.sudo ? `sudo -n -- ${timed}` : timed;
}

/** The probe run once per connection for non-root users. */
export const sudoProbe = "sudo -n true";

/** sudo's own complaints, as opposed to the command's output. */
export function isSudoRefusal(stderr: string): boolean {
  return /^(sudo: .*(password is required|may not run sudo|is not allowed to execute|a terminal is required)|.*is not in the sudoers file)/m.test(stderr);
}
