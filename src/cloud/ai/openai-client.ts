import { z } from 'zod';

/**
 * A client of any OpenAI-compatible chat-completions endpoint (OpenAI, Azure's compatible mode,
 * vLLM, Ollama, LM Studio…): `POST {baseUrl}/chat/completions` with tool calling and structured
 * output. Shared by the AI agents' runtime (src/cloud/agents) and the workflow builder's Write
 * with AI. The response is validated with zod; failures are an `AiClientError` whose message never
 * carries the key, the prompt or the response body beyond a short excerpt.
 */

export interface AiClientConfig {
  /** e.g. https://api.openai.com/v1 (the path `/chat/completions` is appended). */
  baseUrl: string;
  model: string;
  /** Sent as `Authorization: Bearer …`; optional for local servers. */
  apiKey?: string;
  /** Whole-request timeout (default 20 s). */
  timeoutMs?: number;
  /** Injected in tests; default the global fetch. */
  fetch?: typeof fetch;
}

export type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: WireToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface WireToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** One tool the model may call: `parameters` is a JSON Schema object. */
export interface ToolDefinition {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface ToolCall {
  id: string;
  name: string;
  /** The parsed arguments; `{}` when the model sent none. */
  arguments: Record<string, unknown>;
}

export interface CompletionRequest {
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  /** 'auto' (default when tools are given), 'none', 'required', or one tool by name. */
  toolChoice?: 'auto' | 'none' | 'required' | { name: string };
  /** Structured output: the answer must be JSON matching this schema. */
  jsonSchema?: { name: string; schema: Record<string, unknown> };
  temperature?: number;
  maxTokens?: number;
  signal?: AbortSignal;
}

export interface Completion {
  content: string | null;
  toolCalls: ToolCall[];
  finishReason: string | null;
  /** The assistant message as the endpoint returned it, to append to the conversation. */
  message: Extract<ChatMessage, { role: 'assistant' }>;
  usage?: { promptTokens: number; completionTokens: number };
}

export type AiClientErrorKind = 'timeout' | 'network' | 'http' | 'invalid_response' | 'invalid_arguments';

export class AiClientError extends Error {
  constructor(
    readonly kind: AiClientErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'AiClientError';
  }
}

const wireToolCallSchema = z.object({
  id: z.string().min(1),
  type: z.literal('function').default('function'),
  function: z.object({ name: z.string().min(1), arguments: z.string().default('{}') }),
});

const responseSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({
          role: z.literal('assistant').default('assistant'),
          content: z.string().nullable().default(null),
          tool_calls: z.array(wireToolCallSchema).optional(),
        }),
        finish_reason: z.string().nullable().default(null),
      }),
    )
    .min(1),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).optional(),
});

export interface AiClient {
  readonly model: string;
  complete(request: CompletionRequest): Promise<Completion>;
  /** Structured output parsed and validated with `schema`. */
  completeJson<T>(request: Omit<CompletionRequest, 'tools' | 'toolChoice' | 'jsonSchema'>, name: string, jsonSchema: Record<string, unknown>, schema: z.ZodType<T>): Promise<T>;
}

export function createAiClient(config: AiClientConfig): AiClient {
  const url = `${config.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const doFetch = config.fetch ?? fetch;
  const timeoutMs = config.timeoutMs ?? 20_000;

  async function complete(request: CompletionRequest): Promise<Completion> {
    const body: Record<string, unknown> = { model: config.model, messages: request.messages };
    if (request.tools?.length) {
      body.tools = request.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } }));
      const choice = request.toolChoice ?? 'auto';
      body.tool_choice = typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
    }
    if (request.jsonSchema) {
      body.response_format = { type: 'json_schema', json_schema: { name: request.jsonSchema.name, schema: request.jsonSchema.schema, strict: true } };
    }
    if (request.temperature !== undefined) body.temperature = request.temperature;
    if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;

    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (config.apiKey) headers.authorization = `Bearer ${config.apiKey}`;

    let response: Response;
    try {
      response = await doFetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal });
    } catch (error) {
      if (timeout.aborted) throw new AiClientError('timeout', `the AI endpoint did not answer within ${timeoutMs} ms`);
      throw new AiClientError('network', `the AI endpoint could not be reached (${(error as Error).message})`);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      if (timeout.aborted) throw new AiClientError('timeout', `the AI endpoint did not answer within ${timeoutMs} ms`);
      throw new AiClientError('network', `the AI endpoint's answer was cut off (${(error as Error).message})`);
    }
    if (!response.ok) {
      const said = excerpt(errorMessageOf(text));
      // A server that echoes the request's key back must not put it in our logs.
      const safe = config.apiKey ? said.split(config.apiKey).join('[key]') : said;
      throw new AiClientError('http', `the AI endpoint answered HTTP ${response.status}: ${safe}`, response.status);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new AiClientError('invalid_response', 'the AI endpoint answered something that is not JSON');
    }
    const parsed = responseSchema.safeParse(json);
    if (!parsed.success) throw new AiClientError('invalid_response', `the AI endpoint's answer is not a chat completion (${parsed.error.issues[0]?.message ?? 'invalid'})`);
    const choice = parsed.data.choices[0]!;
    const toolCalls = (choice.message.tool_calls ?? []).map((call) => ({ id: call.id, name: call.function.name, arguments: parseArguments(call.function.name, call.function.arguments) }));
    const message: Completion['message'] = { role: 'assistant', content: choice.message.content };
    if (choice.message.tool_calls?.length) message.tool_calls = choice.message.tool_calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.function.name, arguments: c.function.arguments } }));
    const usage = parsed.data.usage ? { promptTokens: parsed.data.usage.prompt_tokens, completionTokens: parsed.data.usage.completion_tokens } : undefined;
    return { content: choice.message.content, toolCalls, finishReason: choice.finish_reason, message, ...(usage ? { usage } : {}) };
  }

  async function completeJson<T>(
    request: Omit<CompletionRequest, 'tools' | 'toolChoice' | 'jsonSchema'>,
    name: string,
    jsonSchema: Record<string, unknown>,
    schema: z.ZodType<T>,
  ): Promise<T> {
    const completion = await complete({ ...request, jsonSchema: { name, schema: jsonSchema } });
    let value: unknown;
    try {
      value = JSON.parse(completion.content ?? '');
    } catch {
      throw new AiClientError('invalid_response', 'the AI endpoint did not answer with JSON');
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new AiClientError('invalid_response', `the AI endpoint's JSON does not match ${name} (${parsed.error.issues[0]?.message ?? 'invalid'})`);
    return parsed.data;
  }

  return { model: config.model, complete, completeJson };
}

function parseArguments(tool: string, raw: string): Record<string, unknown> {
  if (raw.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new AiClientError('invalid_arguments', `the model called ${tool} with arguments that are not JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new AiClientError('invalid_arguments', `the model called ${tool} with arguments that are not an object`);
  return value as Record<string, unknown>;
}

function errorMessageOf(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === 'string') return parsed.error.message;
  } catch {
    // not JSON: the raw text, shortened
  }
  return text;
}

function excerpt(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 200 ? `${oneLine.slice(0, 200)}…` : oneLine || '(no body)';
}
