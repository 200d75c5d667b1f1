import { EmbeddedStartError, type EmbeddedStartStage } from '../embedded/start-error';

/** What the receptionist is told when the softphone cannot start: the cause in words, what to do, no stack, no secret. */
export interface StartFailure {
  title: string;
  cause: string;
  whatToDo: string[];
}

/** What the host does after telling: start again, show the log file, or give up. */
export type StartFailureChoice = 'retry' | 'show-log' | 'quit';

/** The buttons of the desktop's start-failure window, in order; `startFailureChoice` reads the answer. */
export const START_FAILURE_BUTTONS = ['Retry', 'Show the log', 'Quit'] as const;

export function startFailureChoice(buttonIndex: number): StartFailureChoice {
  return buttonIndex === 0 ? 'retry' : buttonIndex === 1 ? 'show-log' : 'quit';
}

/** The first system error code (EADDRINUSE, EACCES…) along the error's cause chain. */
function systemCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  }
  return undefined;
}

function innermost(error: unknown): unknown {
  let current = error;
  for (let depth = 0; current instanceof EmbeddedStartError && depth < 5; depth++) current = current.cause;
  return current;
}

/** One line of an error's own words: no stack, credentials in URLs masked, bounded. */
export function shortReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split('\n')[0]!.trim().replace(/\/\/[^/@\s]+@/g, '//…@');
  return line.length > 200 ? `${line.slice(0, 199)}…` : line || 'no reason was given';
}

/** Where the failure is shown: a window with Retry (Electron), or a terminal (the browser host exits). */
export type StartFailureHost = 'window' | 'terminal';

const retryStep = (host: StartFailureHost): string =>
  host === 'window' ? 'Press Retry. If it happens again, quit the softphone and open it again.' : 'Start the softphone again. If it happens again, restart the computer and try once more.';
const ANOTHER_COPY = 'If another copy of the softphone is open (or a browser host started from a terminal), quit it first.';

function portProblem(code: string | undefined): string | undefined {
  if (code === 'EADDRINUSE') return 'a local network port it needs is already in use';
  if (code === 'EACCES' || code === 'EPERM') return 'it was not allowed to open a local network port';
  return undefined;
}

function folderProblem(code: string | undefined, dataDir: string): Pick<StartFailure, 'title' | 'cause'> | undefined {
  if (code === 'ENOSPC') return { title: 'The disk is full', cause: `The softphone cannot write its data folder (${dataDir}): there is no space left on the disk.` };
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return { title: 'The softphone cannot use its data folder', cause: `It is not allowed to read or write ${dataDir}.` };
  }
  return undefined;
}

function embeddedFailure(stage: EmbeddedStartStage, dataDir: string, cause: unknown, host: StartFailureHost): StartFailure {
  const retry = retryStep(host);
  const code = systemCode(cause);
  const reason = shortReason(cause);
  const folder = folderProblem(code, dataDir);
  if (folder && (stage === 'database' || stage === 'files' || stage === 'mail')) {
    return { ...folder, whatToDo: [code === 'ENOSPC' ? 'Free some space on the disk, then try again.' : 'Make sure your user account can read and write that folder, then try again.'] };
  }
  switch (stage) {
    case 'load':
      return {
        title: 'Part of the softphone could not be loaded',
        cause: `The app's files look incomplete (${reason}).`,
        whatToDo: ['Quit the softphone and open it again.', 'If this keeps happening, install Aesthetix Softphone again.'],
      };
    case 'database':
      return {
        title: 'The demo practice’s data folder is damaged',
        cause: `Its database could not be opened (${reason}). The folder is ${dataDir}.`,
        whatToDo: [
          ANOTHER_COPY,
          retry,
          'Nothing in the folder has been deleted. To start over with a fresh demo practice, quit, move or rename that folder, and open the softphone again.',
        ],
      };
    case 'cloud': {
      const name = cause instanceof Error ? cause.name : '';
      if (name === 'FutureSchemaError') {
        return {
          title: 'The demo practice’s data is from a newer version',
          cause: `The data in ${dataDir} was written by a newer Aesthetix Softphone than this one.`,
          whatToDo: ['Install the newer version again.', 'Nothing in the folder has been deleted. To start over with this version, quit, move or rename that folder, and open the softphone again.'],
        };
      }
      if (name === 'ConfigError') {
        return { title: 'A setting is not valid', cause: `The built-in cloud refused its settings (${reason}).`, whatToDo: ['Correct the setting named here and open the softphone again.'] };
      }
      const port = portProblem(code);
      if (port) return { title: 'The built-in cloud could not start', cause: `It could not start because ${port}.`, whatToDo: [ANOTHER_COPY, retry] };
      return {
        title: 'The built-in cloud could not start',
        cause: `It stopped while starting, or while bringing the demo practice’s database up to date (${reason}). The data folder is ${dataDir}; nothing in it has been deleted.`,
        whatToDo: [ANOTHER_COPY, retry],
      };
    }
    case 'sandbox':
    case 'mail': {
      const what = stage === 'sandbox' ? 'The built-in Twilio sandbox' : 'The built-in mail catcher (for sign-in codes)';
      return { title: `${what} could not start`, cause: `It could not start because ${portProblem(code) ?? `of an error (${reason})`}.`, whatToDo: [ANOTHER_COPY, retry] };
    }
    case 'files':
      return { title: 'The softphone could not write its data folder', cause: `Writing in ${dataDir} failed (${reason}).`, whatToDo: [retry] };
  }
}

/**
 * The receptionist's words for a failed start. `logFile` is where the full details were written
 * (start-failure-log.ts); it is named in every message so support can be sent the file.
 */
export function describeStartFailure(error: unknown, where: { logFile: string; host: StartFailureHost }): StartFailure {
  const failure =
    error instanceof EmbeddedStartError
      ? embeddedFailure(error.stage, error.dataDir, innermost(error), where.host)
      : { title: 'The softphone could not start', cause: `Starting failed (${shortReason(error)}).`, whatToDo: [retryStep(where.host)] };
  return { ...failure, whatToDo: [...failure.whatToDo, `The details are in ${where.logFile}.`] };
}

/** The failure as plain text: the dialog's detail and the browser host's terminal output. */
export function startFailureText(failure: StartFailure): string {
  return [failure.cause, '', 'What to do:', ...failure.whatToDo.map((step) => `• ${step}`)].join('\n');
}

/**
 * Starts, and on a failure asks `onFailure` what to do until it says quit (undefined) or a start
 * succeeds. Each attempt is a whole new start: a failed start must have released what it opened.
 */
export async function startWithRetry<T>(start: () => Promise<T>, onFailure: (error: unknown, attempt: number) => Promise<'retry' | 'quit'>): Promise<T | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if ((await onFailure(error, attempt)) === 'quit') return undefined;
    }
  }
}
