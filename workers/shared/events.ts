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

export type QueueName = 'NOTIFICATIONS' | 'SETTLEMENT';

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
