import { taskListFilterSchema } from '../../../shared/ipc/contract-tasks';
import type { CallCache } from '../cache-port';
import { validate } from '../errors';
import { listNotifications, unreadNotificationCount } from '../notifications';
import { enqueueMutation, parseMutation } from '../outbox';
import { checkTaskAction, findTaskCall, getTask, listTasks, openTaskCount, taskForCall, type TaskMutation } from '../tasks';
import { entityIdSchema, notificationListSchema } from '../types';
import type { PortContext } from './context';

/** The receptionist's inbox: internal notifications and the Manual Actions queue, with their local changes through the outbox. */
export function createInboxPorts({ db, now, writes }: PortContext): Pick<CallCache, 'notifications' | 'tasks'> {
  return {
    notifications: {
      list: (options) => listNotifications(db, validate(notificationListSchema, 'notification list options', options ?? {})),
      unreadCount: () => unreadNotificationCount(db),
      markReadLocally: (notificationId, idempotencyKey) => {
        const mutation = parseMutation({ type: 'notification.markRead', idempotencyKey, payload: { notificationId } });
        const at = now();
        return writes.durable(() => enqueueMutation(db, mutation, at));
      },
    },
    tasks: {
      list: (filter) => listTasks(db, validate(taskListFilterSchema, 'task filter', filter ?? {})),
      get: (id) => getTask(db, validate(entityIdSchema, 'task id', id)),
      openCount: () => openTaskCount(db),
      callFor: (taskId) => findTaskCall(db, validate(entityIdSchema, 'task id', taskId)),
      forCall: (callId) => taskForCall(db, validate(entityIdSchema, 'call id', callId)),
      act: (input) => {
        const mutation = parseMutation(input) as TaskMutation;
        const at = now();
        return writes.durable(() => {
          checkTaskAction(db, mutation);
          return enqueueMutation(db, mutation, at);
        });
      },
    },
  };
}
