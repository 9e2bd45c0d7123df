import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../../shared/http';
import { requireStaff } from '../../auth/middleware';
import { CreateTaskInput, TaskConfigListSchema, TaskConfigSchema, UpdateTaskInput } from './dto';
import { createTask, listTaskConfigs, updateTask } from './tasks.service';

const tags = ['Tasks admin'];
const security = bearerSecurity;
export const tasksAdminRoutes = createRouter();

tasksAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/tasks',
    operationId: 'listTaskConfigs',
    tags,
    security,
    middleware: requireStaff('members.read'),
    summary: '任务配置: every task (enabled or not) in display order, with rewards paid today and in all',
    responses: { 200: jsonContent(TaskConfigListSchema), 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await listTaskConfigs(ctxOf(c)), 200),
);

tasksAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/tasks',
    operationId: 'createTask',
    tags,
    security,
    middleware: requireStaff('members.write'),
    summary:
      "Create a task: kind, daily or once, target count, reward (points, a coupon template open to the 'task' channel, or make-up cards). 400 members.task_coupon_invalid",
    request: { body: jsonBody(CreateTaskInput) },
    responses: {
      201: jsonContent(TaskConfigSchema, 'created'),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
    },
  }),
  async (c) => c.json(await createTask(ctxOf(c), c.req.valid('json')), 201),
);

tasksAdminRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/tasks/{taskId}',
    operationId: 'updateTask',
    tags,
    security,
    middleware: requireStaff('members.write'),
    summary: 'Change a task (title, target, reward, enabled, order); its kind and period stay. Rewards already paid are kept',
    request: { params: z.object({ taskId: z.string().min(4).max(40) }), body: jsonBody(UpdateTaskInput) },
    responses: {
      200: jsonContent(TaskConfigSchema),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
    },
  }),
  async (c) => c.json(await updateTask(ctxOf(c), c.req.valid('param').taskId, c.req.valid('json')), 200),
);
