import { z } from 'zod';
import { phoneNumberSchema, userSchema } from '../../../shared/cloud/entities';
import {
  deletedNumberSchema,
  managedNumberSchema,
  numberPaths,
  numberPricingSchema,
  numberRequestSchema,
  numberSearchResultSchema,
  purchaseResultSchema,
  restoreResultSchema,
  unconfirmedPurchaseSchema,
  type UnconfirmedPurchase,
} from '../../../shared/cloud/numbers';
import { IpcFailure } from '../../../shared/ipc/result';
import type { CallCache } from '../../cache/cache';
import { CloudError, type CloudApi } from '../../cloud-client/cloud-client';
import type { SessionService } from '../../session/session-service';
import type { NamespaceHandlers } from '../router';

export interface NumbersHandlerDeps {
  session: Pick<SessionService, 'authed' | 'user'>;
  api: Pick<CloudApi, 'call'>;
  cache: Pick<CallCache, 'directory' | 'session'>;
  /** A change the cache should pull soon (the numbers list, a member's inbound number). */
  kickSync: () => void;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';

/**
 * The phone-number admin screens against the cloud's /v1/numbers routes with the session's token.
 * Admin-only channels are refused here first (the cloud checks again). Cloud refusals keep their
 * stable code and message; an unreachable cloud is said plainly: buying, deleting and restoring
 * need a connection.
 */
export function numbersHandlers(deps: NumbersHandlerDeps): NamespaceHandlers<'numbers'> {
  const admin = (): void => {
    if (deps.session.user?.role !== 'admin') throw new IpcFailure('FORBIDDEN', 'Only account admins can manage phone numbers.');
  };
  const call = async <S extends z.ZodType>(method: Method, path: string, body: unknown, schema: S): Promise<z.output<S>> => {
    admin();
    try {
      return await deps.session.authed((token) => deps.api.call(token, method, path, body, schema));
    } catch (error) {
      if (error instanceof CloudError) {
        const message = error.status === 0 ? 'The cloud cannot be reached: phone numbers are managed online. Try again when you are connected.' : error.message;
        throw new IpcFailure(error.code, message);
      }
      throw error;
    }
  };
  /** A change others see through sync: pull it soon. */
  const changed = <T>(value: T): T => {
    deps.kickSync();
    return value;
  };
  const users = z.array(userSchema);

  return {
    'numbers.overview': async () => {
      const [numbers, members, pricing, unconfirmed] = await Promise.all([
        call('GET', numberPaths.managed, undefined, z.array(managedNumberSchema)),
        call('GET', '/v1/users', undefined, users),
        call('GET', numberPaths.pricing, undefined, numberPricingSchema),
        // A cloud from before the sweep has no such list: none to show, not an error.
        call('GET', numberPaths.unconfirmedPurchases, undefined, z.array(unconfirmedPurchaseSchema)).catch((error: unknown): UnconfirmedPurchase[] => {
          if (error instanceof IpcFailure && error.code === 'NOT_FOUND') return [];
          throw error;
        }),
      ]);
      return {
        numbers,
        members: members.map((u) => ({ id: u.id, name: u.name, role: u.role, inboundNumberId: u.inboundNumberId, locationIds: u.locationIds })),
        locations: deps.cache.directory.locations().filter((l) => !l.deletedAt).map((l) => ({ id: l.id, name: l.name })),
        prices: pricing.prices,
        homeCountry: pricing.homeCountry,
        unconfirmed,
      };
    },
    'numbers.search': (query) => {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
      return call('GET', `${numberPaths.available}?${params.toString()}`, undefined, numberSearchResultSchema);
    },
    'numbers.buy': async (request) => changed(await call('POST', numberPaths.purchases, request, purchaseResultSchema)),
    'numbers.update': async ({ numberId, changes }) => changed(await call('PATCH', numberPaths.number(numberId), changes, phoneNumberSchema)),
    'numbers.delete': async ({ numberId, request }) => changed(await call('POST', numberPaths.delete(numberId), request, deletedNumberSchema)),
    'numbers.deleted': () => call('GET', numberPaths.deleted, undefined, z.array(deletedNumberSchema)),
    'numbers.restore': async ({ numberId }) => changed(await call('POST', numberPaths.restore(numberId), undefined, restoreResultSchema)),
    'numbers.releaseHeld': ({ numberId, releaseConfirmation }) => call('POST', numberPaths.release(numberId), { releaseConfirmation }, deletedNumberSchema),
    'numbers.requests': () => call('GET', numberPaths.requests, undefined, z.array(numberRequestSchema)),
    'numbers.createRequest': (request) => call('POST', numberPaths.requests, request, numberRequestSchema),
    'numbers.cancelRequest': ({ requestId }) => call('POST', numberPaths.cancelRequest(requestId), undefined, numberRequestSchema),
    'numbers.setInboundNumber': async ({ userId, phoneNumberId }) => changed(await call('PUT', numberPaths.inboundNumber(userId), { phoneNumberId }, userSchema)),
    // From the cache: a receptionist sees their own number offline too.
    'numbers.mine': () => {
      const me = deps.cache.session.user();
      const number = me?.inboundNumberId ? (deps.cache.directory.phoneNumbers().find((n) => n.id === me.inboundNumberId && !n.deletedAt) ?? null) : null;
      return { number };
    },
  };
}
