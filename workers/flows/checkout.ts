import type { z } from '@hono/zod-openapi';
import { type Ctx, shopperId } from '../shared/context';
import { AppError, badRequest, conflict } from '../shared/errors';
import { newId } from '../shared/ids';
import { batchFailure, iso } from '../shared/db';
import { encryptPii, sha256Hex } from '../shared/crypto';
import { requireSecret } from '../shared/env';
import { emit } from '../shared/events';
import { PaymentTimeout } from '../domains/orders/events';
import { getSkuSnapshots, type SkuSnapshot } from '../domains/catalog/sku-snapshots.service';
import { alertStatements, notifyRaisedAlerts, raisedAlerts, stockChangeStatements } from '../domains/catalog/stock.service';
import { getSelectedLines, removeCartLines } from '../domains/cart/cart.service';
import { getAddressForOrder } from '../domains/addresses/addresses.service';
import { quoteShipping } from '../domains/logistics/freight.service';
import { applyCoupons, pricePromotions } from '../domains/promotions/engine';
import { suggestCoupons } from '../domains/promotions/best-coupons';
import {
  campaignBudgetsLeft,
  campaignSpendOf,
  chargeCampaignStatements,
  ruleTerms,
  useCouponStatements,
} from '../domains/promotions/order-hooks';
import { activePromotionRules, invalidateActiveRules } from '../domains/promotions/promotion-rules/promotion-rules.service';
import { listUsableCouponRows } from '../domains/promotions/coupons/coupons.service';
import { getStackingPolicy } from '../domains/promotions/settings.service';
import { PLATFORM_MERCHANT_ID } from '../shared/rbac';
import { memberPricingOf, yuanShort, zhe } from '../domains/members/tiers/tiers.service';
import { fenToYuan } from '../shared/money';
import type { ShippingQuote } from '../domains/logistics/dto';
import { createCheckoutStatements, type OrderDraft } from '../domains/orders/order-create';
import { findCheckoutByKey, listOrdersOfCheckout } from '../domains/orders/orders.service';
import type { CreateOrderInput, QuoteDto, QuoteInput } from '../domains/orders/dto';
import { pointsBalance } from '../domains/members/points.service';
import { walletBalance } from '../domains/members/wallet/wallet.service';
import { getPointsRules } from '../domains/members/points/rules.service';
import { planDeduction, type UsePoints } from '../domains/members/points/deduction';
import { checkoutDeductionStatements, type OrderLineDeduction } from '../domains/members/points/order-deductions.service';

/** Unpaid orders close after this many minutes unless ORDER_PAYMENT_TIMEOUT_MINUTES says otherwise. */
export const DEFAULT_PAYMENT_TIMEOUT_MINUTES = 30;

export const paymentTimeoutMs = (ctx: Ctx) => Number(ctx.env.ORDER_PAYMENT_TIMEOUT_MINUTES ?? DEFAULT_PAYMENT_TIMEOUT_MINUTES) * 60_000;

const userIdOf = (ctx: Ctx): string => shopperId(ctx, 'checkout is for signed-in shoppers');

interface Wanted {
  skuId: string;
  quantity: number;
}

async function wantedLines(ctx: Ctx, userId: string, items?: Wanted[]): Promise<{ lines: Wanted[]; fromCart: boolean }> {
  if (items) {
    const merged = new Map<string, number>();
    for (const i of items) merged.set(i.skuId, (merged.get(i.skuId) ?? 0) + i.quantity);
    return { lines: [...merged].map(([skuId, quantity]) => ({ skuId, quantity })), fromCart: false };
  }
  const lines = await getSelectedLines(ctx, userId);
  if (lines.length === 0) throw badRequest('orders.empty_checkout', 'nothing to check out: select cart lines or pass items');
  return { lines: lines.map((l) => ({ skuId: l.skuId, quantity: l.quantity })), fromCart: true };
}

interface Priced {
  quote: QuoteDto;
  snapshots: Map<string, SkuSnapshot>;
  drafts: OrderDraft[];
  /** coupons the priced cart uses, with the order each belongs to (null: the whole checkout) */
  couponUses: { couponId: string; orderId: string | null }[];
  campaignSpend: Map<string, number>;
  /** points and balance per SKU line (lines are merged per SKU), for the order's deduction rows */
  deductions: Map<string, { points: number; pointsFen: number; balanceFen: number }>;
}

/** What the shopper asked to pay with besides WeChat Pay. */
interface StoredValueUse {
  usePoints?: UsePoints;
  useBalance?: boolean;
}

