import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../../shared/http';
import { requireUser } from '../../auth/middleware';
import { ClaimTaskResultSchema, MyTaskListSchema, ReportTaskEventInput, TaskEventResultSchema } from './dto';
import { reportTaskEvent } from './events.service';
import { claimTaskReward, listMyTasks } from './tasks.service';

const tags = ['Tasks'];
export const tasksStoreRoutes = createRouter();

tasksStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/me/tasks',
    operationId: 'listTasks',
    tags,
    security: bearerSecurity,
    middleware: requireUser,
    summary: "任务中心: the enabled tasks with the shopper's progress and state (in_progress 进行中 / claimable 可领取 / claimed 已领取)",
    description: 'Daily tasks count and pay per Asia/Shanghai day; one-off (新手) tasks once ever.',
    responses: { 200: jsonContent(MyTaskListSchema), 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await listMyTasks(ctxOf(c)), 200),
);

tasksStoreRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/me/tasks/{taskId}/claim',
    operationId: 'claimTaskReward',
    tags,
    security: bearerSecurity,
    middleware: requireUser,
    summary: "Claim a finished task's reward: paid once per period (today for a daily task, ever for a one-off)",
    description:
      'The first claim answers 201 with what was paid (points, a coupon, or make-up cards). A repeat — also a concurrent one — answers ' +
      '200 with `alreadyClaimed` and the first claim; nothing is paid twice. 409 members.task_not_complete (details.progress/target) · ' +
      'members.task_reward_unavailable (the coupon ran out) · 404 members.task_not_found.',
    request: { params: z.object({ taskId: z.string().min(4).max(40) }) },
    responses: {
      201: jsonContent(ClaimTaskResultSchema, 'claimed now'),
      200: jsonContent(ClaimTaskResultSchema, 'already claimed: the first claim, nothing paid'),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => {
    const r = await claimTaskReward(ctxOf(c), c.req.valid('param').taskId);
    return r.created ? c.json(r.result, 201) : c.json(r.result, 200);
  },
);

tasksStoreRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/me/task-events',
    operationId: 'reportTaskEvent',
    tags,
    security: bearerSecurity,
    middleware: requireUser,
    summary: 'The product page reports a browse (seconds viewed so far) or a share, for the task centre',
    description:
      'The product must exist and be on sale (404 catalog.product_not_found). A product counts once per kind and Beijing day: a later ' +
      'browse report of it only raises its seconds. Rate-limited per shopper (429 members.task_events_rate_limited) and at most 60 ' +
      'products a day (429 members.task_events_limited).',
    request: { body: jsonBody(ReportTaskEventInput) },
    responses: {
      200: jsonContent(TaskEventResultSchema),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      429: errorResponses[429],
    },
  }),
  async (c) => c.json(await reportTaskEvent(ctxOf(c), c.req.valid('json')), 200),
);
