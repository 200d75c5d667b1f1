import { z } from 'zod';
import { createTaskSchema, finishTaskSchema, listedTaskSchema, listTasksQuerySchema, sendTaskTextSchema, taskSchema } from '../../shared/cloud/tasks';
import { write } from '../db/unit-of-work';
import { idParams } from '../http/params';
import type { FeatureRoutes } from '../http/router';
import { createTask, getTask, listTasks } from './service';
import { sendTaskText } from './text';
import { claimTask, finishTask, startTask } from './work';

/** The Manual Actions queue: list, create (admins), claim, start (Let's Start), finish (completed / skipped / cancelled). */
export const taskRoutes: FeatureRoutes = (router, ctx) => {
  const tag = 'tasks';
  router.add({
    method: 'GET', url: '/v1/tasks', tag, access: 'user', summary: 'Tasks, oldest first: mine (default), unassigned, or all (admins); by status, type, workflow',
    query: listTasksQuerySchema, response: z.array(listedTaskSchema),
    handler: ({ principal, query }) => listTasks(ctx, principal, query),
  });
  router.add({
    method: 'POST', url: '/v1/tasks', tag, access: 'admin', status: 201, summary: 'Queue a task by hand (workflows queue theirs through Manual SMS / Manual Call)',
    body: createTaskSchema, response: taskSchema,
    handler: ({ principal, body }) => write(ctx.db, principal.accountId, (uow) =>
      createTask(uow, { accountId: principal.accountId, type: body.type, contactId: body.contactId, title: body.title, message: body.message ?? null,
        fromNumberId: body.fromNumberId ?? null, selectedUserId: body.assignToUserId ?? null, expiresInHours: body.expiresInHours ?? null }).then(({ assignedBecause: _, ...task }) => task)),
  });
  router.add({
    method: 'GET', url: '/v1/tasks/:id', tag, access: 'user', summary: 'One task, with why it is blocked', params: idParams, response: listedTaskSchema,
    handler: ({ principal, params }) => getTask(ctx, principal, params.id),
  });
  router.add({
    method: 'POST', url: '/v1/tasks/:id/claim', tag, access: 'user', summary: 'Claim an Unassigned task (exactly one of concurrent claims wins; the others learn who has it)',
    params: idParams, response: taskSchema,
    handler: ({ principal, params }) => write(ctx.db, principal.accountId, (uow) => claimTask(uow, principal, params.id)),
  });
  router.add({
    method: 'POST', url: '/v1/tasks/:id/start', tag, access: 'user', summary: "Let's Start: the task is being worked", params: idParams, response: taskSchema,
    handler: ({ principal, params }) => write(ctx.db, principal.accountId, (uow) => startTask(uow, principal, params.id)),
  });
  router.add({
    method: 'POST', url: '/v1/tasks/:id/finish', tag, access: 'user', summary: 'Completed (with a call task’s outcome), skipped or cancelled (the workflow moves on)',
    params: idParams, body: finishTaskSchema, response: taskSchema,
    handler: ({ principal, params, body }) => write(ctx.db, principal.accountId, (uow) => finishTask(uow, principal, params.id, body)),
  });
  router.add({
    method: 'POST', url: '/v1/tasks/:id/text', tag, access: 'user',
    summary: "Send a text task's message (as edited) from the practice's number through Twilio; accepted: the task is completed; refused: 502 with Twilio's reason, the task stays open",
    params: idParams, body: sendTaskTextSchema, response: taskSchema,
    handler: ({ principal, params, body }) => sendTaskText(ctx, principal, params.id, body.message),
  });
};
