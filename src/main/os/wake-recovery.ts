import type { EventPayload } from '../../shared/ipc';
import type { VoiceTokenService } from '../session/voice-token-service';
import type { RealtimeClient } from '../sync/realtime-client';
import type { SyncEngine } from '../sync/sync-engine';
import type { PowerPort } from './ports';

/**
 * Resume, unlock or the network coming back: the phone re-checks its registration (renderer), sync
 * and the realtime socket try at once instead of waiting out their backoff, and a missing Twilio
 * token is fetched. Returns the unsubscribe.
 */
export function recoverOnWake(deps: {
  power: PowerPort;
  onWake: (payload: EventPayload<'phone.wake'>) => void;
  sync: Pick<SyncEngine, 'connectionRestored'>;
  realtime: Pick<RealtimeClient, 'reconnectNow'>;
  voiceTokens: Pick<VoiceTokenService, 'token' | 'refreshNow'>;
}): () => void {
  return deps.power.onWake((reason) => {
    deps.onWake({ reason });
    deps.sync.connectionRestored();
    deps.realtime.reconnectNow();
    if (!deps.voiceTokens.token) void deps.voiceTokens.refreshNow().catch(() => undefined);
  });
}
