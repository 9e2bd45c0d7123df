import { OpenAPIHono, z } from '@hono/zod-openapi';
import { clockNow } from './clock';
import type { Context } from 'hono';
import type { Actor, Ctx } from './context';
import { getDb } from './db';
import type { Env } from './env';
import { validationError } from './errors';
import type { Logger } from './log';

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    log: Logger;
    actor: Actor;
    /** set by onError for a routine refusal (AppError.routine) */ routineRefusal?: string;
  };
}

/** A router whose zod failures become `400 validation.failed` with field paths. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) throw validationError(result.error, result.target);
      void c;
    },
  });
}

/** Builds the service context from a request. */
export function ctxOf(c: Context<AppEnv>): Ctx {
  let waitUntil: Ctx['waitUntil'];
  try {
    const ec = c.executionCtx;
    waitUntil = (p) => ec.waitUntil(p);
  } catch {
    waitUntil = undefined;
  }
  return {
    db: getDb(c.env.DB),
    env: c.env,
    actor: c.get('actor') ?? { kind: 'anonymous' },
    now: clockNow(),
    requestId: c.get('requestId'),
    log: c.get('log'),
    waitUntil,
  };
}

/** The error shape every route documents. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'validation.failed' }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorSchema } },
});

/** Standard error responses for route definitions. */
export const errorResponses = {
  400: errorResponse('invalid input (validation.failed with field paths)'),
  401: errorResponse('not signed in or token invalid'),
  403: errorResponse('signed in but not allowed'),
  404: errorResponse('not found'),
  409: errorResponse('conflicts with the current state'),
  429: errorResponse('too many requests; slow down and retry'),
  503: errorResponse(
    'busy (too many shoppers at once): nothing was decided; retry after Retry-After seconds with the same Idempotency-Key',
  ),
} as const;

export const jsonContent = <T extends z.ZodTypeAny>(schema: T, description = 'OK') => ({
  description,
  content: { 'application/json': { schema } },
});

export const jsonBody = <T extends z.ZodTypeAny>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

/** A body the client may leave out (one-tap actions); read it with `c.req.valid('json') ?? schema.parse({})`. */
export const optionalJsonBody = <T extends z.ZodTypeAny>(schema: T) => ({
  required: false,
  content: { 'application/json': { schema } },
});

export const bearerSecurity = [{ bearerAuth: [] }];
