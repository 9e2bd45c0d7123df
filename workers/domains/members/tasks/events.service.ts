// Task progress: what shoppers did, recorded once per (user, kind, ref).
import { and, eq, sql } from 'drizzle-orm';
import { shanghaiDay } from '../../../shared/calendar';
import { type Ctx, shopperId } from '../../../shared/context';
import { batchFailure, guard } from '../../../shared/db';
import { AppError, notFound, routine } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import { enforceRateLimit } from '../../../shared/rate-limit';
import { getProductRow } from '../../catalog/products.service';
import type { ReportTaskEventInput } from './dto';
import { taskEvents, type TaskKind } from './schema';

/** Client-reported events (browse / share) a shopper may add per Beijing day: more is a script, not a person. */
export const CLIENT_EVENTS_PER_DAY = 60;

/**
 * Records that a shopper did something a task counts — the hook other domains call: a final
 * order (`first_order`, ref `order:<id>`), a published review (`write_review`, `review:<id>`), a
 * completed profile (`complete_profile`, `profile`), a message subscription (`subscribe_messages`,
 * `subscribe`, the first one allowed). Idempotent per (user, kind, ref): a repeat or a redelivery changes
 * nothing and answers false. Never throws for a repeat, so hooks can call it freely.
 */
export async function recordTaskEvent(ctx: Ctx, userId: string, kind: TaskKind, ref: string): Promise<boolean> {
  const r = await ctx.db
    .insert(taskEvents)
    .values({ id: newId('tev'), userId, kind, ref, day: shanghaiDay(ctx.now), value: null, createdAt: ctx.now })
    .onConflictDoNothing()
    .run();
  return (r.meta?.changes ?? 0) > 0;
}

/**
 * reportTaskEvent (shopper): the product page reports a browse (seconds viewed so far) or a
 * share. The product must exist and be on sale; a product counts once per kind and Beijing day
 * (a later browse report raises its seconds, never adds a count); calls are rate-limited per
 * shopper and at most CLIENT_EVENTS_PER_DAY products a day are counted (429 members.task_events_limited).
 */
export async function reportTaskEvent(ctx: Ctx, input: ReportTaskEventInput) {
  const userId = shopperId(ctx, 'this is for shoppers');
  await enforceRateLimit(ctx.env.TASK_EVENT_LIMITER, `u:${userId}`, 'members.task_events_rate_limited', 'too many task events; slow down');
  const product = await getProductRow(ctx, input.productId);
  if (product.status !== 'on_sale') throw notFound('catalog.product_not_found', `product ${input.productId}`);

  const day = shanghaiDay(ctx.now);
  const ref = `product:${input.productId}:${day}`;
  const value = input.kind === 'browse_product' ? input.seconds! : null;
  const before = await eventRow(ctx, userId, input.kind, ref);
  const d1 = ctx.env.DB;
  const upsert = d1
    .prepare(
      `INSERT INTO member_task_events (id, user_id, kind, ref, day, value, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
       ON CONFLICT (user_id, kind, ref) DO UPDATE SET value = max(coalesce(value, 0), coalesce(excluded.value, 0))`,
    )
    .bind(newId('tev'), userId, input.kind, ref, day, value, ctx.now);
  try {
    await d1.batch([
      // The daily cap counts new products only: raising the seconds of one already counted is always fine.
      guard(
        d1,
        `(SELECT count(*) FROM member_task_events WHERE user_id = ?1 AND day = ?2 AND kind IN ('browse_product', 'share_product')) < ?3
          OR EXISTS (SELECT 1 FROM member_task_events WHERE user_id = ?1 AND kind = ?4 AND ref = ?5)`,
        userId,
        day,
        CLIENT_EVENTS_PER_DAY,
        input.kind,
        ref,
      ),
      upsert,
    ]);
  } catch (e) {
    if (batchFailure(e) === 'guard')
      throw routine(new AppError('members.task_events_limited', 429, `at most ${CLIENT_EVENTS_PER_DAY} products count per day`));
    throw e;
  }
  const after = await eventRow(ctx, userId, input.kind, ref);
  return { kind: input.kind, productId: input.productId, day, duplicate: !!before, seconds: after?.value ?? null };
}

async function eventRow(ctx: Ctx, userId: string, kind: TaskKind, ref: string) {
  const [row] = await ctx.db
    .select()
    .from(taskEvents)
    .where(and(eq(taskEvents.userId, userId), eq(taskEvents.kind, kind), eq(taskEvents.ref, ref)))
    .limit(1);
  return row ?? null;
}

/** What a task counts: its kind, the day (daily tasks) and the browse threshold. */
export interface ProgressKey {
  kind: TaskKind;
  /** null: every day (a one-off task) */
  day: string | null;
  /** browse: only visits at least this long */
  minValue: number | null;
}

/** The SQL condition of a progress key: shared by the count a shopper sees and the claim's guard. */
export function progressSql(userId: string, k: ProgressKey) {
  return sql`${taskEvents.userId} = ${userId} AND ${taskEvents.kind} = ${k.kind}
    ${k.day === null ? sql`` : sql`AND ${taskEvents.day} = ${k.day}`}
    ${k.minValue === null ? sql`` : sql`AND ${taskEvents.value} >= ${k.minValue}`}`;
}

/** A batch guard that a shopper has at least `target` events under `k` (the claim's own check, in SQL). */
export function progressGuard(ctx: Ctx, userId: string, k: ProgressKey, target: number): D1PreparedStatement {
  return guard(
    ctx.env.DB,
    `SELECT count(*) >= ?1 FROM member_task_events WHERE user_id = ?2 AND kind = ?3
       AND (?4 IS NULL OR day = ?4) AND (?5 IS NULL OR value >= ?5)`,
    target,
    userId,
    k.kind,
    k.day,
    k.minValue,
  );
}

/** Events counted under `k` for a shopper. */
export async function progressCount(ctx: Ctx, userId: string, k: ProgressKey): Promise<number> {
  const [row] = await ctx.db
    .select({ n: sql<number>`count(*)` })
    .from(taskEvents)
    .where(progressSql(userId, k));
  return Number(row?.n ?? 0);
}
