import { createRoute, z } from '@hono/zod-openapi';
import { createMiddleware } from 'hono/factory';
import { isSandbox } from '../shared/env';
import { AppError } from '../shared/errors';
import { clockNow, clockOffset, setClockOffset } from '../shared/clock';
import { bearerSecurity, createRouter, errorResponses, jsonBody, jsonContent, type AppEnv } from '../shared/http';
import { requireStaff } from '../domains/auth/middleware';
import { runScheduled } from '../scheduled';

// The development clock: browser scenarios and demos move the server's clock forward (seven
// check-in days, an after-sales window, a shopper going quiet) and run the cron at that time.
// Mounted only outside production, and only in sandbox mode; real time is never touched.

const tags = ['Dev'];

const sandboxOnly = createMiddleware<AppEnv>(async (c, next) => {
  if (!isSandbox(c.env)) throw new AppError('dev.disabled', 404, 'dev tools are only available in sandbox environments');
  await next();
});

const DAY_MS = 86_400_000;

const DevClockSchema = z
  .object({
    now: z.string().openapi({ description: 'the server clock, ISO-8601 UTC' }),
    offsetMs: z.number().int().openapi({ description: 'how far it runs ahead of real time' }),
  })
  .openapi('DevClock');

const SetDevClockInput = z
  .object({
    advanceMs: z
      .number()
      .int()
      .min(1)
      .max(3650 * DAY_MS)
      .optional()
      .openapi({ description: 'move the clock this much further ahead' }),
    offsetMs: z
      .number()
      .int()
      .min(0)
      .max(3650 * DAY_MS)
      .optional()
      .openapi({ description: 'set the lead over real time (0 = real time)' }),
  })
  .refine((v) => (v.advanceMs === undefined) !== (v.offsetMs === undefined), 'give exactly one of advanceMs and offsetMs')
  .openapi('SetDevClockInput');

const clockBody = () => ({ now: new Date(clockNow()).toISOString(), offsetMs: clockOffset() });
const guarded = [sandboxOnly, requireStaff('staff.manage')];

export function createClockRoutes() {
  const routes = createRouter();
  routes.openapi(
    createRoute({
      method: 'get',
      path: '/dev/clock',
      operationId: 'getDevClock',
      tags,
      security: bearerSecurity,
      summary: 'The server clock (sandbox only)',
      middleware: guarded,
      responses: { 200: jsonContent(DevClockSchema), 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] },
    }),
    (c) => c.json(clockBody(), 200),
  );
  routes.openapi(
    createRoute({
      method: 'post',
      path: '/dev/clock',
      operationId: 'setDevClock',
      tags,
      security: bearerSecurity,
      summary: 'Move the server clock forward (sandbox only); it never runs behind real time',
      description:
        'Requests, queue messages and cron runs of this server then see the moved time as now. Per server process: ' +
        'a restart is back on real time. Sign-in tokens keep their real expiry.',
      middleware: guarded,
      request: { body: jsonBody(SetDevClockInput) },
      responses: {
        200: jsonContent(DevClockSchema),
        400: errorResponses[400],
        401: errorResponses[401],
        403: errorResponses[403],
        404: errorResponses[404],
      },
    }),
    (c) => {
      const body = c.req.valid('json');
      setClockOffset(body.offsetMs ?? clockOffset() + body.advanceMs!);
      return c.json(clockBody(), 200);
    },
  );
  routes.openapi(
    createRoute({
      method: 'post',
      path: '/dev/run-cron',
      operationId: 'runDevCron',
      tags,
      security: bearerSecurity,
      summary: 'Run the every-minute cron now, at the server clock (sandbox only), and wait for it',
      middleware: guarded,
      responses: { 200: jsonContent(DevClockSchema), 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] },
    }),
    async (c) => {
      await runScheduled(clockNow(), c.env);
      return c.json(clockBody(), 200);
    },
  );
  return routes;
}
