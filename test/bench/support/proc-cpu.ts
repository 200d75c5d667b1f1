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

/** The PostgreSQL cluster listening on `port`: its postmaster and every backend it forked. */
export function postgresPids(port: number): number[] {
  let pids: number[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  } catch {
    return [];
  }
  const cmdline = (pid: number): string => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      return '';
    }
  };
  const postmaster = pids.find((pid) => /postgres/.test(cmdline(pid)) && new RegExp(`-p ${port}\\b`).test(cmdline(pid)));
  if (postmaster === undefined) return [];
  return [postmaster, ...pids.filter((pid) => statFields(pid)?.[1] === String(postmaster))];
}

/** CPU (ms) of a set of processes; backends that exited since are simply not counted. */
export function cpuMsOf(pids: readonly number[]): number {
  return pids.map(processCpuMs).filter((v) => !Number.isNaN(v)).reduce((a, b) => a + b, 0);
}
