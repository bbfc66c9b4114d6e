// The same host-preparation step list as an Ansible playbook: detect the OS, then per step its
// check, its apply when the check says so, and the check again. Run with ansible-playbook against
// the fake hosts, pinned host keys, pipelining on, ControlPersist, one fork per host.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import type { Fleet } from "../hosts/harness";
import type { HostStepSpec } from "../../providers/kubeadm/types";

export function playbook(detectOs: string, steps: HostStepSpec[]): object[] {
  const shell = (script: string) => ({ "ansible.builtin.shell": { cmd: script, executable: "/bin/bash" } });
  const tasks: object[] = [{ name: "detect-os", ...shell(detectOs), changed_when: false }];
  steps.forEach((s, i) => {
    const reg = `check_${i}`;
    tasks.push(
      { name: `${s.name}: check`, ...shell(s.check), register: reg, failed_when: `${reg}.rc not in [0, 1]`, changed_when: false },
      { name: `${s.name}: apply`, ...shell(s.apply), when: `${reg}.rc == 1` },
      { name: `${s.name}: verify`, ...shell(s.check), when: `${reg}.rc == 1`, changed_when: false },
    );
  });
  return [{ name: "prepare hosts", hosts: "all", gather_facts: false, strategy: "free", tasks }];
}

export interface AnsibleRun {
  ms: number;
  ok: boolean;
  output: string;
}

export function runAnsible(fleet: Fleet, detectOs: string, steps: HostStepSpec[]): AnsibleRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ck-bench-ansible-"));
  try {
    const known = path.join(dir, "known_hosts");
    fs.writeFileSync(known, fleet.hosts.map((h) => `${h.address} ${h.hostKeyPublic.split(/\s+/).slice(0, 2).join(" ")}\n`).join(""));
    fs.writeFileSync(
      path.join(dir, "inventory.ini"),
      `[all]\n${fleet.hosts.map((h) => `${h.name} ansible_host=${h.address} ansible_user=root ansible_python_interpreter=/usr/bin/python3`).join("\n")}\n`,
    );
    fs.mkdirSync(path.join(dir, "cp"));
    fs.writeFileSync(
      path.join(dir, "ansible.cfg"),
      [
        "[defaults]",
        `forks = ${fleet.hosts.length}`,
        "host_key_checking = True",
        "retry_files_enabled = False",
        "interpreter_python = /usr/bin/python3",
        `private_key_file = ${fleet.clientKey.privateKeyPath}`,
        "",
        "[ssh_connection]",
        "pipelining = True",
        `control_path_dir = ${path.join(dir, "cp")}`,
        "control_path = %(directory)s/%%C",
        `ssh_args = -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=${known} -o StrictHostKeyChecking=yes`,
        "",
      ].join("\n"),
    );
    fs.writeFileSync(path.join(dir, "playbook.yml"), stringify(playbook(detectOs, steps)));
    const t0 = Date.now();
    const r = spawnSync("ansible-playbook", ["-i", "inventory.ini", "playbook.yml"], { cwd: dir, env: { ...process.env, ANSIBLE_CONFIG: path.join(dir, "ansible.cfg") }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const ms = Date.now() - t0;
    // Close the ControlPersist masters so nothing outlives the fleet.
    for (const h of fleet.hosts) spawnSync("ssh", ["-o", `ControlPath=${path.join(dir, "cp")}/%C`, "-O", "exit", `root@${h.address}`], { stdio: "ignore" });
    return { ms, ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
