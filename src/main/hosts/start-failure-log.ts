import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where a failed start's details go: beside the settings, where support can ask for it. */
export const startFailureLogFile = (userDataDir: string): string => join(userDataDir, 'logs', 'startup-errors.log');

/** The error with its stack and causes, for the log only (the receptionist sees start-failure.ts's words). */
function details(error: unknown): string {
  const lines: string[] = [];
  for (let current = error, depth = 0; current !== undefined && depth < 5; depth++) {
    lines.push(depth === 0 ? '' : 'Caused by:', current instanceof Error ? (current.stack ?? current.message) : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return lines.filter(Boolean).join('\n');
}

/** Appends the failure to the log file; a log that cannot be written must not hide the failure itself. */
export function writeStartFailureLog(file: string, error: unknown, now = new Date()): boolean {
  try {
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, `--- ${now.toISOString()} the softphone could not start\n${details(error)}\n`, { mode: 0o600 });
    return true;
  } catch {
    return false;
  }
}
