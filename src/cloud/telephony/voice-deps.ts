import type { CloudContext } from '../context';
import type { CallbackUrls } from './callback-urls';
import type { CallerLoads } from './caller-loads';
import type { LastKnownRoutes } from './fallback';
import type { InboundCallWriter } from './inbound-writer';
import type { RoutingCache } from './routing-cache';

/** What the voice webhook handlers share. */
export interface VoiceDeps {
  ctx: CloudContext;
  urls: CallbackUrls;
  /** Numbers and callers for the inbound webhook (see RoutingCache); without it every call reads them. */
  routes?: RoutingCache | undefined;
  /** The cache's caller misses, coalesced per account (see CallerLoads); without it each miss is its own query. */
  callers?: CallerLoads | undefined;
  /** Group commit for inbound calls' rows (see InboundCallWriter); without it each call is written on its own. */
  calls?: InboundCallWriter | undefined;
  /** Each number's routing as of its last call, for the voice fallback (see LastKnownRoutes). */
  lastKnown?: LastKnownRoutes | undefined;
}
