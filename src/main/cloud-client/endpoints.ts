import type { VoiceConfig } from '../../shared/ipc';
import { TWILIO_EDGE_ORIGINS } from '../../shared/security/csp';
import type { EmbeddedStack } from '../embedded';

/** Where the renderer's Twilio Device connects: the embedded sandbox's edge, or Twilio itself. */
export const voiceConfigFor = (embedded: EmbeddedStack | undefined): VoiceConfig =>
  embedded ? { edge: 'sandbox', chunderw: embedded.edgeHost, eventgw: embedded.edgeHost } : { edge: 'twilio', chunderw: null, eventgw: null };

/**
 * Origins the renderer may connect to (the CSP's connect-src): the cloud, and the sandbox's edge or
 * Twilio's. Needs only the edge's address, so it can be known before the embedded stack has started.
 */
export const connectOriginsFor = (cloudUrl: string, embedded: Pick<EmbeddedStack, 'edgeHost'> | undefined): string[] =>
  embedded ? [cloudUrl, `https://${embedded.edgeHost}`] : [cloudUrl, ...TWILIO_EDGE_ORIGINS];
