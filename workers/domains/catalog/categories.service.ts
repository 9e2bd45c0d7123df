import { and, asc, eq, inArray, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { badRequest, conflict, forbidden, notFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { stmt } from '../../shared/db';
import { assertMediaKeys, mediaUrl } from '../media/media.service';
import { categories, products } from './schema';
import { catalogChangeStatements } from './cache-versions';
import type { CategoryDto, CategoryNodeDto, CreateCategoryInput, UpdateCategoryInput } from './dto';
import type { z } from '@hono/zod-openapi';

export const MAX_CATEGORY_DEPTH = 5;
type CategoryRow = typeof categories.$inferSelect;

/**
 * Paths are "/id/…/id/" and ids use only [0-9a-z_] (shared/ids.ts), all below '~': every path that
 * starts with P sorts in [P, P || '~'). A range the path index can seek, where a prefix compare
 * (substr) reads the whole table and LIKE would be capped at 50 bytes by D1 and treat `_` in ids
 * as a wildcard.
 */
const SUBTREE_END = '~';

/** Rows whose path starts with `prefix` (the category and its descendants). */
const inSubtree = (prefix: string) => sql`${categories.path} >= ${prefix} AND ${categories.path} < ${prefix + SUBTREE_END}`;

/**
 * The product's category is not under a disabled category (at any level): the storefront hides
 * those products. The disabled categories are found by their own index (usually none), their
 * subtrees by path ranges, once per statement.
 */
export function visibleCategoryCondition(categoryIdColumn: SQLWrapper): SQL {
  return sql`${categoryIdColumn} NOT IN (SELECT c.id FROM ${categories} d JOIN ${categories} c ON c.path >= d.path AND c.path < d.path || ${SUBTREE_END} WHERE d.enabled = 0)`;
}

const toDto = (ctx: Ctx, c: CategoryRow): CategoryDto => ({
  id: c.id,
  parentId: c.parentId,
  name: c.name,
  level: c.level,
  sortOrder: c.sortOrder,
  enabled: c.enabled,
  iconUrl: c.iconMediaKey ? mediaUrl(ctx.env, c.iconMediaKey) : null,
});

/** Categories are platform-wide: only platform staff with catalog.write may change them. */
function assertPlatformStaff(ctx: Ctx) {
  if (ctx.actor.kind !== 'staff' || ctx.actor.role === 'merchant') throw forbidden('only platform staff manage categories');
}

export async function getCategoryRow(ctx: Ctx, id: string): Promise<CategoryRow> {
  const [row] = await ctx.db.select().from(categories).where(eq(categories.id, id)).limit(1);
  if (!row) throw notFound('catalog.category_not_found', `category ${id}`);
  return row;
}

export async function createCategory(ctx: Ctx, input: z.output<typeof CreateCategoryInput>): Promise<CategoryDto> {
  assertPlatformStaff(ctx);
  const parent = input.parentId ? await getCategoryRow(ctx, input.parentId) : null;
  if (parent && parent.level >= MAX_CATEGORY_DEPTH)
    throw badRequest('catalog.category_too_deep', `categories nest at most ${MAX_CATEGORY_DEPTH} levels`);
  if (input.iconMediaKey) await assertMediaKeys(ctx, [input.iconMediaKey]);
  await assertNameFree(ctx, input.parentId ?? null, input.name);
  const id = newId('cat');
  const row: CategoryRow = {
    id,
    parentId: parent?.id ?? null,
    name: input.name,
    level: (parent?.level ?? 0) + 1,
    path: `${parent?.path ?? '/'}${id}/`,
    sortOrder: input.sortOrder,
    enabled: input.enabled,
    iconMediaKey: input.iconMediaKey ?? null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  await publishCategoryChange(ctx, [stmt(ctx.env.DB, ctx.db.insert(categories).values(row))]);
  return toDto(ctx, row);
}

/**
 * Runs a category write in one batch with the storefront's version bump (the tree, every list,
 * every product's breadcrumbs and visibility can change), then lets this isolate see it at once.
 */
async function publishCategoryChange(ctx: Ctx, writes: D1PreparedStatement[]): Promise<void> {
  const changed = catalogChangeStatements(ctx, { categories: true });
  await ctx.env.DB.batch([...writes, ...changed.statements]);
  changed.applied();
}

async function assertNameFree(ctx: Ctx, parentId: string | null, name: string, exceptId?: string) {
  const siblings = await ctx.db
    .select({ id: categories.id })
    .from(categories)
    .where(and(parentId ? eq(categories.parentId, parentId) : sql`${categories.parentId} IS NULL`, eq(categories.name, name)));
  if (siblings.some((s) => s.id !== exceptId)) throw conflict('catalog.category_name_taken', `a sibling category is already named ${name}`);
}

/**
 * Edits or moves a category. A move rewrites the path and level of the whole subtree in one
 * batch; moving a category under itself or its descendants is refused.
 */
export async function updateCategory(ctx: Ctx, id: string, input: z.output<typeof UpdateCategoryInput>): Promise<CategoryDto> {
  assertPlatformStaff(ctx);
  const cur = await getCategoryRow(ctx, id);
  if (input.iconMediaKey) await assertMediaKeys(ctx, [input.iconMediaKey]);
  const moving = input.parentId !== undefined && input.parentId !== cur.parentId;
  const name = input.name ?? cur.name;
  const parentId = moving ? (input.parentId ?? null) : cur.parentId;
  if (input.name !== undefined || moving) await assertNameFree(ctx, parentId, name, id);

  const stmts = [];
  let path = cur.path;
  let level = cur.level;
  if (moving) {
    const parent = parentId ? await getCategoryRow(ctx, parentId) : null;
    if (parent && parent.path.startsWith(cur.path))
      throw badRequest('catalog.category_cycle', 'a category cannot move under itself or one of its sub-categories');
    const [deepest] = await ctx.db
      .select({ maxLevel: sql<number>`max(${categories.level})` })
      .from(categories)
      .where(inSubtree(cur.path));
    const newLevel = (parent?.level ?? 0) + 1;
    if ((deepest?.maxLevel ?? cur.level) - cur.level + newLevel > MAX_CATEGORY_DEPTH)
      throw badRequest('catalog.category_too_deep', `the move would nest deeper than ${MAX_CATEGORY_DEPTH} levels`);
    path = `${parent?.path ?? '/'}${id}/`;
    level = newLevel;
    const levelShift = newLevel - cur.level;
    // Rewrites the subtree (the category itself included) in one statement.
    stmts.push(
      ctx.db
        .update(categories)
        .set({
          path: sql`${path} || substr(${categories.path}, ${cur.path.length + 1})`,
          level: sql`${categories.level} + ${levelShift}`,
          updatedAt: ctx.now,
        })
        .where(inSubtree(cur.path)),
    );
  }
  stmts.push(
    ctx.db
      .update(categories)
      .set({
        name,
        parentId,
        sortOrder: input.sortOrder ?? cur.sortOrder,
        enabled: input.enabled ?? cur.enabled,
        iconMediaKey: input.iconMediaKey === undefined ? cur.iconMediaKey : input.iconMediaKey,
        updatedAt: ctx.now,
      })
      .where(eq(categories.id, id)),
  );
  await publishCategoryChange(
    ctx,
    stmts.map((q) => stmt(ctx.env.DB, q)),
  );
  return toDto(ctx, {
    ...cur,
    name,
    parentId,
    path,
    level,
    sortOrder: input.sortOrder ?? cur.sortOrder,
    enabled: input.enabled ?? cur.enabled,
  });
}

/** Deletes an empty leaf category; categories with children or products are refused. */
export async function deleteCategory(ctx: Ctx, id: string): Promise<void> {
  assertPlatformStaff(ctx);
  await getCategoryRow(ctx, id);
  const [child] = await ctx.db.select({ id: categories.id }).from(categories).where(eq(categories.parentId, id)).limit(1);
  if (child) throw conflict('catalog.category_not_empty', 'move or delete its sub-categories first');
  const [prod] = await ctx.db.select({ id: products.id }).from(products).where(eq(products.categoryId, id)).limit(1);
  if (prod) throw conflict('catalog.category_not_empty', 'the category still has products');
  await publishCategoryChange(ctx, [stmt(ctx.env.DB, ctx.db.delete(categories).where(eq(categories.id, id)))]);
}

/** Flat list of every category (admin: including disabled ones), ordered for display. */
export async function listCategories(ctx: Ctx, opts: { includeDisabled: boolean }): Promise<CategoryDto[]> {
  const rows = await ctx.db
    .select()
    .from(categories)
    .where(opts.includeDisabled ? undefined : eq(categories.enabled, true))
    .orderBy(asc(categories.level), asc(categories.sortOrder), asc(categories.name));
  return rows.map((r) => toDto(ctx, r));
}

/** Nests a flat list; children of a disabled (absent) parent are hidden with it. */
export function buildTree(flat: CategoryDto[]): CategoryNodeDto[] {
  const nodes = new Map<string, CategoryNodeDto>(flat.map((c) => [c.id, { ...c, children: [] }]));
  const roots: CategoryNodeDto[] = [];
  for (const c of flat) {
    const node = nodes.get(c.id)!;
    if (c.parentId === null) roots.push(node);
    else nodes.get(c.parentId)?.children.push(node);
  }
  const sort = (list: CategoryNodeDto[]) => {
    list.sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name, 'zh'));
    list.forEach((n) => sort(n.children));
  };
  sort(roots);
  return roots;
}

/** Storefront tree of enabled categories, from D1 (store-cache.ts caches it by the taxonomy version). */
export async function storeCategoryTree(ctx: Ctx): Promise<CategoryNodeDto[]> {
  return buildTree(await listCategories(ctx, { includeDisabled: false }));
}

/** Root-to-leaf names for breadcrumbs. */
export async function categoryPath(ctx: Ctx, id: string): Promise<{ id: string; name: string }[]> {
  const [row] = await ctx.db.select().from(categories).where(eq(categories.id, id)).limit(1);
  if (!row) return [];
  const ids = row.path.split('/').filter(Boolean);
  const rows = await ctx.db.select({ id: categories.id, name: categories.name }).from(categories).where(inArray(categories.id, ids));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((i) => byId.get(i)).filter((x): x is { id: string; name: string } => !!x);
}

/** Resolves "家居生活/厨房用品/保温杯" (or a cat_ id) to a category id, for CSV import. */
export async function resolveCategoryRef(ctx: Ctx, ref: string): Promise<string | null> {
  if (/^cat_/.test(ref)) {
    const [row] = await ctx.db.select({ id: categories.id }).from(categories).where(eq(categories.id, ref)).limit(1);
    return row?.id ?? null;
  }
  let parentId: string | null = null;
  for (const name of ref
    .split('/')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [row]: { id: string }[] = await ctx.db
      .select({ id: categories.id })
      .from(categories)
      .where(and(parentId ? eq(categories.parentId, parentId) : sql`${categories.parentId} IS NULL`, eq(categories.name, name)))
      .limit(1);
    if (!row) return null;
    parentId = row.id;
  }
  return parentId;
}
