import type { VoiceConfig } from '../../../shared/ipc';
import type { SessionService } from '../../session/session-service';
import type { VoiceTokenService } from '../../session/voice-token-service';
import type { NamespaceHandlers } from '../router';
import { viaCloud } from '../via-cloud';

export function voiceHandlers(deps: { session: SessionService; voiceTokens: VoiceTokenService; voiceConfig: () => VoiceConfig }): NamespaceHandlers<'voice'> {
  return {
    'voice.getConfig': () => deps.voiceConfig(),
    'voice.getToken': async () => {
      const current = deps.voiceTokens.token;
      if (current) return current;
      if (deps.session.state.status !== 'signed-in') return null;
      return viaCloud(() => deps.voiceTokens.refreshNow());
    },
  };
}
