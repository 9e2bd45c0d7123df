import { z } from '@hono/zod-openapi';
import { pageQuery } from '../../../shared/pagination';
import { EXCHANGE_STATUSES, MALL_ITEM_KINDS } from './schema';

const isoTime = z.string().openapi({ description: 'ISO-8601 UTC' });
const id = z.string().min(4).max(40);
const when = z.iso.datetime({ offset: true, message: 'an ISO-8601 time, e.g. 2026-11-11T00:00:00+08:00' });

export const MallItemKind = z.enum(MALL_ITEM_KINDS).openapi({
  description: 'goods 实物（发货，可积分+现金）· coupon 优惠券 · lottery_chance 抽奖机会',
});
export const ExchangeStatus = z.enum(EXCHANGE_STATUSES).openapi({
  description: 'completed 已完成 · pending_payment 待支付现金部分 · cancelled 已取消（积分与库存已退回）',
});

const common = {
  title: z.string().trim().min(1).max(60).openapi({ example: '保温杯兑换' }),
  description: z.string().max(2000).openapi({ description: '详情说明（纯文本，换行保留）' }),
  imageUrl: z
    .url({ protocol: /^https?$/, message: 'an http(s) URL' })
    .max(1000)
    .nullable(),
  pointsPrice: z.number().int().min(1, 'at least 1 point').max(10_000_000).openapi({ description: 'points per unit', example: 500 }),
  cashPrice: z
    .number()
    .int('fen are whole numbers')
    .min(0)
    .max(100_000_000)
    .openapi({ description: 'fen per unit paid through WeChat Pay (goods only; 0 = points only)', example: 990 }),
  limitPerUser: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .nullable()
    .openapi({ description: 'units one shopper may exchange per limitPeriod; null = no limit' }),
  limitPeriod: z.enum(['ever', 'day']).openapi({ description: 'ever 每人限兑 · day 每人每天限兑 (Asia/Shanghai day)' }),
  startsAt: when.nullable().openapi({ description: 'exchangeable from (null = now)' }),
  endsAt: when.nullable().openapi({ description: 'exchangeable until (null = no end)' }),
  status: z.enum(['on', 'off']).openapi({ description: 'on 上架 · off 下架' }),
  sortOrder: z.number().int().min(-100_000).max(100_000).openapi({ description: 'smaller first' }),
  minTierId: id.nullable().openapi({ description: 'only shoppers at this member tier or above may exchange (null = everyone)' }),
  freeShipping: z.boolean().openapi({ description: 'goods: 包邮; false = the merchant’s freight template prices the parcel' }),
};

const windowOk = (v: { startsAt?: string | null; endsAt?: string | null }) =>
  !v.startsAt || !v.endsAt || Date.parse(v.endsAt) > Date.parse(v.startsAt);

export const CreatePointsMallItemInput = z
  .object({
    kind: MallItemKind,
    ...common,
    description: common.description.default(''),
    imageUrl: common.imageUrl.optional(),
    cashPrice: common.cashPrice.default(0),
    limitPerUser: common.limitPerUser.default(null),
    limitPeriod: common.limitPeriod.default('ever'),
    startsAt: common.startsAt.default(null),
    endsAt: common.endsAt.default(null),
    status: common.status.default('on'),
    sortOrder: common.sortOrder.default(0),
    minTierId: common.minTierId.default(null),
    freeShipping: common.freeShipping.default(true),
    stock: z.number().int().min(0).max(10_000_000).openapi({ description: 'units offered', example: 100 }),
    skuId: id.optional().openapi({ description: 'goods: the catalog SKU shipped' }),
    couponTemplateId: id.optional().openapi({ description: "coupon: a template open to the 'points_mall' channel" }),
    lotteryId: id.optional().openapi({ description: 'lottery_chance: the lottery' }),
    chances: z.number().int().min(1).max(100).optional().openapi({ description: 'lottery_chance: extra draws per unit' }),
  })
  .superRefine((v, ctx) => {
    const need = (field: 'skuId' | 'couponTemplateId' | 'lotteryId' | 'chances', ok: boolean, message: string) => {
      if (!ok) ctx.addIssue({ code: 'custom', path: [field], message });
    };
    need('skuId', (v.kind === 'goods') === !!v.skuId, v.kind === 'goods' ? 'goods need a skuId' : 'only goods have a skuId');
    need(
      'couponTemplateId',
      (v.kind === 'coupon') === !!v.couponTemplateId,
      v.kind === 'coupon' ? 'a coupon item needs couponTemplateId' : 'only coupon items have a couponTemplateId',
    );
    need(
      'lotteryId',
      (v.kind === 'lottery_chance') === !!v.lotteryId,
      v.kind === 'lottery_chance' ? 'a lottery_chance item needs lotteryId' : 'only lottery_chance items have a lotteryId',
    );
    need('chances', v.kind === 'lottery_chance' || v.chances === undefined, 'only lottery_chance items have chances');
    if (v.kind !== 'goods' && v.cashPrice > 0)
      ctx.addIssue({ code: 'custom', path: ['cashPrice'], message: 'only goods can have a cash part (it is paid as an order)' });
    if (!windowOk(v)) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'endsAt must be after startsAt' });
  })
  .openapi('CreatePointsMallItemInput');
export type CreatePointsMallItemInput = z.output<typeof CreatePointsMallItemInput>;

export const UpdatePointsMallItemInput = z
  .object(common)
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'change at least one field')
  .refine(windowOk, { message: 'endsAt must be after startsAt', path: ['endsAt'] })
  .openapi('UpdatePointsMallItemInput');
export type UpdatePointsMallItemInput = z.output<typeof UpdatePointsMallItemInput>;

