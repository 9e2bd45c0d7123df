import type { Ctx } from './context';
import { newId } from './ids';

/** Sends one typed message; the queue consumer routes it by the type's domain prefix. */
export async function emit<T>(
  ctx: Ctx,
  queue: 'NOTIFICATIONS' | 'SETTLEMENT',
  type: string,
  data: T,
  opts: { id?: string; delaySeconds?: number } = {},
): Promise<void> {
  await ctx.env[queue].send({ type, id: opts.id ?? newId('evt'), at: ctx.now, data }, opts.delaySeconds ? { delaySeconds: opts.delaySeconds } : undefined);
}
