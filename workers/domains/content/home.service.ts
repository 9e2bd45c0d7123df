import { asc, eq, inArray } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { batchFailure, guard, iso, stmt } from '../../shared/db';
import { badRequest, conflict, notFound, validationError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { watchedProducts } from '../catalog/product-watch.service';
import { idFromKey, staffIdOf } from './articles.service';
import { PAYLOADS, type AdminHomeSectionDto, type CreateHomeSectionInput, type HomeLink, type UpdateHomeSectionInput } from './dto';
import { homeChanged } from './home-cache';
import { contentItems, homeSections, type HomeSectionKind } from './schema';

type SectionRow = typeof homeSections.$inferSelect;
const ms = (v: string | null | undefined) => (v == null ? null : Date.parse(v));

/** Enabled and within its schedule at `now`. */
export const showingAt = (r: Pick<SectionRow, 'enabled' | 'startsAt' | 'endsAt'>, now: number) =>
  r.enabled && (r.startsAt === null || r.startsAt <= now) && (r.endsAt === null || now < r.endsAt);

function toDto(ctx: Ctx, r: SectionRow): AdminHomeSectionDto {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    position: r.position,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    startsAt: iso(r.startsAt),
    endsAt: iso(r.endsAt),
    enabled: r.enabled,
    showingNow: showingAt(r, ctx.now),
    createdAt: iso(r.createdAt)!,
    updatedAt: iso(r.updatedAt)!,
  };
}

/** Links and rails must point at things that exist: products in the catalog, content in this domain. */
async function checkReferences(ctx: Ctx, kind: HomeSectionKind, payload: Record<string, any>): Promise<void> {
  const links: HomeLink[] = [];
  const productIds: string[] = [];
  if (kind === 'banner') for (const s of payload.slides) if (s.link) links.push(s.link);
  if (kind === 'topic_entry') for (const e of payload.entries) links.push(e.link);
  if (kind === 'product_rail') {
    productIds.push(...payload.productIds);
    if (payload.moreLink) links.push(payload.moreLink);
  }
  for (const l of links) if (l.type === 'product') productIds.push(l.target);
  const contentIds = links.filter((l) => l.type === 'article').map((l) => l.target);
  if (productIds.length) {
    const found = await watchedProducts(ctx, [...new Set(productIds)]);
    const missing = productIds.filter((id) => !found.has(id));
    if (missing.length) throw badRequest('content.product_not_found', `unknown products: ${missing.join(', ')}`, { productIds: missing });
  }
  if (contentIds.length) {
    const found = await ctx.db.select({ id: contentItems.id }).from(contentItems).where(inArray(contentItems.id, contentIds));
    const have = new Set(found.map((r) => r.id));
    const missing = contentIds.filter((id) => !have.has(id));
    if (missing.length) throw badRequest('content.not_found', `unknown content: ${missing.join(', ')}`, { contentIds: missing });
  }
}

export async function listHomeSections(ctx: Ctx): Promise<{ items: AdminHomeSectionDto[] }> {
  const rows = await ctx.db.select().from(homeSections).orderBy(asc(homeSections.position), asc(homeSections.createdAt));
  return { items: rows.map((r) => toDto(ctx, r)) };
}

async function sectionRow(ctx: Ctx, id: string): Promise<SectionRow> {
  const [row] = await ctx.db.select().from(homeSections).where(eq(homeSections.id, id)).limit(1);
  if (!row) throw notFound('content.home_section_not_found', `home section ${id}`);
  return row;
}

/** One section (staff). */
export async function getHomeSection(ctx: Ctx, id: string): Promise<AdminHomeSectionDto> {
  return toDto(ctx, await sectionRow(ctx, id));
}

/**
 * A new section, placed last. With an Idempotency-Key a retry returns the first section
 * (created: false) instead of adding a second one.
 */
