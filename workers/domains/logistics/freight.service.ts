import { and, asc, desc, eq, inArray, ne } from 'drizzle-orm';
import type { z } from '@hono/zod-openapi';
import type { Ctx } from '../../shared/context';
import { D1_IN_CHUNK, inChunks, iso } from '../../shared/db';
import { badRequest, forbidden, notFound, validationError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { fenToYuan, type Fen } from '../../shared/money';
import { PLATFORM_MERCHANT_ID } from '../../shared/rbac';
import { assertCanWriteMerchant, merchantScope } from '../catalog/access';
import { getMerchant } from '../merchants/merchants.service';
import { freightTemplates, type FreightRule } from './schema';
import {
  FreightTemplateShape,
  REST_OF_COUNTRY,
  type CreateFreightTemplateInput,
  type FreightTemplateDto,
  type ShippingQuote,
  type UpdateFreightTemplateInput,
} from './dto';

type TemplateRow = typeof freightTemplates.$inferSelect;

/** What pricing needs of a template; `id` null = the built-in platform default. */
export interface FreightTemplateLike {
  id: string | null;
  name: string;
  rules: FreightRule[];
  freeThreshold: Fen | null;
  excludedRegions: string[];
}

export interface ShippingInput {
  /** Full province name as in the address (广东省, 新疆维吾尔自治区). */
  province: string;
  /** Goods total in fen that the free-shipping threshold is compared with. */
  goodsTotal: Fen;
  lines: { weightG: number; quantity: number }[];
}

const REMOTE_PROVINCES = ['新疆维吾尔自治区', '西藏自治区', '青海省'];

/**
 * Used when a merchant has no default template: 首重1kg ¥8 + 续重每1kg ¥2; remote provinces
 * 首重¥20 + 续重¥10; free from ¥99 goods total.
 */
export const DEFAULT_FREIGHT_TEMPLATE: Readonly<FreightTemplateLike> = Object.freeze({
  id: null,
  name: '平台默认运费',
  rules: [
    { regions: REMOTE_PROVINCES, firstWeightG: 1000, firstFee: 2000, additionalWeightG: 1000, additionalFee: 1000 },
    { regions: [REST_OF_COUNTRY], firstWeightG: 1000, firstFee: 800, additionalWeightG: 1000, additionalFee: 200 },
  ],
  freeThreshold: 9900,
  excludedRegions: [],
});

const SHIPPING_LABEL = '运费';

/** "99" for 9900, "99.50" for 9950: thresholds read better without ".00". */
const yuanShort = (amount: Fen) => fenToYuan(amount).replace(/\.00$/, '');

/** 1500 → "1.5", 1000 → "1", 250 → "0.25"; integer arithmetic only. */
function gramsToKg(g: number): string {
  const rest = g % 1000;
  const whole = (g - rest) / 1000;
  return rest === 0 ? String(whole) : `${whole}.${String(rest).padStart(3, '0').replace(/0+$/, '')}`;
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/**
 * Prices one parcel with `template`: total weight of the lines; the first `firstWeightG` (a
 * weight of 0 included) costs `firstFee`, every started `additionalWeightG` beyond it
 * `additionalFee`; free when goodsTotal reaches the threshold. Integer fen and grams throughout.
 * Throws `logistics.region_not_served` (400) for an excluded province or one no rule covers.
 */
export function quoteShippingWithTemplate(template: FreightTemplateLike, input: ShippingInput): ShippingQuote {
  const province = input.province.trim();
  if (!isCount(input.goodsTotal)) throw badRequest('logistics.invalid_quote_input', 'goodsTotal must be a non-negative integer (fen)');
  let weight = 0;
  for (const l of input.lines) {
    if (!isCount(l.weightG) || !isCount(l.quantity))
      throw badRequest('logistics.invalid_quote_input', 'line weights (grams) and quantities must be non-negative integers');
    weight += l.weightG * l.quantity;
  }
  if (!Number.isSafeInteger(weight)) throw badRequest('logistics.invalid_quote_input', 'total weight is out of range');

  if (template.excludedRegions.includes(province))
    throw badRequest('logistics.region_not_served', `${province} is not delivered to`, { province, templateId: template.id });
  const rule = template.rules.find((r) => r.regions.includes(province)) ?? template.rules.find((r) => r.regions.includes(REST_OF_COUNTRY));
  if (!rule) throw badRequest('logistics.region_not_served', `${province} is not delivered to`, { province, templateId: template.id });

  const threshold = template.freeThreshold;
  if (threshold !== null && input.goodsTotal >= threshold) {
    return {
      fee: 0,
      free: true,
      templateId: template.id,
      label: SHIPPING_LABEL,
      reason: threshold === 0 ? '包邮' : `满${yuanShort(threshold)}包邮`,
    };
  }

  const excess = Math.max(0, weight - rule.firstWeightG);
  const remainder = excess % rule.additionalWeightG;
  // A started step counts as a whole one: ceil(excess / step) without floating point.
  const steps = (excess - remainder) / rule.additionalWeightG + (remainder === 0 ? 0 : 1);
  const fee = rule.firstFee + steps * rule.additionalFee;
  if (!Number.isSafeInteger(fee)) throw badRequest('logistics.invalid_quote_input', 'shipping fee is out of range');

  const reason =
    threshold !== null
      ? `还差¥${fenToYuan(threshold - input.goodsTotal)}包邮`
      : `计费重量${gramsToKg(weight)}kg：首重${gramsToKg(rule.firstWeightG)}kg ¥${fenToYuan(rule.firstFee)}` +
        (steps > 0 ? ` + 续重${steps}×${gramsToKg(rule.additionalWeightG)}kg ¥${fenToYuan(steps * rule.additionalFee)}` : '');
  return { fee, free: false, templateId: template.id, label: SHIPPING_LABEL, reason };
}

/**
 * The shipping line of a quote for one merchant's parcel: the merchant's default template, or
 * DEFAULT_FREIGHT_TEMPLATE when it has none.
 */
export async function quoteShipping(ctx: Ctx, input: ShippingInput & { merchantId: string }): Promise<ShippingQuote> {
  const [row] = await ctx.db
    .select()
    .from(freightTemplates)
    .where(and(eq(freightTemplates.merchantId, input.merchantId), eq(freightTemplates.isDefault, true)))
    .orderBy(desc(freightTemplates.updatedAt))
    .limit(1);
  return quoteShippingWithTemplate(row ?? DEFAULT_FREIGHT_TEMPLATE, input);
}

/**
 * quoteShipping for many orders at once (a queue batch): the merchants' default templates in one
 * query, then a pure quote per order. Throws like quoteShipping for a region a template excludes.
 */
export async function shippingQuoter(
  ctx: Ctx,
  merchantIds: string[],
): Promise<(input: ShippingInput & { merchantId: string }) => ShippingQuote> {
  const rows = await inChunks(merchantIds, D1_IN_CHUNK, (part) =>
    ctx.db
      .select()
      .from(freightTemplates)
      .where(and(inArray(freightTemplates.merchantId, part), eq(freightTemplates.isDefault, true)))
      .orderBy(desc(freightTemplates.updatedAt)),
  );
  const byMerchant = new Map<string, TemplateRow>();
  // newest default first, as quoteShipping picks it
  for (const r of [...rows].sort((a, b) => b.updatedAt - a.updatedAt)) if (!byMerchant.has(r.merchantId)) byMerchant.set(r.merchantId, r);
  return (input) => quoteShippingWithTemplate(byMerchant.get(input.merchantId) ?? DEFAULT_FREIGHT_TEMPLATE, input);
}

// ---------- admin CRUD ----------

const toDto = (r: TemplateRow): FreightTemplateDto => ({
  id: r.id,
  merchantId: r.merchantId,
  name: r.name,
  rules: r.rules,
  freeThreshold: r.freeThreshold,
  excludedRegions: r.excludedRegions,
  isDefault: r.isDefault,
  createdAt: iso(r.createdAt)!,
  updatedAt: iso(r.updatedAt)!,
});

async function getTemplateRow(ctx: Ctx, id: string): Promise<TemplateRow> {
  const [row] = await ctx.db.select().from(freightTemplates).where(eq(freightTemplates.id, id)).limit(1);
  if (!row) throw notFound('logistics.template_not_found', `freight template ${id}`);
  return row;
}

/** Clears the merchant's other default, so it can share one batch with the write that sets a new one. */
const unsetOtherDefaults = (ctx: Ctx, merchantId: string, keepId: string) =>
  ctx.db
    .update(freightTemplates)
    .set({ isDefault: false, updatedAt: ctx.now })
    .where(and(eq(freightTemplates.merchantId, merchantId), eq(freightTemplates.isDefault, true), ne(freightTemplates.id, keepId)));

/** Templates, the default first; merchant staff see only their own merchant's. */
export async function listFreightTemplates(ctx: Ctx, query: { merchantId?: string } = {}): Promise<FreightTemplateDto[]> {
  const scope = merchantScope(ctx);
  const merchantId = scope ?? query.merchantId;
  const rows = await ctx.db
    .select()
    .from(freightTemplates)
    .where(merchantId ? eq(freightTemplates.merchantId, merchantId) : undefined)
    .orderBy(asc(freightTemplates.merchantId), desc(freightTemplates.isDefault), asc(freightTemplates.createdAt), asc(freightTemplates.id));
  return rows.map(toDto);
}

/** Creates a template for the caller's merchant (platform staff: the given merchant or the platform). */
export async function createFreightTemplate(ctx: Ctx, input: z.output<typeof CreateFreightTemplateInput>): Promise<FreightTemplateDto> {
  const scope = merchantScope(ctx);
  if (scope && input.merchantId && input.merchantId !== scope)
    throw forbidden('merchant staff create freight templates for their own merchant only');
  const merchantId = scope ?? input.merchantId ?? PLATFORM_MERCHANT_ID;
  assertCanWriteMerchant(ctx, merchantId);
  if (!scope && input.merchantId) await getMerchant(ctx, input.merchantId);

  const row: TemplateRow = {
    id: newId('frt'),
    merchantId,
    name: input.name,
    rules: input.rules,
    freeThreshold: input.freeThreshold,
    excludedRegions: input.excludedRegions,
    isDefault: input.isDefault,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  const insert = ctx.db.insert(freightTemplates).values(row);
  if (row.isDefault) await ctx.db.batch([unsetOtherDefaults(ctx, merchantId, row.id), insert]);
  else await insert;
  return toDto(row);
}

/** Edits a template; `isDefault: true` makes it the merchant's only default (one batch). */
export async function updateFreightTemplate(
  ctx: Ctx,
  id: string,
  input: z.output<typeof UpdateFreightTemplateInput>,
): Promise<FreightTemplateDto> {
  const cur = await getTemplateRow(ctx, id);
  assertCanWriteMerchant(ctx, cur.merchantId);
  const next: TemplateRow = {
    ...cur,
    name: input.name ?? cur.name,
    rules: input.rules ?? cur.rules,
    freeThreshold: input.freeThreshold !== undefined ? input.freeThreshold : cur.freeThreshold,
    excludedRegions: input.excludedRegions ?? cur.excludedRegions,
    isDefault: input.isDefault ?? cur.isDefault,
    updatedAt: ctx.now,
  };
  // The input alone cannot see a clash with what it leaves unchanged (new exclusions vs stored rules).
  const whole = FreightTemplateShape.safeParse({ rules: next.rules, excludedRegions: next.excludedRegions });
  if (!whole.success) throw validationError(whole.error, 'json');

  const update = ctx.db
    .update(freightTemplates)
    .set({
      name: next.name,
      rules: next.rules,
      freeThreshold: next.freeThreshold,
      excludedRegions: next.excludedRegions,
      isDefault: next.isDefault,
      updatedAt: next.updatedAt,
    })
    .where(eq(freightTemplates.id, id));
  if (next.isDefault) await ctx.db.batch([unsetOtherDefaults(ctx, cur.merchantId, id), update]);
  else await update;
  return toDto(next);
}

/** Deletes a template; quotes for its merchant fall back to the built-in default if it was the default. */
export async function deleteFreightTemplate(ctx: Ctx, id: string): Promise<void> {
  const cur = await getTemplateRow(ctx, id);
  assertCanWriteMerchant(ctx, cur.merchantId);
  await ctx.db.delete(freightTemplates).where(eq(freightTemplates.id, id));
}