export const AdjustMallStockInput = z
  .object({
    delta: z
      .number()
      .int()
      .min(-10_000_000)
      .max(10_000_000)
      .refine((v) => v !== 0, 'must not be 0')
      .openapi({ description: 'units to add (positive) or take off sale (negative; never below 0 left)', example: 50 }),
  })
  .openapi('AdjustMallStockInput');

const target = z
  .object({
    skuId: z.string().nullable(),
    couponTemplateId: z.string().nullable(),
    lotteryId: z.string().nullable(),
    chances: z.number().int().nullable(),
  })
  .openapi({ description: 'what one unit is: the SKU shipped, the coupon template issued, or the lottery and its extra draws' });

const state = z
  .enum(['upcoming', 'live', 'ended', 'off'])
  .openapi({ description: 'upcoming 即将开始 · live 可兑换 · ended 已结束 · off 已下架' });

export const PointsMallItemSchema = z
  .object({
    id: z.string(),
    kind: MallItemKind,
    title: z.string(),
    description: z.string(),
    imageUrl: z.string().nullable(),
    pointsPrice: z.number().int(),
    cashPrice: z.number().int(),
    freeShipping: z.boolean(),
    /** list price of the goods (fen), for "原价 ¥x" */
    marketPrice: z.number().int().nullable().openapi({ description: 'goods: the SKU’s list price in fen (原价)' }),
    stock: z.number().int().openapi({ description: 'units left' }),
    sold: z.number().int(),
    limitPerUser: z.number().int().nullable(),
    limitPeriod: z.enum(['ever', 'day']),
    startsAt: isoTime.nullable(),
    endsAt: isoTime.nullable(),
    state,
    minTierId: z.string().nullable(),
    minTierName: z.string().nullable().openapi({ description: 'the tier minTierId names (会员等级), for 金卡及以上可兑' }),
    target,
    me: z
      .object({
        remaining: z.number().int().nullable().openapi({ description: 'units this shopper may still exchange now (null = no limit)' }),
        tierOk: z.boolean().openapi({ description: 'false when the item needs a higher member tier' }),
      })
      .nullable()
      .openapi({ description: 'signed-in shopper only' }),
  })
  .openapi('PointsMallItem');
export type PointsMallItemDto = z.infer<typeof PointsMallItemSchema>;

export const PointsMallItemAdminSchema = PointsMallItemSchema.omit({ me: true })
  .extend({ status: z.enum(['on', 'off']), sortOrder: z.number().int(), createdAt: isoTime, updatedAt: isoTime })
  .openapi('PointsMallItemAdmin');
export type PointsMallItemAdminDto = z.infer<typeof PointsMallItemAdminSchema>;

export const ListPointsMallItemsQuery = z.object({ kind: MallItemKind.optional() });

export const PointsMallSchema = z
  .object({
    points: z.number().int().nullable().openapi({ description: 'the signed-in shopper’s points balance (null when not signed in)' }),
    kinds: z
      .array(z.object({ kind: MallItemKind, count: z.number().int() }))
      .openapi({ description: 'tabs: kinds with items on the shelf' }),
    items: z.array(PointsMallItemSchema).openapi({ description: 'on the shelf and not ended, by sortOrder' }),
  })
  .openapi('PointsMall');

export const ListAdminMallItemsQuery = z.object({
  ...pageQuery,
  kind: MallItemKind.optional(),
  status: z.enum(['on', 'off']).optional(),
});

export const RedeemPointsMallItemInput = z
  .object({
    quantity: z.number().int().min(1).max(99).default(1),
    addressId: id.optional().openapi({ description: 'goods: the delivery address (default: the shopper’s default address)' }),
    buyerNote: z.string().max(200).default(''),
  })
  .openapi('RedeemPointsMallItemInput');
export type RedeemPointsMallItemInput = z.output<typeof RedeemPointsMallItemInput>;

export const ExchangeOrderSchema = z
  .object({
    id: z.string(),
    orderNo: z.string(),
    status: z.string().openapi({ description: 'the order’s status (pending_payment → pay with payOrder)' }),
    payableTotal: z.number().int().openapi({ description: 'fen to pay: the cash part plus freight' }),
    expiresAt: isoTime.nullable(),
  })
  .openapi('PointsMallExchangeOrder');

export const PointsMallExchangeSchema = z
  .object({
    id: z.string(),
    itemId: z.string(),
    kind: MallItemKind,
    title: z.string(),
    imageUrl: z.string().nullable(),
    quantity: z.number().int(),
    pointsTotal: z.number().int(),
    cashTotal: z.number().int(),
    status: ExchangeStatus,
    couponId: z.string().nullable(),
    chances: z.number().int().nullable(),
    lotteryId: z.string().nullable(),
    order: ExchangeOrderSchema.nullable(),
    createdAt: isoTime,
    cancelledAt: isoTime.nullable(),
  })
  .openapi('PointsMallExchange');
export type PointsMallExchangeDto = z.infer<typeof PointsMallExchangeSchema>;

export const RedeemResultSchema = PointsMallExchangeSchema.extend({
  replayed: z.boolean().openapi({ description: 'true when this Idempotency-Key had already exchanged: the first exchange' }),
  points: z.number().int().openapi({ description: 'the shopper’s points balance now' }),
}).openapi('PointsMallRedeemResult');

export const ExchangeAdminSchema = PointsMallExchangeSchema.extend({ userId: z.string() }).openapi('PointsMallExchangeAdmin');

export const ListMyExchangesQuery = z.object({ ...pageQuery });
export const ListAdminExchangesQuery = z.object({ ...pageQuery, itemId: id.optional(), userId: id.optional() });
