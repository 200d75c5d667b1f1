import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { requireAdmin } from '../auth/roles';
import type { CloudContext, Principal } from '../context';
import type { SecretPathParams } from '../logging';
import { principalOf, requireAuth } from './auth-hook';
import { parseInput } from './problem';

/** Who may call a route: anyone, any signed-in user of the account, or its admins. */
export type Access = 'public' | 'user' | 'admin';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

type Schema = z.ZodType | undefined;
type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export type RouteInput<A extends Access, P extends Schema, Q extends Schema, B extends Schema> = {
  params: Parsed<P>;
  query: Parsed<Q>;
  body: Parsed<B>;
  request: FastifyRequest;
  reply: FastifyReply;
} & (A extends 'public' ? unknown : { principal: Principal });

export interface RouteSpec<A extends Access = Access, P extends Schema = Schema, Q extends Schema = Schema, B extends Schema = Schema> {
  method: HttpMethod;
  /** Fastify path syntax: `/v1/contacts/:id`. */
  url: string;
  /** One line for the OpenAPI document. */
  summary: string;
  /** Groups the route in the OpenAPI document: the feature folder that owns it. */
  tag: string;
  access: A;
  params?: P;
  query?: Q;
  body?: B;
  /** The success body's schema (documentation only: the handler's type is what the code checks). */
  response?: z.ZodType;
  /**
   * The request body is the raw bytes of a file (a Buffer; content types: `RAW_BODY_TYPES` in app.ts)
   * instead of JSON, up to `bodyLimit` bytes (uploads).
   */
  rawBody?: { bodyLimit: number };
  /** Success status (default 200); 204 sends no body. */
  status?: 200 | 201 | 202 | 204;
  /**
   * Path parameters that are capabilities: knowing the value is what lets a caller in (a webhook's
   * secret, a media file's token). Their values never reach a log line (logging.ts). A public route
   * with path parameters must say which are secret (`[]`: none), so a new one cannot be forgotten.
   */
  secretParams?: readonly string[];
  handler(input: RouteInput<A, P, Q, B>): Promise<unknown>;
  /**
   * What a HEAD of a public GET does: a stranger's tool checks links with it (a mail scanner, an
   * unfurler). `'reads-only'`: the GET changes nothing, so a HEAD runs it and the body is dropped.
   * Otherwise the HEAD's own handler, which must change nothing: run as the GET, a checker's HEAD
   * would count a click or use up a one-time link. Every public GET must say (a new one cannot
   * forget); other routes answer no HEAD (see buildApp).
   */
  head?: 'reads-only' | ((input: RouteInput<A, P, Q, B>) => Promise<unknown>);
}

/**
 * The JSON API's one route table. Every `/v1` route is declared here through `add`, with its
 * access rule and zod schemas: the router authenticates, checks the role, validates params →
 * query → body (a failure is VALIDATION_FAILED naming each field), and keeps the declaration for
 * the OpenAPI document (`GET /v1/openapi.json`) and for tests that walk every route.
 */
export class ApiRouter {
  private readonly specs: RouteSpec[] = [];

  constructor(
    private readonly app: FastifyInstance,
    private readonly ctx: CloudContext,
    /** The logger's: filled from each route's `secretParams`. */
    private readonly secretPaths: SecretPathParams,
  ) {}

  get routes(): readonly RouteSpec[] {
    return this.specs;
  }

  add<A extends Access, P extends Schema = undefined, Q extends Schema = undefined, B extends Schema = undefined>(spec: RouteSpec<A, P, Q, B>): void {
    this.declareSecrets(spec);
    this.declareHead(spec);
    this.specs.push(spec as unknown as RouteSpec);
    const authenticate = spec.access === 'public' ? undefined : requireAuth(this.ctx);
    this.app.route({
      method: spec.method,
      url: spec.url,
      exposeHeadRoute: spec.head === 'reads-only',
      ...(spec.rawBody ? { bodyLimit: spec.rawBody.bodyLimit } : {}),
      // Uploads are authenticated before their body is read (a stranger's 10 MB is never buffered).
      ...(authenticate
        ? spec.rawBody
          ? {
              onRequest: async (request: FastifyRequest) => {
                await authenticate(request);
                if (spec.access === 'admin') requireAdmin(principalOf(request));
              },
            }
          : { preHandler: authenticate }
        : {}),
      handler: this.serve(spec, spec.handler),
    });
    // A public GET's HEAD of its own (public: no sign-in to check).
    if (typeof spec.head === 'function') this.app.route({ method: 'HEAD', url: spec.url, handler: this.serve(spec, spec.head) });
  }

  /** Fastify's handler for a route: the role checked, then params → query → body validated, then `handler`. */
  private serve<A extends Access, P extends Schema, Q extends Schema, B extends Schema>(
    spec: RouteSpec<A, P, Q, B>,
    handler: (input: RouteInput<A, P, Q, B>) => Promise<unknown>,
  ) {
    return async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
      const principal = spec.access === 'public' ? undefined : principalOf(request);
      if (spec.access === 'admin') requireAdmin(principal!);
      const input = {
        params: spec.params ? parseInput(spec.params, request.params, 'params') : undefined,
        query: spec.query ? parseInput(spec.query, request.query, 'query') : undefined,
        body: spec.body ? parseInput(spec.body, spec.rawBody ? rawBytes(request.body) : request.body, 'body') : undefined,
        request,
        reply,
        ...(principal ? { principal } : {}),
      } as RouteInput<A, P, Q, B>;
      const result = await handler(input);
      if (spec.status === 204) return reply.status(204).send();
      if (spec.status) reply.status(spec.status);
      return result;
    };
  }

  private declareHead(spec: Pick<RouteSpec, 'method' | 'url' | 'access'> & { head?: unknown }): void {
    const publicGet = spec.access === 'public' && spec.method === 'GET';
    if (publicGet && spec.head === undefined) {
      throw new Error(`GET ${spec.url} is public: declare what a HEAD of it does (head: 'reads-only', or a handler of its own that changes nothing)`);
    }
    if (!publicGet && spec.head !== undefined) throw new Error(`${spec.method} ${spec.url}: only a public GET answers HEAD`);
  }

  private declareSecrets(spec: Pick<RouteSpec, 'method' | 'url' | 'access' | 'secretParams'>): void {
    const params = pathParamNames(spec.url);
    // Behind sign-in a path parameter is an id the caller's token is checked against; without it,
    // a path parameter is likely to be the credential itself.
    if (spec.access === 'public' && params.length > 0 && spec.secretParams === undefined) {
      throw new Error(`${spec.method} ${spec.url} is public and has path parameters: declare which are secrets (secretParams; [] for none)`);
    }
    const unknown = (spec.secretParams ?? []).filter((name) => !params.includes(name));
    if (unknown.length > 0) throw new Error(`${spec.method} ${spec.url}: secretParams names ${unknown.join(', ')}, not a path parameter of it`);
    if (spec.secretParams?.length) this.secretPaths.declare(spec.url, spec.secretParams);
  }
}

/** `/media/:token/:name` → ['token', 'name'] */
export const pathParamNames = (url: string): string[] => [...url.matchAll(/:(\w+)/g)].map((m) => m[1]!);

/** A raw-body route gets a Buffer; a JSON body (or none) sent to it is refused by its schema. */
const rawBytes = (body: unknown): unknown => (Buffer.isBuffer(body) ? body : undefined);

/** A feature's JSON routes: one function per feature folder, listed in `http/app.ts`. */
export type FeatureRoutes = (router: ApiRouter, ctx: CloudContext) => void;
