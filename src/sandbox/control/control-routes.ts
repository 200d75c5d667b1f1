import type { FastifyInstance } from 'fastify';
import type { SandboxControl } from './sandbox-control';

export function registerControlRoutes(_app: FastifyInstance, _control: SandboxControl): void {}
