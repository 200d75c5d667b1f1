import type { FastifyServerOptions } from 'fastify';

/**
 * Fastify's `schemaController` for a server whose routes validate with zod in their handlers and
 * declare no JSON schema: Fastify then never loads its JSON-schema compilers (ajv and
 * fast-json-stringify, about 60 ms of module loading on every start, issue #21). A route that does
 * declare one fails to register, saying so, rather than going unvalidated. The sandbox has its own
 * twin (it stands in for Twilio and imports nothing from the cloud).
 */
export const WITHOUT_JSON_SCHEMAS: NonNullable<FastifyServerOptions['schemaController']> = {
  compilersFactory: {
    buildValidator: () => refuse,
    buildSerializer: () => refuse,
  },
};

/** Fastify calls a compiler with the route's { schema, method, url, … }; its typings say otherwise. */
function refuse(route: unknown): never {
  const { method, url } = route as { method?: string; url?: string };
  throw new Error(`${method} ${url} declares a JSON schema; this server validates with zod in the handler instead`);
}
