/** What Fastify's compiler factories return: a compiler, called with the route's { schema, method, url, … }. */
type RefusingFactory = () => (route: unknown) => never;

/**
 * Fastify's `schemaController` for the cloud's and the sandbox's servers: their routes check their
 * input in the handlers (the cloud with zod in its route table, the sandbox in its own parsers) and
 * declare no JSON schema, so Fastify never loads its JSON-schema compilers (ajv and
 * fast-json-stringify, about 60 ms of every embedded start, issue #21). A route that does declare
 * one fails to register, naming itself, rather than going unchecked. Here, not in either server,
 * because the sandbox stands in for Twilio and imports nothing from the cloud; typed by shape, so
 * this folder stays free of Fastify's Node typings.
 */
export const WITHOUT_JSON_SCHEMAS: { compilersFactory: { buildValidator: RefusingFactory; buildSerializer: RefusingFactory } } = {
  compilersFactory: {
    buildValidator: () => refuse,
    buildSerializer: () => refuse,
  },
};

function refuse(route: unknown): never {
  const { method, url } = route as { method?: string; url?: string };
  throw new Error(`${method} ${url} declares a JSON schema; this server checks its input in the handler instead`);
}
