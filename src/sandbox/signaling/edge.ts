// The voice edge: accepts `wss://<host>/signal` upgrades and keeps the live device sessions,
// which the call engine asks for when it needs to ring an identity.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { ApiKey } from '../auth/access-token';
import { verifyAccessToken } from '../auth/access-token';
import type { EventLog } from '../events/event-log';
import { edgeOfHost } from '../tls/twilio-hostnames';
import { DeviceSession, type SessionHooks } from './device-session';

export type CallFrameHandler = SessionHooks['onCallFrame'];

export class SignalingEdge {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Set<DeviceSession>();
  private callFrameHandler: CallFrameHandler = () => undefined;
  private closedHandler: (s: DeviceSession) => void = () => undefined;
  /** Fault: sessions opened while set never receive heartbeats. */
  heartbeatsStopped = false;

  constructor(
    private readonly events: EventLog,
    private readonly findApiKey: (sid: string) => ApiKey | undefined,
    private readonly heartbeatMs: number,
  ) {}

  setCallHandlers(onFrame: CallFrameHandler, onClosed: (s: DeviceSession) => void): void {
    this.callFrameHandler = onFrame;
    this.closedHandler = onClosed;
  }

  /** Returns false when the request is not for the signaling path. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/signal') return false;
    // Which Twilio hostname the client asked for (through a host-resolver rule), or the sandbox's own.
    this.events.emitEvent('signal.upgrade', { host: req.headers.host ?? null });
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const session = new DeviceSession(
        ws,
        {
          verifyToken: (jwt) => verifyAccessToken(jwt, this.findApiKey),
          onCallFrame: (s, m) => this.callFrameHandler(s, m),
          onRegistrationChange: () => undefined,
          onClosed: (s) => {
            this.sessions.delete(s);
            this.closedHandler(s);
          },
        },
        this.events,
        { heartbeatMs: this.heartbeatMs, edge: edgeOfHost(req.headers.host) },
      );
      session.heartbeatsStopped = this.heartbeatsStopped;
      this.sessions.add(session);
    });
    return true;
  }

  /** Registered sessions that may ring for this identity, oldest first. */
  reachable(identity: string): DeviceSession[] {
    return [...this.sessions].filter((s) => s.reachable && s.identity === identity);
  }

  all(identity?: string): DeviceSession[] {
    return [...this.sessions].filter((s) => identity === undefined || s.identity === identity);
  }

  closeAll(): void {
    for (const s of this.sessions) s.close();
    this.wss.close();
  }
}
