import type { FastifyServerOptions } from 'fastify';

/**
 * The sandbox's servers parse their own input (Twilio's form posts, the control API) and declare no
 * JSON schema, so Fastify never loads ajv or fast-json-stringify (about 60 ms of every embedded
 * start, issue #21); a route that declares one fails to register. The cloud has its own twin
 * (src/cloud/http): the sandbox stands in for Twilio and imports nothing from the cloud.
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
  throw new Error(`${method} ${url} declares a JSON schema; the sandbox parses input in its handlers`);
}
