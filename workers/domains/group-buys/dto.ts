import { z } from '@hono/zod-openapi';
import { fen } from '../../shared/money';
import { WINDOW_STATES } from '../../shared/schedule';

const isoTime = z.string().openapi({ description: 'ISO-8601 UTC' });
const isoInput = z.iso.datetime({ offset: true }).openapi({ description: 'ISO-8601, e.g. 2026-11-25T10:00:00Z' });

export const CreateGroupBuyInput = z
  .object({
    skuId: z.string().regex(/^sku_[0-9a-z]{4,32}$/, 'must be a sku_ id'),
    groupPrice: fen().openapi({ description: 'fen per unit for team members' }),
    leaderPrice: fen().optional().openapi({ description: 'fen per unit for the leader (团长优惠); at most groupPrice' }),
    groupSize: z.number().int().min(2).max(10),
    timeLimitMinutes: z
      .number()
      .int()
      .min(5)
      .max(7 * 24 * 60)
      .default(24 * 60)
      .openapi({ description: 'a team must fill within this after its leader paid (default 24 h)' }),
    paymentMinutes: z
      .number()
      .int()
      .min(1)
      .max(120)
      .default(15)
      .openapi({ description: 'how long a seat may stay unpaid (default 15 min)' }),
    allocated: z.number().int().min(1).max(100_000).openapi({ description: 'units moved out of normal stock into the deal' }),
    perShopperLimit: z.number().int().min(1).max(100).default(1),
    autoFill: z
      .boolean()
      .default(false)
      .openapi({ description: '模拟成团: complete an expiring team that has a paid member with virtual members. Off by default.' }),
    startsAt: isoInput,
    endsAt: isoInput,
  })
  .refine((v) => Date.parse(v.endsAt) > Date.parse(v.startsAt), { path: ['endsAt'], message: 'must be after startsAt' })
  .refine((v) => v.leaderPrice === undefined || v.leaderPrice <= v.groupPrice, {
    path: ['leaderPrice'],
    message: 'must not exceed groupPrice',
  })
  .openapi('CreateGroupBuyInput');
export type CreateGroupBuyInput = z.infer<typeof CreateGroupBuyInput>;

export const GroupBuySchema = z
  .object({
    id: z.string(),
    skuId: z.string(),
    productId: z.string(),
    merchantId: z.string(),
    title: z.string(),
    imageUrl: z.string().nullable(),
    originalPrice: z.number().int(),
    groupPrice: z.number().int(),
    leaderPrice: z.number().int().nullable(),
    groupSize: z.number().int(),
    timeLimitMinutes: z.number().int(),
    allocated: z.number().int(),
    remaining: z.number().int().nullable().openapi({ description: 'null when the stock service could not be reached' }),
    perShopperLimit: z.number().int(),
    autoFill: z.boolean(),
    startsAt: isoTime,
    endsAt: isoTime,
    state: z.enum(WINDOW_STATES),
    teams: z
      .object({ forming: z.number().int(), open: z.number().int(), succeeded: z.number().int(), failed: z.number().int() })
      .nullable(),
  })
  .openapi('GroupBuy');

export const GroupBuyListSchema = z.object({ serverTime: isoTime, items: z.array(GroupBuySchema) }).openapi('GroupBuyList');

export const SeatInput = z
  .object({
    addressId: z.string().min(4).max(40).optional().openapi({ description: "delivery address; default: the shopper's default address" }),
    buyerNote: z.string().max(200).default(''),
  })
  .openapi('GroupBuySeatInput');

export const TeamSchema = z
  .object({
    id: z.string(),
    dealId: z.string(),
    status: z.enum(['forming', 'open', 'succeeded', 'failed', 'void']).openapi({
      description: 'forming: leader not paid yet; open: joinable; succeeded: full, orders ship; failed: time ran out, members refunded',
    }),
    size: z.number().int(),
    paidCount: z.number().int(),
    seatsLeft: z.number().int(),
    expiresAt: isoTime.nullable(),
    members: z.array(z.object({ role: z.enum(['leader', 'member', 'virtual']), name: z.string(), paid: z.boolean(), you: z.boolean() })),
    deal: z.object({
      title: z.string(),
      imageUrl: z.string().nullable(),
      groupPrice: z.number().int(),
      originalPrice: z.number().int(),
      groupSize: z.number().int(),
    }),
    shareCard: z
      .object({ title: z.string(), imageUrl: z.string().nullable(), path: z.string(), progress: z.string() })
      .openapi({ description: 'for the mini-program onShareAppMessage: title, image, page path with the team id, progress line' }),
    serverTime: isoTime,
  })
  .openapi('GroupBuyTeam');

export const SeatResultSchema = z
  .object({
    seatId: z.string(),
    role: z.enum(['leader', 'member']),
    replayed: z.boolean(),
    team: TeamSchema,
    order: z.object({
      orderId: z.string(),
      orderNo: z.string(),
      checkoutId: z.string(),
      status: z.string(),
      payableTotal: z.number().int(),
      expiresAt: isoTime.nullable(),
    }),
  })
  .openapi('GroupBuySeat');
