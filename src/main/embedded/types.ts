import type { LoginResponse } from '../../shared/cloud/auth';
import type { Notice } from '../../shared/ipc';
import type { DemoMessage, DemoReplyResult } from '../../shared/ipc/contract-demo-inbox';

/** What main sees of the embedded cloud API + Twilio sandbox (see index.ts). */
export interface EmbeddedStack {
  cloudUrl: string;
  /** host:port of the sandbox's signaling edge (the SDK's `chunderw`). */
  edgeHost: string;
  /** The sandbox's CA certificate: the Electron app trusts exactly this for the edge. */
  caPem: string;
  /** Origins of the stand-ins' own pages main may open in the browser (the Slack stand-in's consent page). */
  linkOrigins?: string[];
  /**
   * Signs the demo receptionist in: a session issued by the embedded cloud in this process, with no
   * password to check (this process owns the cloud's database; issue #21, the cold start).
   */
  demoSignIn(deviceName: string): Promise<LoginResponse>;
  /** What the user should know about how it started (an invalid AI setting); posted once at start. */
  notices?: Notice[];
  /** "Simulate a caller": a scripted inbound call to one of the practice's numbers. */
  simulateInboundCall(input: { from?: string; to?: string }): Promise<{ callSid: string; from: string; to: string }>;
  /**
   * Publishes TXT records in the demo DNS (the DNS stand-in the embedded cloud checks sending domains
   * against), as a practice would at its DNS provider; answers how many values were added.
   */
  publishDnsRecords(records: readonly { name: string; value: string }[]): Promise<number>;
  /** The Demo inbox: the newest emails (caught as files) and SMS (kept by the sandbox) the practice sent. */
  recentMessages(limit: number): Promise<DemoMessage[]>;
  /** The Demo inbox's Reply: the demo contact answers a caught email, through the signed inbound email webhook. */
  replyToEmail(input: { id: string; text: string }): Promise<DemoReplyResult>;
  stop(): Promise<void>;
}

export type StartEmbeddedStack = (options: {
  dataDir: string;
  log: (message: string, error?: unknown) => void;
  /** The process's environment: the AI service a practice configures (AI_BASE_URL, AI_MODEL, AI_API_KEY …); none given = none set. */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Told the cloud API's URL and the sandbox edge's host:port as soon as they are chosen, before
   * either listens (the browser host serves its page, whose CSP names them, while the stack starts).
   */
  onAddresses?: (addresses: EmbeddedAddresses) => void;
}) => Promise<EmbeddedStack>;

/** Where the embedded cloud API and the sandbox's signaling edge will listen (EmbeddedStack's own fields). */
export type EmbeddedAddresses = Pick<EmbeddedStack, 'cloudUrl' | 'edgeHost'>;
