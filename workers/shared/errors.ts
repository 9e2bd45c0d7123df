import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';

/** The one error type services throw; rendered by the root onError as {"error":{code,message,details}}. */
export class AppError extends Error {
  constructor(
    /** `<domain>.<reason>`, e.g. `catalog.product_not_found`; callers compare this, not instanceof. */
    public readonly code: string,
    public readonly status: ContentfulStatusCode,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  /**
   * An expected refusal that a crowd produces by the thousand (sold out, limit reached, rate
   * limited): the request log counts these instead of writing a line for each (see app.ts).
   */
  routine = false;
}

/** Marks an error as a routine refusal (see AppError.routine). */
export function routine<E extends AppError>(e: E): E {
  e.routine = true;
  return e;
}

export const notFound = (code: string, what: string) => new AppError(code, 404, `${what} not found`);
export const forbidden = (message = 'you do not have permission for this action') => new AppError('auth.forbidden', 403, message);
export const unauthorized = (message = 'sign in required') => new AppError('auth.unauthorized', 401, message);
export const conflict = (code: string, message: string, details?: unknown) => new AppError(code, 409, message, details);
export const badRequest = (code: string, message: string, details?: unknown) => new AppError(code, 400, message, details);

export interface FieldIssue {
  path: string;
  message: string;
  code: string;
}

/** Zod issues → 400 validation.failed with dotted field paths ("skus.0.price"). */
export function validationError(err: ZodError, where: string): AppError {
  const issues: FieldIssue[] = err.issues.map((i) => ({
    path: i.path.map(String).join('.') || '(root)',
    message: i.message,
    code: i.code,
  }));
  const first = issues[0];
  const summary = first ? `${where}: ${first.path} — ${first.message}` : `invalid ${where}`;
  return new AppError('validation.failed', 400, summary, { in: where, issues });
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return details === undefined ? { error: { code, message } } : { error: { code, message, details } };
}
