import { MAX_DISPOSITIONS, type Mutation } from '../../../shared/cloud';
import { IpcFailure } from '../../../shared/ipc';
import type { DispositionAdminInput } from '../../../shared/ipc/views';
import type { CallCache } from '../../cache/cache';
import { newIdempotencyKey } from '../../cache/idempotency-key';
import type { SessionService } from '../../session/session-service';
import type { NamespaceHandlers } from '../router';

export interface DispositionHandlerDeps {
  cache: CallCache;
  session: Pick<SessionService, 'user'>;
  kickSync: () => void;
  onLocalChange: (entities: string[]) => void;
}

/** The account's dispositions from the cache; admins change them through the outbox like every other change. */
export function dispositionsHandlers(deps: DispositionHandlerDeps): NamespaceHandlers<'dispositions'> {
  const { cache } = deps;
  const view = () => ({ active: cache.dispositions.active(), all: cache.dispositions.all() });

  const adminMutation = (input: DispositionAdminInput): Mutation => {
    switch (input.action) {
      case 'create':
        if (cache.dispositions.active().length >= MAX_DISPOSITIONS) {
          throw new IpcFailure('DISPOSITION_LIMIT_REACHED', `You already have ${MAX_DISPOSITIONS} dispositions, the most an account can have. Delete one first.`);
        }
        return { type: 'disposition.create', idempotencyKey: newIdempotencyKey('disposition-create'), payload: { label: input.label } };
      case 'rename':
        return { type: 'disposition.rename', idempotencyKey: newIdempotencyKey('disposition-rename'), payload: { dispositionId: input.dispositionId, label: input.label } };
      case 'delete':
        return { type: 'disposition.delete', idempotencyKey: newIdempotencyKey('disposition-delete'), payload: { dispositionId: input.dispositionId } };
      case 'reorder':
        return { type: 'disposition.reorder', idempotencyKey: newIdempotencyKey('disposition-reorder'), payload: { orderedIds: input.orderedIds } };
    }
  };

  return {
    'dispositions.list': () => view(),
    'dispositions.admin': (input) => {
      if (deps.session.user?.role !== 'admin') throw new IpcFailure('FORBIDDEN', 'Only account admins can change dispositions.');
      cache.outbox.enqueue(adminMutation(input));
      deps.onLocalChange(['dispositions']);
      deps.kickSync();
      return view();
    },
  };
}
