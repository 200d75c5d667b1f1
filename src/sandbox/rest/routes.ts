import type { FastifyInstance } from 'fastify';
import type { CallEngine } from '../calls/call-engine';
import type { SandboxContext } from '../context';

export function registerRestRoutes(_app: FastifyInstance, _ctx: SandboxContext, _engine: CallEngine): void {}
