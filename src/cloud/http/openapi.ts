import { z } from 'zod';
import { problemSchema } from '../../shared/cloud/problem';
import type { RouteSpec } from './router';

type JsonSchema = Record<string, unknown>;

/** zod → JSON Schema as a client sends it (defaults optional, coercions as their input type). */
const jsonSchema = (schema: z.ZodType): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

/** `:id` → `{id}` */
const openApiPath = (url: string): string => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query', secret: readonly string[] = []): JsonSchema[] {
  if (!schema) return [];
  const object = jsonSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (object.required ?? []).includes(name),
    schema: property,
    // A capability: whoever knows it may use the route (never logged).
    ...(secret.includes(name) ? { 'x-secret': true } : {}),
  }));
}

/**
 * The OpenAPI 3.1 document of the JSON API, built from the route table, so it cannot drift from
 * what the server accepts. Twilio's webhooks and the realtime socket are described in README.md.
 */
export function openApiDocument(routes: readonly RouteSpec[], info: { version: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const problem = { description: 'A problem document (`code` is stable)', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
  for (const route of routes) {
    const status = String(route.status ?? 200);
    const operation: JsonSchema = {
      summary: route.summary,
      tags: [route.tag],
      'x-access': route.access,
      ...(route.access === 'public' ? { security: [] } : {}),
      parameters: [...parameters(route.params, 'path', route.secretParams), ...parameters(route.query, 'query')],
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: route.rawBody
                ? { 'application/octet-stream': { schema: { type: 'string', format: 'binary', maxLength: route.rawBody.bodyLimit } } }
                : { 'application/json': { schema: jsonSchema(route.body) } },
            },
          }
        : {}),
      responses: {
        [status]: status === '204' || !route.response
          ? { description: status === '204' ? 'Done, no body' : 'Done' }
          : { description: 'Done', content: { 'application/json': { schema: jsonSchema(route.response) } } },
        default: problem,
      },
    };
    (paths[openApiPath(route.url)] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Aesthetix cloud API', version: info.version },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Problem: jsonSchema(problemSchema) },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
