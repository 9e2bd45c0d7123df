import { SCHEDULE_STATES } from '../../../shared/schedule';
import { z } from '@hono/zod-openapi';
import { fen } from '../../../shared/money';
import { pageQuery } from '../../../shared/pagination';

const isoTime = z.string().openapi({ description: 'ISO-8601 UTC' });
const isoInput = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time, e.g. 2026-11-11T00:00:00+08:00' });
const id = z.string().min(4).max(40);

export const PRIZE_KINDS = ['coupon', 'points', 'goods', 'none'] as const;
export const PrizeKind = z
  .enum(PRIZE_KINDS)
  .openapi({ description: 'coupon 优惠券 · points 积分 · goods 实物 (staff ship it) · none 谢谢参与' });

/** Weights are integers so the draw is exact; the cap keeps 12 prizes' total far below 2^32. */
export const MAX_WEIGHT = 1_000_000;

export const PrizeInput = z
  .object({
    name: z.string().trim().min(1).max(40).openapi({ example: '满99减10券' }),
    kind: PrizeKind,
    couponTemplateId: id.optional().openapi({ description: "kind coupon: a template whose channels include 'lottery'" }),
    points: z.number().int().min(1).max(1_000_000).optional().openapi({ description: 'kind points: points awarded' }),
    skuId: id.optional().openapi({ description: 'kind goods: the SKU staff will ship' }),
    value: fen().optional().openapi({
      description:
        "fen charged to the lottery's budget each time it is awarded. Default: coupon → its face value, points → 0; required for goods",
    }),
    weight: z
      .number()
      .int()
      .min(0)
      .max(MAX_WEIGHT)
      .openapi({ description: 'relative chance: weight / (sum of the weights of prizes still available)' }),
    stock: z.number().int().min(0).max(10_000_000).optional().openapi({
      description: "how many can be awarded (required except for kind none). 'none' prizes never run out: their stock is ignored",
    }),
    imageUrl: z.url().max(500).optional(),
  })
  .superRefine((p, ctx) => {
    const bad = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    const only = (field: 'couponTemplateId' | 'points' | 'skuId', kind: string) => {
      if (p.kind === kind && p[field] === undefined) bad(field, `kind ${kind} needs ${field}`);
      if (p.kind !== kind && p[field] !== undefined) bad(field, `only kind ${kind} has ${field}`);
    };
    only('couponTemplateId', 'coupon');
    only('points', 'points');
    only('skuId', 'goods');
    if (p.kind === 'goods' && p.value === undefined) bad('value', 'a goods prize needs its value (fen) for the budget');
    if (p.kind !== 'none' && p.stock === undefined) bad('stock', `kind ${p.kind} needs stock`);
    if (p.kind === 'none' && p.value !== undefined && p.value > 0) bad('value', "a 'none' prize costs nothing");
  });
export type PrizeInput = z.infer<typeof PrizeInput>;

export const CreateLotteryInput = z
  .object({
    name: z.string().trim().min(1).max(60).openapi({ example: '双十一幸运大转盘' }),
    description: z.string().max(1000).default(''),
    startsAt: isoInput,
    endsAt: isoInput,
    freeDrawsPerDay: z
      .number()
      .int()
      .min(0)
      .max(20)
      .default(1)
      .openapi({ description: 'free draws per shopper per day (Asia/Shanghai calendar day)' }),
    maxDrawsPerUser: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .optional()
      .openapi({ description: 'most draws per shopper over the whole lottery (free and paid); omit for no total limit' }),
    pointsPerDraw: z
      .number()
      .int()
      .min(0)
      .max(1_000_000)
      .default(0)
      .openapi({ description: 'points per draw once the free draws are used; 0 = free draws only' }),
    budget: fen().openapi({ description: 'fen: the most the awarded prizes may be worth in all (sum of their values)' }),
    campaignId: id.optional().openapi({ description: "campaign whose budget each awarded prize's value is also charged to" }),
    prizes: z.array(PrizeInput).min(1).max(12),
  })
  .superRefine((v, ctx) => {
    if (Date.parse(v.endsAt) <= Date.parse(v.startsAt))
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
    if (v.prizes.reduce((s, p) => s + p.weight, 0) <= 0)
      ctx.addIssue({ code: 'custom', path: ['prizes'], message: 'the weights must add up to more than 0' });
    if (v.freeDrawsPerDay === 0 && v.pointsPerDraw === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['pointsPerDraw'],
        message: 'with no free draws, a draw must cost points (or nobody could draw)',
      });
  })
  .openapi('CreateLotteryInput');
export type CreateLotteryInput = z.infer<typeof CreateLotteryInput>;

export const UpdateLotteryInput = z.object({ status: z.enum(['active', 'disabled']) }).openapi('UpdateLotteryInput');

export const LotteryState = z.enum(SCHEDULE_STATES);

export const AdminPrizeSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: PrizeKind,
    couponTemplateId: z.string().nullable(),
    points: z.number().int().nullable(),
    skuId: z.string().nullable(),
    imageUrl: z.string().nullable(),
    value: z.number().int(),
    weight: z.number().int(),
    stock: z.number().int().nullable().openapi({ description: "null for 'none' prizes (never run out)" }),
    awarded: z.number().int().openapi({ description: "times awarded (for 'none': times drawn)" }),
    available: z.boolean(),
  })
  .openapi('LotteryPrizeAdmin');

