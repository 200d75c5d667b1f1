/**
 * The embedded default: with no cloud URL configured, main runs the cloud API (PGlite in the
 * user-data folder, demo seed) and the Twilio sandbox itself, and signs in as the demo receptionist.
 *
 * This folder is the only part of main that imports src/cloud and src/sandbox (npm run layering
 * checks it), and it loads them lazily: a build pointed at a real cloud never loads Fastify, PGlite
 * or the sandbox. The stack itself is ./stack.ts; tests inject fakes of `StartEmbeddedStack`.
 */
import { startupTrace } from '../core/startup-trace';
import { takeEarlyDatabase } from './early-database';
import { freePorts } from './free-port';
import { EmbeddedStartError } from './start-error';
import type { StartEmbeddedStack } from './types';
import { answerWaitingRequests } from './waiting-requests';

export { discardEarlyDatabase, embeddedDataDir, openEmbeddedDatabaseEarly } from './early-database';
export { EmbeddedStartError, type EmbeddedStartStage } from './start-error';
export type { EmbeddedAddresses, EmbeddedStack, StartEmbeddedStack } from './types';

/**
 * Starts the embedded cloud API and Twilio sandbox, loading their code only now (separate chunks).
 * The database is opened first, from a small chunk of its own: PGlite boots on its worker thread
 * while this thread loads the stack's code (the two largest parts of a cold start, side by side),
 * unless the host's entry started opening it before it loaded anything (openEmbeddedDatabaseEarly).
 * The cloud's and the sandbox edge's ports are chosen before either, and told to `onAddresses`.
 */
export const startEmbeddedStack: StartEmbeddedStack = async (options) => {
  const db = takeEarlyDatabase(options.dataDir) ?? import('./database').then(({ openEmbeddedDatabase }) => openEmbeddedDatabase(options.dataDir));
  db.catch(() => undefined); // awaited (and reported) by startStack; never an unhandled rejection
  const closeDb = () => db.then((opened) => opened.close()).catch(() => undefined);
  let ports;
  try {
    const [cloud, edge] = await freePorts(2);
    ports = { cloud: cloud!, edge: edge! };
  } catch (error) {
    await closeDb();
    throw new EmbeddedStartError('cloud', options.dataDir, error);
  }
  options.onAddresses?.({ cloudUrl: `http://127.0.0.1:${ports.cloud}`, edgeHost: `127.0.0.1:${ports.edge}` });
  let startStack;
  try {
    ({ startStack } = await import('./stack'));
  } catch (error) {
    await closeDb();
    throw new EmbeddedStartError('load', options.dataDir, error);
  }
  startupTrace('embedded chunk loaded');
  // Loading it kept this thread busy: what arrived meanwhile (the page asking for its files, in the
  // browser host) is answered first, before the stack's start keeps the thread busy again (issue #21).
  await answerWaitingRequests();
  const stack = await startStack({ ...options, db, ports });
  startupTrace('embedded stack started');
  return stack;
};
