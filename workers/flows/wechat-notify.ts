import type { Context } from 'hono';
import type { Ctx } from '../shared/context';
import { AppError } from '../shared/errors';
import { ctxOf, type AppEnv } from '../shared/http';
import { wechatErrorReply, wechatReply } from '../domains/payments/wechatpay/notification';

/**
 * Answers a WeChat Pay notification the way WeChat expects: 204 once applied (or already
 * applied), `{"code":"FAIL"}` with 4xx/5xx otherwise, so WeChat retries only what may succeed later.
 * The raw body goes to `handle` untouched: the signature covers its exact bytes.
 */
export async function answerWechatNotify(
  c: Context<AppEnv>,
  what: string,
  handle: (ctx: Ctx, headers: Headers, rawBody: string) => Promise<unknown>,
): Promise<Response> {
  const raw = await c.req.text();
  try {
    await handle(ctxOf(c), c.req.raw.headers, raw);
    return wechatReply(true);
  } catch (e) {
    if (!(e instanceof AppError) || e.status >= 500)
      c.get('log').error(`${what} notification failed`, { err: e instanceof Error ? e.message : String(e) });
    else c.get('log').warn(`${what} notification refused`, { code: e.code });
    return wechatErrorReply(e);
  }
}
