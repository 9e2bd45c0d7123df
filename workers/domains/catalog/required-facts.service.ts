import { eq, inArray } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { badRequest, forbidden } from '../../shared/errors';
import { categorySettings } from './schema';
import { getCategoryRow } from './categories.service';

/** The platform rule where no category on a product's path says otherwise. */
export const DEFAULT_REQUIRED_FACTS = ['材质', '产地'];

/** 材质 and 产地 have their own product columns; the form may also give them as attributes. */
const COLUMN_OF: Record<string, 'material' | 'origin'> = { 材质: 'material', 产地: 'origin' };

export interface RequiredFacts {
  categoryId: string;
  own: string[] | null;
  effective: string[];
  /** The category the list comes from; null = the platform default. */
  inheritedFrom: string | null;
}

/** A category's required facts: its own list, else the nearest configured ancestor's, else the default. */
export async function requiredFactsOf(ctx: Ctx, categoryId: string): Promise<RequiredFacts> {
  const cat = await getCategoryRow(ctx, categoryId);
  const pathIds = cat.path.split('/').filter(Boolean); // root … self
  const rows = await ctx.db.select().from(categorySettings).where(inArray(categorySettings.categoryId, pathIds));
  const byId = new Map(rows.map((r) => [r.categoryId, r.requiredFacts]));
  for (let i = pathIds.length - 1; i >= 0; i--) {
    const facts = byId.get(pathIds[i]!);
    if (facts) return { categoryId, own: byId.get(categoryId) ?? null, effective: facts, inheritedFrom: pathIds[i]! };
  }
  return { categoryId, own: null, effective: DEFAULT_REQUIRED_FACTS, inheritedFrom: null };
}

/** setCategoryRequiredFacts: platform staff only; null removes the category's own list (inherit again). */
export async function setRequiredFacts(ctx: Ctx, categoryId: string, facts: string[] | null): Promise<RequiredFacts> {
  if (ctx.actor.kind !== 'staff' || ctx.actor.role === 'merchant') throw forbidden('only platform staff configure categories');
  await getCategoryRow(ctx, categoryId);
  if (facts === null) await ctx.db.delete(categorySettings).where(eq(categorySettings.categoryId, categoryId));
  else
    await ctx.db
      .insert(categorySettings)
      .values({ categoryId, requiredFacts: facts, updatedBy: ctx.actor.staffId, updatedAt: ctx.now })
      .onConflictDoUpdate({
        target: categorySettings.categoryId,
        set: { requiredFacts: facts, updatedBy: ctx.actor.staffId, updatedAt: ctx.now },
      });
  return requiredFactsOf(ctx, categoryId);
}

export interface FactSource {
  material: string;
  origin: string;
  attributes: Record<string, string>;
}

/** The required facts `p` leaves empty, each with the form field that fills it. */
export function missingFacts(required: string[], p: FactSource): { fact: string; path: string }[] {
  const out: { fact: string; path: string }[] = [];
  for (const fact of required) {
    const col = COLUMN_OF[fact];
    const value = (col ? p[col] : '') || p.attributes[fact] || '';
    if (!value.trim()) out.push({ fact, path: col ?? `attributes.${fact}` });
  }
  return out;
}

/**
 * Refuses to list (go on sale / be submitted for review) a product of a category whose required
 * facts it lacks. Categories nobody configured keep the platform rule (material and origin),
 * reported as before by the product's own publishability check — so this returns false for them.
 * @returns true when a configured list applied (and was satisfied)
 * @throws 400 catalog.required_facts_missing with details { missing, issues }
 */
export async function assertRequiredFacts(ctx: Ctx, categoryId: string, p: FactSource): Promise<boolean> {
  const facts = await requiredFactsOf(ctx, categoryId);
  if (!facts.inheritedFrom) return false;
  const missing = missingFacts(facts.effective, p);
  if (missing.length)
    throw badRequest('catalog.required_facts_missing', `to be listed, fill in: ${missing.map((m) => m.fact).join('、')}`, {
      missing: missing.map((m) => m.fact),
      issues: missing.map((m) => ({ path: m.path, message: `${m.fact} is required in this category`, code: 'custom' })),
    });
  return true;
}
