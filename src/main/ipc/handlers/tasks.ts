import type { TaskMutation } from '../../cache/tasks';
import type { CallCache } from '../../cache/cache';
import type { WrapUpService } from '../../phone/wrap-up-service';
import { newIdempotencyKey } from '../../cache/idempotency-key';
import type { TaskAct, TaskListFilter, TasksView } from '../../../shared/ipc/contract-tasks';
import type { NamespaceHandlers } from '../router';

export interface TaskHandlerDeps {
  cache: CallCache;
  kickSync: () => void;
  /** Views refresh, and the tray's open-task count with them (core/index.ts). */
  onLocalChange: (entities: string[]) => void;
  /** A call task's outcome chosen here ends its call's wrap-up (one outcome, not two pickers). */
  wrapUps?: Pick<WrapUpService, 'dismiss'>;
}

function toMutation(cache: CallCache, input: TaskAct): TaskMutation {
  const key = newIdempotencyKey(`task-${input.action}`);
  if (input.action === 'finish') {
    const { action: _, ...payload } = input;
    // A call task's outcome goes on the call placed for it (History, reporting) when the cache has it.
    const callId = payload.callId ?? (payload.callOutcome ? cache.tasks.callFor(input.taskId) : null);
    return { type: 'task.finish', idempotencyKey: key, payload: callId ? { ...payload, callId } : payload };
  }
  if (input.action === 'sendText') return { type: 'task.sendText', idempotencyKey: key, payload: { taskId: input.taskId, message: input.message } };
  return { type: input.action === 'claim' ? 'task.claim' : 'task.start', idempotencyKey: key, payload: { taskId: input.taskId } };
}

/** The Manual Actions queue from the cache; every action through the outbox (offline, exactly once). */
export function tasksHandlers(deps: TaskHandlerDeps): NamespaceHandlers<'tasks'> {
  const { cache } = deps;
  const view = (filter?: TaskListFilter): TasksView => {
    const items = cache.tasks.list(filter ?? {});
    const workflows = new Map<string, string>();
    for (const t of cache.tasks.list({ scope: 'all', status: 'open', limit: 1000 })) if (t.workflowId && t.workflowName) workflows.set(t.workflowId, t.workflowName);
    return { items, openCount: cache.tasks.openCount(), workflows: [...workflows].map(([id, name]) => ({ id, name })) };
  };
  return {
    'tasks.list': (input) => view(input),
    'tasks.act': (input) => {
      const mutation = toMutation(cache, input);
      cache.tasks.act(mutation);
      deps.onLocalChange(['tasks']);
      if (mutation.type === 'task.finish' && mutation.payload.callOutcome && mutation.payload.callId) {
        const sid = cache.calls.get(mutation.payload.callId)?.call.twilioCallSid;
        if (sid && cache.wrapups.get(sid)) deps.wrapUps?.dismiss(sid);
      }
      deps.kickSync();
      return { task: cache.tasks.get(input.taskId) };
    },
  };
}
