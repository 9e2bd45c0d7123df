import { AppError, routine } from './errors';

/**
 * Runs a call into a Durable Object, turning the platform's "overloaded" refusal (too many calls
 * queued for one object: `error.overloaded === true`) into `503 <domain>.busy` with Retry-After.
 * Nothing was decided, so the client may retry with the same Idempotency-Key; the Worker does
 * not retry itself (Cloudflare's advice: retrying an overloaded object only adds to its queue).
 * Any other error is passed on.
 */
export async function callObject<T>(domain: string, call: () => PromiseLike<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (isOverloaded(e))
      throw routine(new AppError(`${domain}.busy`, 503, 'too many shoppers at once; try again in a moment', { retryAfterSeconds: 1 }));
    throw e;
  }
}

/** True for the error a Durable Object stub throws when the object is overloaded. */
export function isOverloaded(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { overloaded?: unknown }).overloaded === true;
}