export async function createHomeSection(ctx: Ctx, input: CreateHomeSectionInput, idempotencyKey?: string) {
  const staffId = staffIdOf(ctx);
  await checkReferences(ctx, input.kind, input.payload);
  const id = idempotencyKey ? await idFromKey('hs', staffId, idempotencyKey) : newId('hs');
  // the position is computed in the INSERT itself, so two creates racing still get distinct places
  const r = await ctx.env.DB.prepare(
    `INSERT INTO home_sections (id, kind, title, position, payload, starts_at, ends_at, enabled, created_at, updated_at)
     VALUES (?1, ?2, ?3, (SELECT coalesce(max(position), 0) + 10 FROM home_sections), ?4, ?5, ?6, ?7, ?8, ?8)
     ON CONFLICT (id) DO NOTHING`,
  )
    .bind(id, input.kind, input.title, JSON.stringify(input.payload), ms(input.startsAt), ms(input.endsAt), input.enabled ? 1 : 0, ctx.now)
    .run();
  if (r.meta.changes > 0) homeChanged();
  return { section: toDto(ctx, await sectionRow(ctx, id)), created: r.meta.changes > 0 };
}

export async function updateHomeSection(ctx: Ctx, id: string, patch: UpdateHomeSectionInput): Promise<AdminHomeSectionDto> {
  staffIdOf(ctx);
  const row = await sectionRow(ctx, id);
  const set: Partial<SectionRow> = { updatedAt: ctx.now };
  if (patch.payload !== undefined) {
    const parsed = PAYLOADS[row.kind].safeParse(patch.payload);
    if (!parsed.success) throw validationError(parsed.error, 'json');
    await checkReferences(ctx, row.kind, parsed.data as Record<string, unknown>);
    set.payload = JSON.stringify(parsed.data);
  }
  if (patch.title !== undefined) set.title = patch.title;
  if (patch.startsAt !== undefined) set.startsAt = ms(patch.startsAt);
  if (patch.endsAt !== undefined) set.endsAt = ms(patch.endsAt);
  if (patch.enabled !== undefined) set.enabled = patch.enabled;
  const startsAt = set.startsAt !== undefined ? set.startsAt : row.startsAt;
  const endsAt = set.endsAt !== undefined ? set.endsAt : row.endsAt;
  if (startsAt !== null && endsAt !== null && endsAt <= startsAt)
    throw badRequest('validation.failed', 'endsAt must be after startsAt', { path: 'endsAt' });
  await ctx.db.update(homeSections).set(set).where(eq(homeSections.id, id));
  homeChanged();
  return toDto(ctx, await sectionRow(ctx, id));
}

export async function deleteHomeSection(ctx: Ctx, id: string): Promise<void> {
  staffIdOf(ctx);
  const gone = await ctx.db.delete(homeSections).where(eq(homeSections.id, id)).returning({ id: homeSections.id });
  if (!gone.length) throw notFound('content.home_section_not_found', `home section ${id}`);
  homeChanged();
}

/**
 * Puts every section in the given order, in one batch. The list must name exactly the sections
 * that exist (409 content.reorder_mismatch otherwise, e.g. another operator added one meanwhile):
 * the guard is checked inside the batch, so nothing moves when it fails.
 */
export async function reorderHomeSections(ctx: Ctx, ids: string[]): Promise<{ items: AdminHomeSectionDto[] }> {
  staffIdOf(ctx);
  const db = ctx.env.DB;
  const exact = guard(
    db,
    `(SELECT count(*) FROM home_sections) = ?2 AND (SELECT count(*) FROM home_sections WHERE id IN (SELECT value FROM json_each(?1))) = ?2`,
    JSON.stringify(ids),
    ids.length,
  );
  const moves = ids.map((id, i) =>
    stmt(
      db,
      ctx.db
        .update(homeSections)
        .set({ position: (i + 1) * 10, updatedAt: ctx.now })
        .where(eq(homeSections.id, id)),
    ),
  );
  try {
    await db.batch([exact, ...moves]);
  } catch (e) {
    if (batchFailure(e) !== 'guard') throw e;
    const existing = await ctx.db.select({ id: homeSections.id }).from(homeSections).orderBy(asc(homeSections.position));
    throw conflict('content.reorder_mismatch', 'list every home section exactly once (the sections changed meanwhile?)', {
      expected: existing.map((r) => r.id),
    });
  }
  homeChanged();
  return listHomeSections(ctx);
}