export const LotterySummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    startsAt: isoTime,
    endsAt: isoTime,
    state: LotteryState,
    status: z.enum(['active', 'disabled']),
    freeDrawsPerDay: z.number().int(),
    maxDrawsPerUser: z.number().int().nullable(),
    pointsPerDraw: z.number().int(),
    budget: z.number().int(),
    budgetUsed: z.number().int(),
    campaignId: z.string().nullable(),
    createdAt: isoTime,
  })
  .openapi('LotterySummary');

export const LotteryAdminSchema = LotterySummarySchema.extend({
  prizes: z.array(AdminPrizeSchema),
  draws: z.number().int().openapi({ description: 'draws so far' }),
}).openapi('LotteryAdmin');

export const ListLotteriesQuery = z.object({ ...pageQuery, status: z.enum(['active', 'disabled']).optional() });

export const LotteryDrawAdminSchema = z
  .object({
    id: z.string(),
    lotteryId: z.string(),
    userId: z.string(),
    prizeId: z.string().nullable(),
    prizeKind: PrizeKind,
    prizeName: z.string(),
    couponId: z.string().nullable(),
    points: z.number().int().nullable(),
    skuId: z.string().nullable(),
    fulfilment: z.enum(['none', 'to_ship', 'shipped']),
    shippedAt: isoTime.nullable(),
    shipNote: z.string().nullable().openapi({ description: "the staff's note when shipping (carrier, tracking number)" }),
    pointsSpent: z.number().int(),
    day: z.string().openapi({ description: 'Asia/Shanghai calendar day' }),
    createdAt: isoTime,
  })
  .openapi('LotteryDrawAdmin');

export const ListLotteryDrawsQuery = z.object({
  ...pageQuery,
  fulfilment: z.enum(['none', 'to_ship', 'shipped']).optional().openapi({ description: 'to_ship: goods prizes waiting to be shipped' }),
  winners: z.enum(['true', 'false']).default('true').openapi({ description: "true (default): only draws that won something (not 'none')" }),
});

export const MarkPrizeShippedInput = z
  .object({ note: z.string().trim().max(200).default('').openapi({ description: 'e.g. carrier and tracking number; logged, not stored' }) })
  .openapi('MarkPrizeShippedInput');

export const StorePrizeSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: PrizeKind,
    imageUrl: z.string().nullable(),
    available: z.boolean().openapi({ description: 'false once it has run out (or the budget cannot cover it)' }),
  })
  .openapi('LotteryPrize');

export const LotterySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    startsAt: isoTime,
    endsAt: isoTime,
    state: LotteryState,
    serverTime: isoTime,
    freeDrawsPerDay: z.number().int(),
    pointsPerDraw: z.number().int(),
    maxDrawsPerUser: z.number().int().nullable(),
    prizes: z.array(StorePrizeSchema),
    me: z
      .object({
        drawsLeftToday: z.number().int().openapi({ description: 'free draws left today (Asia/Shanghai day), within the total limit' }),
        totalDrawsLeft: z.number().int().nullable().openapi({ description: 'null: no total limit' }),
        pointsBalance: z.number().int(),
        chancesLeft: z
          .number()
          .int()
          .openapi({ description: 'extra chances (e.g. exchanged in the points mall) not used yet; used after the free draws' }),
        nextDrawCost: z
          .number()
          .int()
          .nullable()
          .openapi({ description: 'points the next draw costs (0 = free); null = no draw possible now' }),
      })
      .nullable()
      .openapi({ description: 'the signed-in shopper’s allowance; null when not signed in as a shopper' }),
  })
  .openapi('Lottery');

export const DrawResultSchema = z
  .object({
    drawId: z.string(),
    lotteryId: z.string(),
    prize: z.object({ id: z.string().nullable(), name: z.string(), kind: PrizeKind, imageUrl: z.string().nullable() }),
    coupon: z.object({ id: z.string() }).nullable().openapi({ description: 'kind coupon: the coupon now in the shopper’s wallet' }),
    points: z.number().int().nullable().openapi({ description: 'kind points: points added' }),
    pointsSpent: z.number().int().openapi({ description: 'points this draw cost (0 = a free draw)' }),
    fulfilment: z.enum(['none', 'to_ship', 'shipped']),
    drawsLeftToday: z.number().int().openapi({ description: 'free draws left today' }),
    replayed: z.boolean().openapi({ description: 'true when this Idempotency-Key had already drawn: the first result' }),
    createdAt: isoTime,
  })
  .openapi('LotteryDrawResult');
export type DrawResultDto = z.infer<typeof DrawResultSchema>;

export const MyDrawSchema = z
  .object({
    drawId: z.string(),
    lotteryId: z.string(),
    lotteryName: z.string(),
    prize: z.object({ id: z.string().nullable(), name: z.string(), kind: PrizeKind, imageUrl: z.string().nullable() }),
    coupon: z.object({ id: z.string() }).nullable(),
    points: z.number().int().nullable(),
    pointsSpent: z.number().int(),
    fulfilment: z.enum(['none', 'to_ship', 'shipped']),
    createdAt: isoTime,
  })
  .openapi('MyLotteryDraw');

export const ListMyDrawsQuery = z.object({ ...pageQuery, lotteryId: id.optional() });