/**
 * The price breakdown for a set of lines: per merchant (orders split per merchant), goods,
 * each discount with its source, shipping and payable — the same function for quote and order,
 * so the order always costs what the quote said. `couponIds` undefined = the suggested best
 * combination of the shopper's coupons; an array = exactly those.
 */
async function price(
  ctx: Ctx,
  userId: string,
  wanted: Wanted[],
  province: string | null,
  couponIds: string[] | undefined,
  use: StoredValueUse = {},
): Promise<Priced> {
  const [snapshots, rules, policy, held, pointRules, pointsHeld, walletHeld, member] = await Promise.all([
    getSkuSnapshots(
      ctx,
      wanted.map((w) => w.skuId),
    ),
    activePromotionRules(ctx).then((rows) => rows.map(ruleTerms)),
    getStackingPolicy(ctx),
    listUsableCouponRows(ctx, userId),
    getPointsRules(ctx),
    pointsBalance(ctx, userId),
    walletBalance(ctx, userId),
    memberPricingOf(ctx, userId),
  ]);
  const problems: QuoteDto['problems'] = [];
  const ok: { w: Wanted; s: SkuSnapshot }[] = [];
  for (const w of wanted) {
    const s = snapshots.get(w.skuId);
    if (!s) problems.push({ skuId: w.skuId, code: 'orders.sku_not_found', message: 'this item no longer exists' });
    else if (!s.sellable) problems.push({ skuId: w.skuId, code: 'orders.off_sale', message: `${s.title} is no longer on sale` });
    else if (s.stock < w.quantity)
      problems.push({ skuId: w.skuId, code: 'orders.insufficient_stock', message: `${s.title} ${s.specKey}: only ${s.stock} left` });
    else ok.push({ w, s });
  }

  // Lines are merged per SKU, so the SKU id is the line id.
  const state = pricePromotions(
    ok.map(({ w, s }) => ({
      lineId: s.skuId,
      skuId: s.skuId,
      productId: s.productId,
      merchantId: s.merchantId,
      categoryPath: s.categoryPath,
      unitPrice: s.price,
      quantity: w.quantity,
      lineTotal: s.price * w.quantity,
      memberPrice: s.memberPrice,
    })),
    rules,
    {
      userId,
      tier: member?.tierId ?? null,
      memberPerks: member && {
        memberPrice: member.memberPrice,
        discountRate: member.discountRate,
        label: member.discountRate != null ? `${member.tierName}${zhe(member.discountRate)}折` : '会员折扣',
      },
      now: ctx.now,
    },
    policy,
    PLATFORM_MERCHANT_ID,
    await campaignBudgetsLeft(ctx, rules),
  );
  const merchants = [...new Set(ok.map(({ s }) => s.merchantId))].sort();
  // Shipping is priced on the goods after 满减 and before coupons, so choosing a coupon never moves it.
  const shipQuotes = new Map<string, ShippingQuote | { fee: number; free: boolean; label: string; reason: string }>();
  for (const m of merchants) {
    const lines = state.lines.filter((l) => l.merchantId === m);
    const goodsTotal = lines.reduce((a, l) => a + l.payable, 0);
    const quoted = province
      ? await quoteShipping(ctx, {
          merchantId: m,
          province,
          goodsTotal,
          lines: lines.map((l) => ({ weightG: snapshots.get(l.skuId)!.weightG, quantity: l.quantity })),
        })
      : { fee: 0, free: false, label: '运费', reason: '选择收货地址后计算运费' };
    // The tier's free-shipping perk: a parcel whose goods (after promotions) reach the threshold ships free.
    const threshold = member?.freeShippingThreshold;
    const memberFree = province !== null && quoted.fee > 0 && threshold != null && goodsTotal >= threshold;
    shipQuotes.set(
      m,
      memberFree
        ? {
            ...quoted,
            fee: 0,
            free: true,
            reason: threshold === 0 ? `${member!.tierName}包邮` : `${member!.tierName}满¥${yuanShort(threshold)}包邮`,
          }
        : quoted,
    );
  }
  const fees = Object.fromEntries(merchants.map((m) => [m, shipQuotes.get(m)!.fee]));
  const suggestion = suggestCoupons(state, held, fees);
  const byId = new Map(held.map((c) => [c.id, c]));
  const chosenIds = couponIds ? [...new Set(couponIds)] : suggestion.couponIds;
  const unknown = chosenIds
    .filter((id) => !byId.has(id))
    .map((couponId) => ({ couponId, code: 'promotions.coupon_unavailable', reason: '券不存在、已使用或已过期' }));
  const result = applyCoupons(
    state,
    chosenIds.flatMap((id) => byId.get(id) ?? []),
    fees,
  );

  // Points and balance come last, on what the lines cost after promotions and coupons, and are
  // apportioned over the lines like any discount (each line's share stays with its order line).
  const plan = planDeduction(
    result.lines.map((l) => ({ lineId: l.lineId, payable: l.payable })),
    pointRules,
    { points: pointsHeld, balance: walletHeld },
    { usePoints: use.usePoints, useBalance: use.useBalance ?? false },
  );
  const dedOf = (lineId: string) => plan.lines.get(lineId) ?? { points: 0, pointsFen: 0, balanceFen: 0 };

  const groups: QuoteDto['groups'] = [];
  const drafts: OrderDraft[] = [];
  const orderOf = new Map<string, string>();
  for (const merchantId of merchants) {
    const own = result.lines.filter((l) => l.merchantId === merchantId);
    const ownIds = new Set(own.map((l) => l.lineId));
    const discounts: QuoteDto['groups'][number]['discounts'] = result.discounts.flatMap((d) => {
      const amount =
        Object.entries(d.shares).reduce((a, [lineId, v]) => a + (ownIds.has(lineId) ? v : 0), 0) + (d.shippingShares?.[merchantId] ?? 0);
      return amount > 0 ? [{ source: d.source, sourceId: d.sourceId, label: d.label, amount }] : [];
    });
    const pointsUsed = own.reduce((a, l) => a + dedOf(l.lineId).points, 0);
    const pointsAmount = own.reduce((a, l) => a + dedOf(l.lineId).pointsFen, 0);
    const balanceAmount = own.reduce((a, l) => a + dedOf(l.lineId).balanceFen, 0);
    if (pointsAmount > 0)
      discounts.push({ source: 'points', sourceId: null, label: `积分抵扣（${pointsUsed}积分）`, amount: pointsAmount });
    if (balanceAmount > 0) discounts.push({ source: 'balance', sourceId: null, label: '余额支付', amount: balanceAmount });
    const ship = shipQuotes.get(merchantId)!;
    const shipLine = result.shipping.find((x) => x.merchantId === merchantId)!;
    const lines = own.map((l) => {
      const s = snapshots.get(l.skuId)!;
      const d = dedOf(l.lineId);
      const stored = d.pointsFen + d.balanceFen;
      return {
        skuId: l.skuId,
        productId: l.productId,
        title: s.title,
        specKey: s.specKey,
        imageUrl: s.imageUrl,
        unitPrice: l.unitPrice,
        quantity: l.quantity,
        lineTotal: l.lineTotal,
        discountShare: l.discountShare + stored,
        payable: l.payable - stored,
        pointsUsed: d.points,
        pointsAmount: d.pointsFen,
        balanceAmount: d.balanceFen,
      };
    });
    const goodsTotal = own.reduce((a, l) => a + l.lineTotal, 0);
    const discountTotal = lines.reduce((a, l) => a + l.discountShare, 0);
    const payableTotal = goodsTotal - discountTotal + shipLine.payable;
    groups.push({
      merchantId,
      lines,
      goodsTotal,
      discounts,
      discountTotal,
      shipping: {
        fee: ship.fee,
        discount: shipLine.discount,
        payable: shipLine.payable,
        free: ship.free || (ship.fee > 0 && shipLine.payable === 0),
        label: ship.label,
        reason: shipLine.discount > 0 ? `运费券 -¥${fenToYuan(shipLine.discount)}` : ship.reason,
      },
      payableTotal,
      pointsUsed,
      pointsAmount,
      balanceAmount,
    });
    const orderId = newId('ord');
    orderOf.set(merchantId, orderId);
    drafts.push({
      orderId,
      merchantId,
      goodsTotal,
      discountTotal,
      shippingFee: shipLine.payable,
      payableTotal,
      discounts,
      lines: lines.map(({ imageUrl, pointsUsed, pointsAmount, balanceAmount, ...l }) => ({
        ...l,
        mediaKey: snapshots.get(l.skuId)!.mediaKey,
      })),
    });
  }
  const applied = new Set(result.appliedCouponIds);
  const advice = new Map(suggestion.advice.map((a) => [a.couponId, a]));
  const issues = [...unknown, ...result.couponIssues];
  const issueOf = new Map(issues.map((i) => [i.couponId, i]));
  const sum = (f: (g: QuoteDto['groups'][number]) => number) => groups.reduce((a, g) => a + f(g), 0);
  return {
    quote: {
      groups,
      goodsTotal: sum((g) => g.goodsTotal),
      discountTotal: sum((g) => g.discountTotal),
      shippingTotal: sum((g) => g.shipping.payable),
      shippingDiscountTotal: sum((g) => g.shipping.discount),
      payableTotal: sum((g) => g.payableTotal),
      points: {
        available: plan.points.available,
        usable: plan.points.usable,
        maxPoints: plan.points.maxPoints,
        maxAmount: plan.points.maxAmount,
        used: plan.points.used,
        amount: plan.points.amount,
        pointsPerYuan: pointRules.pointsPerYuan,
        reason: plan.points.reason,
      },
      balance: plan.balance,
      problems,
      hints: result.hints,
      coupons: {
        appliedIds: result.appliedCouponIds,
        suggestedIds: suggestion.couponIds,
        suggestedSaving: suggestion.saving,
        exhaustive: suggestion.exhaustive,
        issues,
        options: held.map((c) => {
          const a = advice.get(c.id)!;
          const own = issueOf.get(c.id);
          return {
            couponId: c.id,
            templateId: c.templateId,
            name: c.name,
            merchantId: c.merchantId,
            kind: c.kind,
            threshold: c.threshold,
            amountOff: c.amountOff,
            rate: c.rate,
            maxOff: c.maxOff,
            validTo: iso(c.validTo)!,
            usable: a.usable,
            suggested: a.selected,
            applied: applied.has(c.id),
            reason: applied.has(c.id) ? null : (own?.reason ?? a.reason),
          };
        }),
      },
    },
    snapshots,
    drafts,
    couponUses: result.appliedCouponIds.map((couponId) => {
      const c = byId.get(couponId)!;
      return { couponId, orderId: c.merchantId === PLATFORM_MERCHANT_ID ? null : (orderOf.get(c.merchantId) ?? null) };
    }),
    campaignSpend: campaignSpendOf(result.discounts),
    deductions: plan.lines,
  };
}

