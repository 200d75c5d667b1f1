import type { IncomingCall, Notification, ServerMessage } from '../../shared/cloud';

export interface RealtimeHandlers {
  /**
   * Something changed in the cloud (or the socket just connected): pull. `cursor` is how far the
   * cloud's changes go, when the message says (a hello, a change); a notification does not.
   */
  changed(cursor?: number): void;
  /** The cloud's screen pop for a call ringing now. */
  incomingCall(call: IncomingCall): void;
  /** An internal notification for this user. */
  notification(notification: Notification): void;
  /** This device's session was ended elsewhere. */
  sessionRevoked(): void;
}

/** What each message on the realtime socket sets off. */
export function dispatchRealtime(handlers: RealtimeHandlers): (message: ServerMessage) => void {
  return (message) => {
    switch (message.type) {
      case 'hello':
      case 'changed':
        handlers.changed(message.cursor);
        break;
      case 'incoming-call':
        handlers.incomingCall(message.call);
        break;
      case 'notification':
        handlers.notification(message.notification);
        handlers.changed();
        break;
      case 'session-revoked':
        handlers.sessionRevoked();
        break;
      case 'pong':
        break;
    }
  };
}
