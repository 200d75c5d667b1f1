import type { AgentAction } from '../../shared/cloud/agents';
import type { AgentTool } from './tools';

/**
 * The agent's reasoning, pluggable: an OpenAI-compatible endpoint with tool calling, or the
 * deterministic offline scripted agent (embedded default, tests). `null` when none is configured:
 * the agent's lines then ring as usual.
 */
export interface TranscriptLine {
  role: 'agent' | 'caller';
  text: string;
  at: string;
}

export interface ToolResult {
  ok: boolean;
  /** What the agent should tell the caller about it. */
  say: string;
  data?: Record<string, unknown>;
}

export interface Conversation {
  agent: { name: string; greeting: string; goals: string; timeZone: string; practiceName: string };
  caller: { number: string; name: string | null };
  transcript: TranscriptLine[];
  tools: AgentTool[];
  /** Scratch space a brain keeps between turns (the scripted agent's pending booking). */
  memory: Record<string, unknown>;
  now: Date;
}

export type RunTool = (tool: AgentTool, args: Record<string, unknown>) => Promise<ToolResult>;

export interface AfterCallInput {
  conversation: Conversation;
  actionsLog: { name: string; status: string; detail: string }[];
  fields: AgentAction[];
}
export interface AfterCallResult {
  summary: string;
  /** field → extracted value (only fields something was found for). */
  values: Record<string, string>;
}

export interface Brain {
  readonly kind: 'scripted' | 'openai';
  /** The caller finished a line (already in the transcript): run tools as needed, return what to say. */
  respond(conversation: Conversation, runTool: RunTool): Promise<string>;
  afterCall(input: AfterCallInput): Promise<AfterCallResult>;
}
