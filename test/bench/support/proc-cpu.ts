import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time spent by processes, read from Linux's /proc (user + system). A benchmark prints it per
 * request for the server, the database and the load generator, so a reader can tell which of them
 * ran out of CPU — figures that hold on a loaded machine, unlike latencies.
 */

/** Clock ticks per second of /proc/<pid>/stat's utime/stime (USER_HZ; 100 on every Linux we run on). */
const TICKS_PER_SECOND = 100;

/** Fields of /proc/<pid>/stat after the command name (which may contain spaces and parentheses). */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null; // gone, or not Linux
  }
}

/** User + system CPU of one process (all its threads) in ms; NaN when it cannot be read. */
export function processCpuMs(pid: number): number {
  const f = statFields(pid);
  // After ")": state(0) ppid(1) … utime(11) stime(12).
  return f ? ((Number(f[11]) + Number(f[12])) * 1000) / TICKS_PER_SECOND : NaN;
}

function allPids(): number[] {
  try {
    return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  } catch {
    return []; // not Linux
  }
}

/** The command line of a process ('' when gone). */
export function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** The PostgreSQL cluster listening on `port`: its postmaster and every backend it forked. */
export function postgresPids(port: number): number[] {
  const pids = allPids();
  const postmaster = pids.find((pid) => /postgres/.test(cmdline(pid)) && new RegExp(`-p ${port}\\b`).test(cmdline(pid)));
  if (postmaster === undefined) return [];
  return [postmaster, ...pids.filter((pid) => statFields(pid)?.[1] === String(postmaster))];
}

/**
 * The processes this one started whose command line matches `command` (e.g. the Chromium that
 * Playwright launched), with every process descended from them (Chromium's zygotes, renderers, GPU
 * and utility processes).
 */
export function childTrees(command: RegExp, parent: number = process.pid): number[] {
  const pids = allPids();
  const children = new Map<number, number[]>();
  for (const pid of pids) {
    const ppid = Number(statFields(pid)?.[1]);
    if (Number.isInteger(ppid)) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const tree: number[] = [];
  const visit = (pid: number): void => {
    tree.push(pid);
    for (const child of children.get(pid) ?? []) visit(child);
  };
  for (const root of children.get(parent) ?? []) if (command.test(cmdline(root))) visit(root);
  return tree;
}

/** CPU (ms) of each process by pid, to tell what a set of processes used between two readings. */
export function cpuByPid(pids: readonly number[]): Map<number, number> {
  return new Map(pids.map((pid) => [pid, processCpuMs(pid)] as const).filter(([, ms]) => !Number.isNaN(ms)));
}

/**
 * CPU (ms) each process in `after` used since `before` was read: a process started in between
 * counts from nothing; one gone by `after` is not counted (its last moments are lost).
 */
export function cpuUsedSince(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): Map<number, number> {
  const used = new Map<number, number>();
  for (const [pid, ms] of after) {
    const base = before.get(pid);
    used.set(pid, base !== undefined && base <= ms ? ms - base : ms); // a smaller reading: the pid was reused
  }
  return used;
}

/** CPU (ms) of a set of processes; backends that exited since are simply not counted. */
export function cpuMsOf(pids: readonly number[]): number {
  return pids.map(processCpuMs).filter((v) => !Number.isNaN(v)).reduce((a, b) => a + b, 0);
}
