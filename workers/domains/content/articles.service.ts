import { and, desc, eq, inArray, like, sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { badRequest, conflict, forbidden, notFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { watchedProducts } from '../catalog/product-watch.service';
import type { AdminContentDto, AdminContentListQuery, CreateArticleInput, UpdateArticleInput } from './dto';
import { metricTotals, toAdminDto, type ContentRow } from './rows';
import { homeChanged } from './home-cache';
import { sanitizeArticleHtml } from './sanitize';
import { contentItems, type ContentStatus } from './schema';

/** The acting staff member's id (the system's name for cron/demo work). */
export function staffIdOf(ctx: Ctx): string {
  if (ctx.actor.kind === 'staff') return ctx.actor.staffId;
  if (ctx.actor.kind === 'system') return `system:${ctx.actor.name}`;
  throw forbidden();
}

const ms = (v: string | null | undefined) => (v == null ? null : Date.parse(v));
const uniq = (xs: string[] | undefined) => [...new Set(xs ?? [])];

/** Embedded products must exist (an off-sale one is allowed: it shows as 已下架). */
async function checkProducts(ctx: Ctx, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const found = await watchedProducts(ctx, ids);
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) throw badRequest('content.product_not_found', `unknown products: ${missing.join(', ')}`, { productIds: missing });
}

/** The content row, or 404 content.not_found. */
export async function getContentRow(ctx: Ctx, id: string): Promise<ContentRow> {
  const [row] = await ctx.db.select().from(contentItems).where(eq(contentItems.id, id)).limit(1);
  if (!row) throw notFound('content.not_found', `content ${id}`);
  return row;
}

/** One content with its lifetime metrics (admin). */
export async function getAdminContent(ctx: Ctx, id: string): Promise<AdminContentDto> {
  const row = await getContentRow(ctx, id);
  return toAdminDto(ctx, row, (await metricTotals(ctx, [id])).get(id));
}

/** A key's id: the same staff member repeating a create with the same key gets the same id. */
export async function idFromKey(prefix: string, staffId: string, key: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${prefix}\n${staffId}\n${key}`)));
  return `${prefix}_${[...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * A new draft. With an Idempotency-Key a retry returns the first draft (created: false) instead of
 * writing a second one.
 */
export async function createArticle(ctx: Ctx, input: CreateArticleInput, idempotencyKey?: string) {
  const staffId = staffIdOf(ctx);
  const productIds = uniq(input.productIds);
  await checkProducts(ctx, productIds);
  const id = idempotencyKey ? await idFromKey('cnt', staffId, idempotencyKey) : newId('cnt');
  const inserted = await ctx.db
    .insert(contentItems)
    .values({
      id,
      kind: input.kind,
      title: input.title,
      summary: input.summary ?? null,
      coverMediaKey: input.coverMediaKey ?? null,
      body: sanitizeArticleHtml(input.body),
      productIds: JSON.stringify(productIds),
      tags: JSON.stringify(uniq(input.tags)),
      seasonTag: input.seasonTag ?? null,
      status: 'draft',
      publishAt: ms(input.publishAt),
      flagState: 'none',
      likes: 0,
      dislikes: 0,
      reports: 0,
      createdBy: staffId,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .onConflictDoNothing()
    .returning({ id: contentItems.id });
  return { content: await getAdminContent(ctx, id), created: inserted.length > 0 };
}

/** Staff list, newest change first. */
export async function listAdminContent(ctx: Ctx, q: AdminContentListQuery): Promise<{ items: AdminContentDto[] }> {
  const conds: SQL[] = [];
  if (q.status) conds.push(eq(contentItems.status, q.status));
  if (q.kind) conds.push(eq(contentItems.kind, q.kind));
  if (q.flagged !== undefined) conds.push(q.flagged ? eq(contentItems.flagState, 'flagged') : sql`${contentItems.flagState} <> 'flagged'`);
  if (q.q) conds.push(like(contentItems.title, `%${q.q.replace(/[%_]/g, '')}%`));
  const rows = await ctx.db
    .select()
    .from(contentItems)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(contentItems.updatedAt))
    .limit(200);
  const metrics = await metricTotals(
    ctx,
    rows.map((r) => r.id),
  );
  return { items: rows.map((r) => toAdminDto(ctx, r, metrics.get(r.id))) };
}

/**
 * Moves a content from one of `from` to a new state in one guarded UPDATE, so two operators racing
 * cannot both act. A repeat of a move already made (`already` says what that looks like) returns
 * the content unchanged; any other state is 409 content.invalid_transition.
 */
export async function transition(
  ctx: Ctx,
  id: string,
  from: readonly ContentStatus[],
  set: Partial<ContentRow>,
  what: string,
  already?: (r: ContentRow) => boolean,
  extra?: SQL,
): Promise<AdminContentDto> {
  const changed = await ctx.db
    .update(contentItems)
    .set({ ...set, updatedAt: ctx.now })
    .where(and(eq(contentItems.id, id), inArray(contentItems.status, [...from]), extra))
    .returning({ id: contentItems.id });
  // the home's topic entries and banners follow an article's state
  if (changed.length) homeChanged();
  const row = await getContentRow(ctx, id);
  if (!changed.length && !already?.(row))
    throw conflict('content.invalid_transition', `cannot ${what} content that is ${row.status}`, { status: row.status });
  return toAdminDto(ctx, row, (await metricTotals(ctx, [id])).get(id));
}

/** A content shoppers can see right now is not edited in place: take it down first. */
const notLiveNow = (now: number) => sql`NOT (${contentItems.status} IN ('scheduled', 'published') AND ${contentItems.publishAt} <= ${now})`;

/**
 * Changes a content that is not public; it goes back to draft (its screening no longer applies).
 * 409 content.not_editable while shoppers can see it.
 */
export async function updateArticle(ctx: Ctx, id: string, patch: UpdateArticleInput): Promise<AdminContentDto> {
  staffIdOf(ctx);
  const productIds = patch.productIds ? uniq(patch.productIds) : undefined;
  if (productIds) await checkProducts(ctx, productIds);
  const set: Partial<ContentRow> = { status: 'draft', screenVerdict: null, screenMatches: null };
  if (patch.kind !== undefined) set.kind = patch.kind;
  if (patch.title !== undefined) set.title = patch.title;
  if (patch.summary !== undefined) set.summary = patch.summary;
  if (patch.coverMediaKey !== undefined) set.coverMediaKey = patch.coverMediaKey;
  if (patch.body !== undefined) set.body = sanitizeArticleHtml(patch.body);
  if (productIds) set.productIds = JSON.stringify(productIds);
  if (patch.tags !== undefined) set.tags = JSON.stringify(uniq(patch.tags));
  if (patch.seasonTag !== undefined) set.seasonTag = patch.seasonTag;
  if (patch.publishAt !== undefined) set.publishAt = ms(patch.publishAt);
  const changed = await ctx.db
    .update(contentItems)
    .set({ ...set, updatedAt: ctx.now })
    .where(and(eq(contentItems.id, id), sql`${contentItems.status} <> 'published'`, notLiveNow(ctx.now)))
    .returning({ id: contentItems.id });
  if (!changed.length) {
    const row = await getContentRow(ctx, id);
    throw conflict('content.not_editable', 'shoppers can see this content: take it down before editing', { status: row.status });
  }
  return getAdminContent(ctx, id);
}

/** After approval: scheduled when it has a publish time (public from then), approved otherwise. */
export const approvedState = (publishAt: number | null): ContentStatus => (publishAt === null ? 'approved' : 'scheduled');

/** An operator approves content held for review (screening warn/review, or a shoppers' flag). */
export async function approveArticle(ctx: Ctx, id: string): Promise<AdminContentDto> {
  staffIdOf(ctx);
  const row = await getContentRow(ctx, id);
  if (row.screenVerdict === 'block') throw conflict('content.screening_blocked', 'blocked content cannot be approved; edit it');
  return transition(
    ctx,
    id,
    ['review'],
    {
      status: approvedState(row.publishAt),
      rejectReason: null,
      ...(row.flagState === 'flagged' ? { flagState: 'cleared' as const } : {}),
    },
    'approve',
    (r) => r.status === 'approved' || r.status === 'scheduled' || r.status === 'published',
    // the publish time read above is the one the new state was chosen by
    row.publishAt === null ? sql`${contentItems.publishAt} IS NULL` : eq(contentItems.publishAt, row.publishAt),
  );
}

export async function rejectArticle(ctx: Ctx, id: string, reason: string): Promise<AdminContentDto> {
  staffIdOf(ctx);
  return transition(
    ctx,
    id,
    ['review'],
    { status: 'draft', rejectReason: reason },
    'reject',
    (r) => r.status === 'draft' && r.rejectReason === reason,
  );
}

/** Sets the publish time of approved content: public from then (at once if it has passed). */
export async function scheduleArticle(ctx: Ctx, id: string, publishAt: string): Promise<AdminContentDto> {
  staffIdOf(ctx);
  const at = Date.parse(publishAt);
  return transition(
    ctx,
    id,
    ['approved', 'scheduled'],
    { status: 'scheduled', publishAt: at },
    'schedule',
    (r) => (r.status === 'scheduled' || r.status === 'published') && r.publishAt === at,
    // a scheduled item already public is published: moving its time would hide it again
    sql`NOT (${contentItems.status} = 'scheduled' AND ${contentItems.publishAt} <= ${ctx.now})`,
  );
}

export async function takeDownArticle(ctx: Ctx, id: string, reason: string): Promise<AdminContentDto> {
  staffIdOf(ctx);
  return transition(
    ctx,
    id,
    ['review', 'approved', 'scheduled', 'published'],
    { status: 'taken_down', takedownReason: reason },
    'take down',
    (r) => r.status === 'taken_down',
  );
}

/** Cron: scheduled content whose time has come becomes published (reads already show it by time). */
export async function publishDueContent(ctx: Ctx): Promise<number> {
  const rows = await ctx.db
    .update(contentItems)
    .set({ status: 'published', updatedAt: ctx.now })
    .where(and(eq(contentItems.status, 'scheduled'), sql`${contentItems.publishAt} <= ${ctx.now}`))
    .returning({ id: contentItems.id });
  return rows.length;
}
