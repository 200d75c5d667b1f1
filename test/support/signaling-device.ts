import WebSocket from 'ws';
import type { Sandbox } from '../../src/sandbox/index';

/**
 * A Device as the sandbox's signaling edge sees it: a PStream 1.6 socket that listens with the
 * access token the cloud issued and registers. Enough to see whom the sandbox invites.
 */
export class SignalingDevice {
  readonly invites: { callsid: string; parameters: Record<string, string> }[] = [];
  private readonly waiters = new Set<() => void>();
  private constructor(readonly identity: string, private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = String(data);
      if (text === '\n') return void ws.send('\n');
      const message = JSON.parse(text) as { type: string; payload: Record<string, unknown> };
      if (message.type === 'invite') this.invites.push({ callsid: String(message.payload.callsid), parameters: (message.payload.parameters ?? {}) as Record<string, string> });
      this.last = message;
      for (const w of [...this.waiters]) w();
    });
  }
  private last: { type: string; payload: Record<string, unknown> } | undefined;

  static async connect(sandbox: Sandbox, identity: string, token: string): Promise<SignalingDevice> {
    const ws = new WebSocket(`wss://${sandbox.edgeHost}/signal`, { ca: sandbox.caPem });
    await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
    const device = new SignalingDevice(identity, ws);
    device.send('listen', { token, browserinfo: {} });
    await device.waitFor((m) => m.type === 'connected');
    device.send('register', { media: { audio: true } });
    await device.waitFor((m) => m.type === 'ready');
    return device;
  }

  send(type: string, payload: unknown): void {
    this.ws.send(JSON.stringify({ type, version: '1.6', payload }));
  }

  waitFor(predicate: (m: { type: string; payload: Record<string, unknown> }) => boolean, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.last && predicate(this.last)) {
          this.waiters.delete(check);
          clearTimeout(timer);
          resolve();
        }
      };
      const timer = setTimeout(() => { this.waiters.delete(check); reject(new Error(`${this.identity}: timed out`)); }, timeoutMs);
      this.waiters.add(check);
    });
  }

  async nextInvite(timeoutMs = 10_000): Promise<{ callsid: string; parameters: Record<string, string> }> {
    const seen = this.invites.length;
    if (seen > this.consumed) return this.invites[this.consumed++]!;
    await this.waitFor((m) => m.type === 'invite', timeoutMs);
    return this.invites[this.consumed++]!;
  }
  private consumed = 0;

  close(): void {
    this.ws.terminate();
  }
}
