// Twilio's REST error body: { code, message, more_info, status }.
import type { FastifyReply } from 'fastify';

export class TwilioRestError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export function sendTwilioError(reply: FastifyReply, e: TwilioRestError): FastifyReply {
  return reply.code(e.status).send({ code: e.code, message: e.message, more_info: `https://www.twilio.com/docs/errors/${e.code}`, status: e.status });
}

export const notFound = (what: string): TwilioRestError => new TwilioRestError(404, 20404, `The requested resource ${what} was not found`);
