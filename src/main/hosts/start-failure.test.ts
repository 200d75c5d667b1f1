import { describe, expect, it } from 'vitest';
import { EmbeddedStartError } from '../embedded/start-error';
import { describeStartFailure, shortReason, startFailureChoice, startFailureText, startWithRetry, START_FAILURE_BUTTONS } from './start-failure';

const logFile = '/home/desk/.config/Aesthetix Softphone/logs/startup-errors.log';
const dataDir = '/home/desk/.config/Aesthetix Softphone/embedded';
const systemError = (code: string, message = `${code}: something`) => Object.assign(new Error(message), { code });
const named = (name: string, message: string) => Object.assign(new Error(message), { name });
const window = (error: unknown) => describeStartFailure(error, { logFile, host: 'window' });

describe('describeStartFailure', () => {
  it('a damaged data folder: says where it is, that nothing was deleted, and how to start over', () => {
    const failure = window(new EmbeddedStartError('database', dataDir, new Error('PGlite failed to initialize properly')));
    expect(failure.title).toBe('The demo practice’s data folder is damaged');
    expect(failure.cause).toContain(dataDir);
    expect(failure.cause).toContain('PGlite failed to initialize properly');
    expect(failure.whatToDo.join(' ')).toMatch(/Nothing in the folder has been deleted/);
    expect(failure.whatToDo.join(' ')).toMatch(/move or rename that folder/);
    expect(failure.whatToDo.join(' ')).toMatch(/Press Retry/);
    expect(failure.whatToDo.at(-1)).toBe(`The details are in ${logFile}.`);
  });

  it('names a port that cannot be opened, for the cloud, the sandbox and the mail catcher alike', () => {
    for (const stage of ['cloud', 'sandbox', 'mail'] as const) {
      const failure = window(new EmbeddedStartError(stage, dataDir, systemError('EADDRINUSE', 'listen EADDRINUSE: address already in use 127.0.0.1:4000')));
      expect(failure.cause).toMatch(/a local network port it needs is already in use/);
      expect(failure.whatToDo.join(' ')).toMatch(/another copy of the softphone/);
    }
    expect(window(new EmbeddedStartError('sandbox', dataDir, systemError('EACCES'))).cause).toMatch(/not allowed to open a local network port/);
    expect(window(new EmbeddedStartError('sandbox', dataDir, new Error('boom'))).title).toBe('The built-in Twilio sandbox could not start');
  });

  it('finds the system code along the cause chain', () => {
    const wrapped = new Error('the API could not listen', { cause: systemError('EADDRINUSE') });
    expect(window(new EmbeddedStartError('cloud', dataDir, wrapped)).cause).toMatch(/already in use/);
  });

  it('a full disk or a folder it may not write: says so and names the folder', () => {
    const full = window(new EmbeddedStartError('files', dataDir, systemError('ENOSPC')));
    expect(full.title).toBe('The disk is full');
    expect(full.cause).toContain(dataDir);
    expect(full.whatToDo[0]).toMatch(/Free some space/);
    const denied = window(new EmbeddedStartError('database', dataDir, systemError('EACCES')));
    expect(denied.title).toBe('The softphone cannot use its data folder');
    expect(denied.cause).toBe(`It is not allowed to read or write ${dataDir}.`);
  });

  it('a schema from a newer version, an invalid setting, a failed migration', () => {
    expect(window(new EmbeddedStartError('cloud', dataDir, named('FutureSchemaError', 'schema 900 > 800'))).title).toBe('The demo practice’s data is from a newer version');
    const setting = window(new EmbeddedStartError('cloud', dataDir, named('ConfigError', 'Invalid configuration:\n  - PUBLIC_URL: must be a URL')));
    expect(setting.title).toBe('A setting is not valid');
    const migration = window(new EmbeddedStartError('cloud', dataDir, Object.assign(new Error('relation "calls" does not exist'), { code: '42P01' })));
    expect(migration.title).toBe('The built-in cloud could not start');
    expect(migration.cause).toMatch(/bringing the demo practice’s database up to date \(relation "calls" does not exist\)/);
    expect(migration.cause).toMatch(/nothing in it has been deleted/);
  });

  it('a part of the app that cannot be loaded, and any other failure', () => {
    expect(window(new EmbeddedStartError('load', dataDir, new Error('Cannot find module ./stack'))).whatToDo.join(' ')).toMatch(/install Aesthetix Softphone again/);
    const other = window(new TypeError('x is undefined'));
    expect(other.title).toBe('The softphone could not start');
    expect(other.cause).toBe('Starting failed (x is undefined).');
  });

  it('on a terminal there is no Retry button to press', () => {
    const failure = describeStartFailure(new EmbeddedStartError('database', dataDir, new Error('bad')), { logFile, host: 'terminal' });
    expect(failure.whatToDo.join(' ')).not.toMatch(/Retry/);
    expect(failure.whatToDo.join(' ')).toMatch(/Start the softphone again/);
  });
});

describe('what the receptionist reads', () => {
  it('has no stack and no credentials, one bounded line', () => {
    const error = new Error('connect to postgres://admin:s3cret@db.internal/x failed\n    at open (/app/out/main/index.js:1:1)');
    expect(shortReason(error)).toBe('connect to postgres://…@db.internal/x failed');
    expect(shortReason(new Error('x'.repeat(500))).length).toBe(200);
    expect(shortReason(new Error(''))).toBe('no reason was given');
    const text = startFailureText(window(new EmbeddedStartError('cloud', dataDir, error)));
    expect(text).not.toMatch(/s3cret|\n\s+at /);
    expect(text).toMatch(/^It stopped while starting/);
    expect(text).toMatch(/\nWhat to do:\n• /);
  });
});

describe('the window’s buttons', () => {
  it('map to retry, show the log, quit (closing the window quits)', () => {
    expect(START_FAILURE_BUTTONS).toEqual(['Retry', 'Show the log', 'Quit']);
    expect([0, 1, 2].map(startFailureChoice)).toEqual(['retry', 'show-log', 'quit']);
  });
});

describe('startWithRetry', () => {
  it('starts again on Retry until a start succeeds', async () => {
    let attempts = 0;
    const seen: number[] = [];
    const started = await startWithRetry(
      async () => {
        attempts++;
        if (attempts < 3) throw new Error(`attempt ${attempts}`);
        return 'core';
      },
      async (_error, attempt) => (seen.push(attempt), 'retry'),
    );
    expect(started).toBe('core');
    expect(seen).toEqual([1, 2]);
  });

  it('gives up on Quit, with the error handed to the failure handler', async () => {
    const errors: unknown[] = [];
    const boom = new Error('boom');
    const started = await startWithRetry(
      () => Promise.reject(boom),
      async (error) => (errors.push(error), 'quit'),
    );
    expect(started).toBeUndefined();
    expect(errors).toEqual([boom]);
  });
});
