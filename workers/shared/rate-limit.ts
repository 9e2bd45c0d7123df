import { AppError, routine } from './errors';

/**
 * Applies a Workers rate-limit binding (per-colo, approximate — a brake on scripts, not an
 * accounting tool). A missing binding means no limit (e.g. a deployment that did not declare it).
 */
export async function enforceRateLimit(limiter: RateLimit | undefined, key: string, code: string, message: string): Promise<void> {
  if (!limiter) return;
  const { success } = await limiter.limit({ key });
  if (!success) throw routine(new AppError(code, 429, message));
}
