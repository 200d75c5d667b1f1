/**
 * The embedded default: with no cloud URL configured, main runs the cloud API (PGlite in the
 * user-data folder, demo seed) and the Twilio sandbox itself, and signs in as the demo receptionist.
 *
 * This folder is the only part of main that imports src/cloud and src/sandbox (npm run layering
 * checks it), and it loads them lazily: a build pointed at a real cloud never loads Fastify, PGlite
 * or the sandbox. The stack itself is ./stack.ts; tests inject fakes of `StartEmbeddedStack`.
 */
import { startupTrace } from '../core/startup-trace';
import type { StartEmbeddedStack } from './types';

export type { EmbeddedStack, StartEmbeddedStack } from './types';

/** Starts the embedded cloud API and Twilio sandbox, loading their code only now (a separate chunk). */
export const startEmbeddedStack: StartEmbeddedStack = async (options) => {
  const { startStack } = await import('./stack');
  startupTrace('embedded chunk loaded');
  const stack = await startStack(options);
  startupTrace('embedded stack started');
  return stack;
};
