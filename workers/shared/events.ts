import type { z } from 'zod';
import type { Ctx } from './context';
import { newId } from './ids';

/** The envelope of every queue message. */
export interface QueueMessage<T = unknown> {
  /** `<sending domain>.<event>`: the sender's `events.ts` defines it. */
  type: string;
  /** Unique per logical event, so consumers can dedupe redeliveries. */
  id: string;
  at: number;
  data: T;
}

export type QueueName = 'NOTIFICATIONS' | 'SETTLEMENT' | 'MARKETING';

/**
 * A message contract: its type, the queue it travels on and its payload schema. Each sending
 * domain declares its contracts in its `events.ts`; the handler validates against the same schema.
 */
export interface MessageDef<T, K extends string = string> {
  readonly type: K;
  readonly queue: QueueName;
  readonly schema: z.ZodType<T>;
}

/** Declares a message contract (see MessageDef). */
export function defineMessage<K extends string, S extends z.ZodType>(type: K, queue: QueueName, schema: S): MessageDef<z.output<S>, K> {
  return { type, queue, schema: schema as unknown as z.ZodType<z.output<S>> };
}

/** The envelope for one message of a contract, e.g. for a `sendBatch`. */
export function envelope<T>(def: MessageDef<T>, data: T, id: string, at: number): QueueMessage<T> {
  return { type: def.type, id, at, data };
}

/**
 * Sends one message of a contract on its queue. The payload is typed here and validated on
 * receipt (not on send: the sender's types already hold, and the flash-sale path is hot).
 */
export async function emit<T>(ctx: Ctx, def: MessageDef<T>, data: T, opts: { id?: string; delaySeconds?: number } = {}): Promise<void> {
  await ctx.env[def.queue].send(
    envelope(def, data, opts.id ?? newId('evt'), ctx.now),
    opts.delaySeconds ? { delaySeconds: opts.delaySeconds } : undefined,
  );
}

/** Thrown for a message whose payload does not match its contract: retrying cannot fix it. */
export class InvalidMessage extends Error {}

/** One consumer entry: the message type it handles and how. `queue.ts` dispatches on `type`. */
export interface MessageHandler {
  readonly type: string;
  handle(ctx: Ctx, msg: QueueMessage): Promise<void>;
  /**
   * Optional: all of a delivery's messages of this type at once (valid payloads only), answering
   * per message — null to ack it, an Error to retry it. For work that pays to batch (one D1 batch
   * for many orders); `handle` stays the one-message path.
   */
  handleMany?(ctx: Ctx, msgs: QueueMessage[]): Promise<(Error | null)[]>;
}

/** A handler for one contract: the payload is parsed with the contract's schema before `fn` sees it. */
export function on<T>(def: MessageDef<T>, fn: (ctx: Ctx, data: T, msg: QueueMessage<T>) => Promise<void>): MessageHandler {
  return {
    type: def.type,
    async handle(ctx, msg) {
      const parsed = def.schema.safeParse(msg.data);
      if (!parsed.success)
        throw new InvalidMessage(`${def.type}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
      await fn(ctx, parsed.data, { ...msg, data: parsed.data });
    },
  };
}

/**
 * A handler for one contract that takes a delivery's messages of that type together (see
 * MessageHandler.handleMany). `fn` answers per payload: null when done, an Error to retry that
 * message. A payload that breaks the contract is answered with InvalidMessage (acked, not retried).
 */
export function onBatch<T>(def: MessageDef<T>, fn: (ctx: Ctx, data: T[]) => Promise<(Error | null)[]>): MessageHandler {
  const one = on(def, async (ctx, data) => {
    const [r] = await fn(ctx, [data]);
    if (r) throw r;
  });
  return {
    ...one,
    async handleMany(ctx, msgs) {
      const parsed = msgs.map((m) => def.schema.safeParse(m.data));
      const valid = parsed.flatMap((p, i) => (p.success ? [{ i, data: p.data }] : []));
      const out: (Error | null)[] = parsed.map((p) =>
        p.success ? null : new InvalidMessage(`${def.type}: ${p.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join('; ')}`),
      );
      if (!valid.length) return out;
      let answers: (Error | null)[];
      try {
        answers = await fn(
          ctx,
          valid.map((v) => v.data),
        );
      } catch (e) {
        answers = valid.map(() => (e instanceof Error ? e : new Error(String(e))));
      }
      valid.forEach((v, k) => (out[v.i] = answers[k] ?? null));
      return out;
    },
  };
}
