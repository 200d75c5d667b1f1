import { z } from 'zod';
import { finishTaskSchema, listTasksQuerySchema, taskSchema } from '../../shared/cloud/tasks';
import { write } from '../db/unit-of-work';
import { idParams } from '../http/params';
import type { FeatureRoutes } from '../http/router';
import { finishTask, listTasks, startTask } from './service';

/** The Manual Actions queue: list, start (Let's Start), finish (completed / skipped / cancelled). */
export const taskRoutes: FeatureRoutes = (router, ctx) => {
  const tag = 'tasks';
  router.add({
    method: 'GET', url: '/v1/tasks', tag, access: 'user', summary: 'Tasks: mine (default), unassigned, or all (admins)', query: listTasksQuerySchema,
    response: z.array(taskSchema),
    handler: ({ principal, query }) => listTasks(ctx, principal, query),
  });
  router.add({
    method: 'POST', url: '/v1/tasks/:id/start', tag, access: 'user', summary: "Let's Start: the task is being worked", params: idParams, response: taskSchema,
    handler: ({ principal, params }) => write(ctx.db, principal.accountId, (uow) => startTask(uow, principal, params.id)),
  });
  router.add({
    method: 'POST', url: '/v1/tasks/:id/finish', tag, access: 'user', summary: 'Completed, skipped or cancelled (the workflow moves on)', params: idParams,
    body: finishTaskSchema, response: taskSchema,
    handler: ({ principal, params, body }) => write(ctx.db, principal.accountId, (uow) => finishTask(uow, principal, params.id, body.outcome, body.reason ?? null)),
  });
};
