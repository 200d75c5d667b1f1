import type { VoiceConfig } from '../../shared/ipc';
import { TWILIO_EDGE_ORIGINS } from '../../shared/security/csp';
import type { EmbeddedStack } from '../embedded';

/** Where the renderer's Twilio Device connects: the embedded sandbox's edge, or Twilio itself. */
export const voiceConfigFor = (embedded: EmbeddedStack | undefined): VoiceConfig =>
  embedded ? { edge: 'sandbox', chunderw: embedded.edgeHost, eventgw: embedded.edgeHost } : { edge: 'twilio', chunderw: null, eventgw: null };

/** Origins the renderer may connect to (the CSP's connect-src): the cloud, and the sandbox's edge or Twilio's. */
export const connectOriginsFor = (cloudUrl: string, embedded: EmbeddedStack | undefined): string[] =>
  embedded ? [cloudUrl, `https://${embedded.edgeHost}`] : [cloudUrl, ...TWILIO_EDGE_ORIGINS];
