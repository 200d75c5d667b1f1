/**
 * Figures for the automation benchmark: round trips to PostgreSQL (every statement node-postgres
 * sends from this process — ours and pg-boss's), and the CPU PostgreSQL's backends used. On a
 * loaded machine steps/s says little; these say what a step costs.
 */
import { readFileSync, readdirSync } from 'node:fs';
import pg from 'pg';
import type { Database } from '../../src/cloud/db';

type Counted = { total: number; byKind: Record<string, number> };

/** What a statement is, for the breakdown: transaction control, pg-boss, or the table it touches. */
function kindOf(sql: string): string {
  const text = sql.trim();
  if (/^(BEGIN|COMMIT|ROLLBACK)/i.test(text)) return text.split(/\s/)[0]!.toUpperCase();
  if (/pgboss/i.test(text)) return 'pg-boss';
  const table = /\b(?:FROM|INTO|UPDATE)\s+([a-z_]+)/i.exec(text);
  return `${text.split(/\s/)[0]!.toUpperCase()} ${table?.[1] ?? ''}`.trim();
}

/** Counts statements sent through node-postgres until `stop()` (patches pg.Client's query). */
export function countRoundTrips(): { stop(): Counted } {
  const counted: Counted = { total: 0, byKind: {} };
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    const sql = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '');
    counted.total += 1;
    const kind = kindOf(sql);
    counted.byKind[kind] = (counted.byKind[kind] ?? 0) + 1;
    return original.apply(this, args);
  };
  return {
    stop() {
      proto.query = original;
      return counted;
    },
  };
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

function cpuOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime
  } catch {
    return 0; // exited
  }
}

/** CPU ms used so far by the PostgreSQL server's processes (the postmaster's children). */
export async function postgresCpuMs(db: Database): Promise<number> {
  const rows = await db.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`);
  const stat = readFileSync(`/proc/${rows[0]!.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const postmaster = Number(stat[1]);
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ');
      if (Number(fields[1]) === postmaster) total += cpuOf(Number(entry));
    } catch {
      // gone
    }
  }
  return total;
}