/**
 * The stored result of a createOrder call, found by (user, Idempotency-Key). The same key with a
 * different body is a client bug: refuse it rather than answer with an unrelated order.
 */
async function checkoutResult(ctx: Ctx, userId: string, key: string, requestHash: string) {
  const c = await findCheckoutByKey(ctx, userId, key);
  if (!c) return null;
  if (c.requestHash !== requestHash)
    throw conflict('orders.idempotency_key_reused', 'this Idempotency-Key was used for a different order request');
  return {
    checkoutId: c.id,
    payableTotal: c.payableTotal,
    expiresAt: iso(c.expiresAt)!,
    orders: await listOrdersOfCheckout(ctx, c.id),
    replayed: true,
  };
}

/** quoteCheckout: what the selected cart lines (or buy-now items) would cost, line by line. */
export async function quoteCheckout(ctx: Ctx, input: z.output<typeof QuoteInput>): Promise<QuoteDto> {
  const userId = userIdOf(ctx);
  const { lines } = await wantedLines(ctx, userId, input.items);
  const province = input.addressId ? (await getAddressForOrder(ctx, userId, input.addressId)).province : (input.province ?? null);
  return (await price(ctx, userId, lines, province, input.couponIds, input)).quote;
}

/**
 * createOrder. With the same Idempotency-Key a retry returns the first result and never
 * reserves stock twice: the checkout row (unique per user and key) is written in the same D1
 * batch as the orders and the guarded stock decrements, so either all of it lands once or none.
 */
