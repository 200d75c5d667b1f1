import type { HoldScheduler } from '../signaling-monitor';

/** A WebSocket with the network in the test's hands (happy-dom's EventTarget). */
export class FakeWebSocket extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readonly url: string;
  readyState = FakeWebSocket.CONNECTING;
  readonly sent: string[] = [];
  readonly protocols: string | string[] | undefined;

  constructor(url: string | URL, protocols?: string | string[]) {
    super();
    this.url = String(url);
    this.protocols = protocols;
  }
  send(data: string): void {
    this.sent.push(data);
  }
  close(): void {
    this.readyState = FakeWebSocket.CLOSED;
    this.dispatchEvent(new Event('close'));
  }
  // The far end:
  serverOpen(): void {
    this.readyState = FakeWebSocket.OPEN;
    this.dispatchEvent(new Event('open'));
  }
  serverSend(data: string): void {
    this.dispatchEvent(new MessageEvent('message', { data }));
  }
}

/** The monitor's hold after an invite, released when the test says the panel has been painted. */
export class ManualHold {
  private readonly pending: Array<() => void> = [];
  readonly schedule: HoldScheduler = (release) => {
    this.pending.push(release);
  };
  get holding(): boolean {
    return this.pending.length > 0;
  }
  /** The panel has been painted. */
  paint(): void {
    for (const release of this.pending.splice(0)) release();
  }
}

/** An edge `invite` frame as the sandbox and Twilio's edge send it. */
export function inviteFrame(callSid: string, from: string, to: string, params = ''): string {
  return JSON.stringify({ type: 'invite', version: '1.6', payload: { callsid: callSid, sdp: 'v=0', parameters: { CallSid: callSid, From: from, To: to, Params: params } } });
}
