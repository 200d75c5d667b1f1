import type { CloudContext } from '../context';
import type { CallbackUrls } from './callback-urls';
import type { RoutingCache } from './routing-cache';

/** What the voice webhook handlers share. */
export interface VoiceDeps {
  ctx: CloudContext;
  urls: CallbackUrls;
  /** Numbers and callers for the inbound webhook (see RoutingCache); without it every call reads them. */
  routes?: RoutingCache | undefined;
}