export async function createOrder(ctx: Ctx, input: z.output<typeof CreateOrderInput>, idempotencyKey: string) {
  const userId = userIdOf(ctx);
  const requestHash = await sha256Hex(JSON.stringify(input));
  const replay = await checkoutResult(ctx, userId, idempotencyKey, requestHash);
  if (replay) return replay;

  const { lines, fromCart } = await wantedLines(ctx, userId, input.items);
  const address = await getAddressForOrder(ctx, userId, input.addressId);
  const { quote, drafts, couponUses, campaignSpend, deductions } = await price(
    ctx,
    userId,
    lines,
    address.province,
    input.couponIds,
    input,
  );
  // A concurrent retry with the same key may have landed since the first look: its coupons, points
  // and balance are spent now, so this pricing differs — answer with that order, not an error.
  const refuse = async (err: AppError) => {
    const landed = await checkoutResult(ctx, userId, idempotencyKey, requestHash);
    if (landed) return landed;
    throw err;
  };
  if (quote.problems.length)
    return refuse(conflict('orders.not_orderable', quote.problems.map((p) => p.message).join('; '), { problems: quote.problems }));
  if (quote.coupons.issues.length)
    return refuse(
      conflict('promotions.coupon_not_applicable', quote.coupons.issues.map((i) => i.reason).join('; '), {
        issues: quote.coupons.issues,
      }),
    );
  // Asked for a number of points the shopper no longer has (another order spent them since their
  // quote): refuse rather than place the order without them at a higher price. 'max' takes what there is.
  if (typeof input.usePoints === 'number' && input.usePoints > 0 && quote.points.available < input.usePoints)
    return refuse(
      conflict('members.not_enough_points', `you asked to use ${input.usePoints} points; you have ${quote.points.available}`, {
        available: quote.points.available,
      }),
    );
  if (input.expectedPayableTotal !== undefined && input.expectedPayableTotal !== quote.payableTotal)
    return refuse(
      conflict(
        'orders.price_changed',
        `the total is now ${quote.payableTotal} fen, not ${input.expectedPayableTotal}; review the new quote`,
        { quote },
      ),
    );

  const checkoutId = newId('chk');
  const expiresAt = ctx.now + paymentTimeoutMs(ctx);
  const { stmts, created } = createCheckoutStatements(ctx, {
    checkoutId,
    userId,
    idempotencyKey,
    requestHash,
    expiresAt,
    addressEnc: await encryptPii(requireSecret(ctx.env, 'PII_KEYS'), JSON.stringify(address)),
    addressRegion: address.province,
    buyerNote: input.buyerNote,
    orders: drafts,
  });
  // Points and balance are spent in the order's own batch (guarded: never below 0), with each
  // line's share recorded so a refund knows what to give back.
  const deductionLines: OrderLineDeduction[] = created.flatMap((o) =>
    o.lines.map((l) => ({ orderLineId: l.lineId, orderId: o.orderId, quantity: l.quantity, ...deductions.get(l.skuId)! })),
  );
  stmts.push(
    ...useCouponStatements(ctx, { userId, checkoutId, uses: couponUses }),
    ...chargeCampaignStatements(ctx, checkoutId, campaignSpend),
    ...checkoutDeductionStatements(ctx, { checkoutId, userId, lines: deductionLines }),
  );
  const alertAt: [number, string][] = [];
  for (const o of created)
    for (const l of o.lines) {
      // Guarded decrement (CHECK stock >= 0): short stock aborts the whole batch — no partial order.
      stmts.push(
        ...stockChangeStatements(ctx, {
          skuId: l.skuId,
          productId: l.productId,
          change: { delta: -l.quantity },
          reason: 'sale',
          ref: `ord:${l.lineId}`,
        }),
      );
      const alertId = newId('alr');
      alertAt.push([stmts.length, alertId]);
      stmts.push(alertStatements(ctx, l.skuId, alertId)[0]);
    }
  let results: D1Result[];
  try {
    results = await ctx.env.DB.batch(stmts);
  } catch (e) {
    const kind = batchFailure(e);
    if (kind === 'unique') {
      // A concurrent request with the same key won the race: answer with its result.
      const winner = await checkoutResult(ctx, userId, idempotencyKey, requestHash);
      if (winner) return winner;
    }
    if (kind === 'check') throw conflict('orders.insufficient_stock', 'an item sold out while ordering; review the cart');
    if (kind === 'guard' && (quote.points.used > 0 || quote.balance.used > 0)) {
      // Points or balance spent elsewhere meanwhile (another order, an exchange): say which.
      if ((await pointsBalance(ctx, userId)) < quote.points.used)
        throw conflict('members.not_enough_points', 'your points were used elsewhere while ordering; review the new quote');
      if ((await walletBalance(ctx, userId)) < quote.balance.used)
        throw conflict('members.not_enough_balance', 'your balance was used elsewhere while ordering; review the new quote');
    }
    if (kind === 'guard') {
      // Most likely a campaign ran out of budget: forget the cached rules so the next quote drops it.
      invalidateActiveRules();
      throw conflict(
        'orders.promotions_changed',
        'a coupon was used elsewhere or a campaign budget ran out while ordering; review the new quote',
      );
    }
    throw e;
  }
  await notifyRaisedAlerts(ctx, raisedAlerts(results, alertAt));
  try {
    await emit(ctx, PaymentTimeout, { checkoutId }, { id: `timeout:${checkoutId}`, delaySeconds: Math.ceil(paymentTimeoutMs(ctx) / 1000) });
  } catch (err) {
    // The cron sweep closes expired checkouts too; the message only makes it prompt.
    ctx.log.error('payment timeout message not enqueued', { checkoutId, err: String(err) });
  }
  if (fromCart)
    await removeCartLines(
      ctx,
      userId,
      lines.map((l) => l.skuId),
    );
  const result = await checkoutResult(ctx, userId, idempotencyKey, requestHash);
  if (!result) throw new AppError('internal', 500, 'order vanished after creation');
  return { ...result, replayed: false };
}
