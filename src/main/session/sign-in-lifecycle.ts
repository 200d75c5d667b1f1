import type { User } from '../../shared/cloud';
import type { Notice, SessionStateView } from '../../shared/ipc';
import type { CallCache } from '../cache/cache';
import type { RealtimeClient } from '../sync/realtime-client';
import type { SyncEngine } from '../sync/sync-engine';
import type { SessionIssuer, SessionService } from './session-service';
import type { VoiceTokenService } from './voice-token-service';

export interface SignInLifecycleDeps {
  session: Pick<SessionService, 'onChange'>;
  cache: Pick<CallCache, 'session' | 'clearUserData'>;
  /** Which cloud this run signs in to: 'embedded' for the demo practice, else the cloud's origin. */
  cloud: string;
  sync: Pick<SyncEngine, 'start' | 'stop'>;
  realtime: Pick<RealtimeClient, 'start' | 'stop'>;
  voiceTokens: Pick<VoiceTokenService, 'start' | 'stop'>;
  /** Every session change, for the renderer. */
  onSessionChanged: (view: SessionStateView) => void;
  /** After the services started for a signed-in user. */
  onSignedIn: () => void;
}

/**
 * What signing in and out sets going: a different user's (or cloud's) cached data is cleared (never
 * shown to the next person at the desk; their unsent changes stay in the outbox, theirs), then the
 * Twilio token, sync and the realtime socket start; signing out stops them.
 */
export function followSignIn(deps: SignInLifecycleDeps): () => void {
  const signedIn = (user: User) => {
    const owner = deps.cache.session.owner();
    if (owner && (owner.userId !== user.id || (owner.cloud !== null && owner.cloud !== deps.cloud))) deps.cache.clearUserData();
    deps.cache.session.setUser(user, { cloud: deps.cloud });
    // The Twilio token first: it is all "Ready for calls" waits for, so its request goes out ahead
    // of the sync pull and the realtime socket (on the embedded cloud they share this process).
    void deps.voiceTokens.start().catch(() => undefined);
    deps.sync.start();
    deps.realtime.start();
    deps.onSignedIn();
  };
  return deps.session.onChange((state) => {
    deps.onSessionChanged(state);
    if (state.status === 'signed-in') signedIn(state.user);
    if (state.status === 'signed-out') {
      void deps.sync.stop();
      deps.realtime.stop();
      deps.voiceTokens.stop();
    }
  });
}

/**
 * At start: resume the keychain session; the embedded default signs the demo receptionist in. Says
 * how it went: signed in with the cloud answering ('online'), signed in from this computer's copy
 * ('offline'), or not signed in.
 */
export async function resumeSession(deps: {
  session: Pick<SessionService, 'restore' | 'signInIssued'>;
  demoSignIn: SessionIssuer | undefined;
  notify: (notice: Notice) => void;
  log: (message: string, error?: unknown) => void;
}): Promise<'online' | 'offline' | 'signed-out'> {
  try {
    const restored = await deps.session.restore();
    if (restored === 'offline') {
      deps.notify({
        id: 'session-restore',
        level: 'warning',
        message: 'The cloud cannot be reached, so the softphone started from this computer’s copy. Changes are saved here and sent when the connection is back; it keeps trying by itself.',
      });
    }
    if (restored) return restored === 'offline' ? 'offline' : 'online';
    if (!deps.demoSignIn) return 'signed-out';
    await deps.session.signInIssued(deps.demoSignIn);
    return 'online';
  } catch (error) {
    deps.log('Could not resume the session', error);
    deps.notify({ id: 'session-restore', level: 'warning', message: `Could not sign in automatically: ${(error as Error).message}` });
    return 'signed-out';
  }
}
