import type { IpcResult, VoiceConfig, VoiceTokenView } from '../../../shared/ipc';
import type { NetworkEvents, VoiceBridge } from '../voice-engine';

type Listener = (payload: never) => void;

/** The bridge as the engine sees it, with main's side in the test's hands. */
export class FakeBridge implements VoiceBridge {
  config: VoiceConfig = { edge: 'sandbox', chunderw: '127.0.0.1:4443', eventgw: null };
  tokenResult: IpcResult<VoiceTokenView | null>;
  tokenRequests = 0;
  private readonly listeners = new Map<string, Set<Listener>>();
  private tokenCounter = 0;

  constructor(private readonly now: () => number) {
    this.tokenResult = { ok: true, value: this.nextToken() };
  }

  nextToken(): VoiceTokenView {
    this.tokenCounter++;
    return { token: `jwt-${this.tokenCounter}`, identity: 'user_reception', expiresAt: this.now() + 3_600_000 };
  }

  readonly voice = {
    getConfig: async (): Promise<IpcResult<VoiceConfig>> => ({ ok: true, value: this.config }),
    getToken: async (): Promise<IpcResult<VoiceTokenView | null>> => {
      this.tokenRequests++;
      return this.tokenResult;
    },
  };

  on(event: string, listener: Listener): () => void {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)!.add(listener);
    return () => this.listeners.get(event)?.delete(listener);
  }

  emit(event: 'voice.token' | 'phone.wake', payload: unknown): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) (listener as (p: unknown) => void)(payload);
  }

  listenerCount(): number {
    return [...this.listeners.values()].reduce((n, s) => n + s.size, 0);
  }
}

export class FakeNetwork implements NetworkEvents {
  online = true;
  private handlers: Array<{ onOnline: () => void; onOffline: () => void }> = [];
  subscribe(onOnline: () => void, onOffline: () => void): () => void {
    const entry = { onOnline, onOffline };
    this.handlers.push(entry);
    return () => {
      this.handlers = this.handlers.filter((h) => h !== entry);
    };
  }
  isOnline(): boolean {
    return this.online;
  }
  goOffline(): void {
    this.online = false;
    for (const h of this.handlers) h.onOffline();
  }
  goOnline(): void {
    this.online = true;
    for (const h of this.handlers) h.onOnline();
  }
}
