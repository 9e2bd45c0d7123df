/** The `{"error":{code,message,details}}` body every failing route returns, as a thrown error. */
export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Turns a parsed error body (or a thrown network error) into an ApiError. */
export function toApiError(error: unknown, status = 0): ApiError {
  const e = (error as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
  if (e && typeof e === 'object') return new ApiError(status, e.code ?? 'unknown', e.message ?? e.code ?? 'error', e.details);
  if (error instanceof Error) return new ApiError(status, 'network', error.message);
  return new ApiError(status, 'unknown', typeof error === 'string' ? error : 'request failed');
}
