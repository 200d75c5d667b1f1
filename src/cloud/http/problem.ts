import { constraintError } from '../db/constraint-errors';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Problem, ProblemCode } from '../../shared/cloud/problem';
import { ApiError, statusForCode } from '../errors';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const titles: Partial<Record<ProblemCode, string>> = {
  VALIDATION_FAILED: 'The request is not valid',
  UNAUTHENTICATED: 'Sign-in required',
  FORBIDDEN: 'Not allowed',
  NOT_FOUND: 'Not found',
  RATE_LIMITED: 'Too many requests',
  INTERNAL: 'Something went wrong on our side',
};

export function problemFor(code: ProblemCode, detail: string, extra: Partial<Problem> = {}): Problem {
  return {
    type: `https://aesthetix.example/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title: titles[code] ?? code.toLowerCase().replaceAll('_', ' '),
    status: statusForCode(code),
    code,
    detail,
    ...extra,
  };
}

/** Parses with zod; a failure becomes a VALIDATION_FAILED problem listing each field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = result.error.issues.slice(0, 20).map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw new ApiError('VALIDATION_FAILED', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors });
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  if (problem.retryAfterSeconds) reply.header('retry-after', String(problem.retryAfterSeconds));
  return reply.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

/** Fastify's error handler: every failure leaves as application/problem+json with a stable code. */
export function errorHandler(error: FastifyError | ApiError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof ApiError) {
    return sendProblem(reply, problemFor(error.code, error.message, error.extra));
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return sendProblem(reply, problemFor('UNSUPPORTED_MEDIA_TYPE', fastifyError.message));
  }
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return sendProblem(reply, problemFor('PAYLOAD_TOO_LARGE', fastifyError.message));
  }
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return sendProblem(reply, problemFor('BAD_REQUEST', fastifyError.message));
  }
  const constraint = constraintError(error);
  if (constraint) {
    // A service let a bad id reach the database: the client gets a 4xx, we get a warning to fix the check.
    request.log.warn({ err: error }, 'request ran into a database constraint');
    return sendProblem(reply, problemFor(constraint.code, constraint.message));
  }
  request.log.error({ err: error }, 'request failed');
  return sendProblem(reply, problemFor('INTERNAL', 'An unexpected error occurred; it has been logged'));
}
