import { z } from '@hono/zod-openapi';
import { fen } from '../../shared/money';
import { WINDOW_STATES } from '../../shared/schedule';
import { MAX_BUCKETS } from './rules';

const isoTime = z.string().openapi({ description: 'ISO-8601 UTC' });
const isoInput = z.iso.datetime({ offset: true }).openapi({ description: 'ISO-8601, e.g. 2026-11-25T10:00:00Z' });

const Round = z
  .object({ startsAt: isoInput, endsAt: isoInput })
  .refine((v) => Date.parse(v.endsAt) > Date.parse(v.startsAt), { path: ['endsAt'], message: 'must be after startsAt' });

export const CreateFlashSaleInput = z
  .object({
    skuId: z.string().regex(/^sku_[0-9a-z]{4,32}$/, 'must be a sku_ id'),
    salePrice: fen().openapi({ description: 'fen; what the shopper pays per unit' }),
    allocated: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .openapi({ description: 'units moved out of normal stock into the sale (per round when rounds are given)' }),
    perShopperLimit: z.number().int().min(1).max(100).default(1),
    startsAt: isoInput.optional().openapi({ description: 'required unless rounds are given' }),
    endsAt: isoInput.optional(),
    rounds: z
      .array(Round)
      .min(1)
      .max(12)
      .optional()
      .openapi({ description: 'session slots (场次), e.g. 10:00/14:00/20:00: one pool of `allocated` units each, sharing a seriesId' }),
    reservationTtlSeconds: z
      .number()
      .int()
      .min(10)
      .max(24 * 3600)
      .default(900)
      .openapi({ description: 'how long the shopper has to pay for a reserved unit (default 15 min)' }),
    requireToken: z.boolean().default(false).openapi({
      description: 'anti-bot: reserve needs the X-Flash-Token from issueFlashSaleToken, which is only issued once the round is live',
    }),
    buckets: z.number().int().min(1).max(MAX_BUCKETS).default(1).openapi({
      description:
        "how many Durable Objects share the reservations (1 = the SKU's own object). One object decides about 1,000 reserves a second; raise it for crowds: expected first-second taps ÷ 1,250, rounded up, at most 16. Fixed once created",
    }),
  })
  .refine((v) => (v.rounds ? v.startsAt === undefined && v.endsAt === undefined : v.startsAt !== undefined && v.endsAt !== undefined), {
    path: ['startsAt'],
    message: 'give either startsAt and endsAt, or rounds',
  })
  .refine((v) => !v.startsAt || !v.endsAt || Date.parse(v.endsAt) > Date.parse(v.startsAt), {
    path: ['endsAt'],
    message: 'must be after startsAt',
  })
  .refine((v) => v.buckets <= v.allocated, { path: ['buckets'], message: 'must not exceed allocated (every bucket starts with a unit)' })
  .openapi('CreateFlashSaleInput');
export type CreateFlashSaleInput = z.infer<typeof CreateFlashSaleInput>;

export const FlashSaleSchema = z
  .object({
    id: z.string(),
    skuId: z.string(),
    productId: z.string(),
    merchantId: z.string(),
    title: z.string(),
    salePrice: z.number().int(),
    originalPrice: z.number().int(),
    allocated: z.number().int(),
    /** null when the SKU's Durable Object could not be reached */
    remaining: z.number().int().nullable(),
    perShopperLimit: z.number().int(),
    startsAt: isoTime,
    endsAt: isoTime,
    state: z.enum(WINDOW_STATES),
    status: z.enum(['active', 'cancelled']),
    seriesId: z.string(),
    roundLabel: z.string().openapi({ description: 'e.g. "10:00场" (Beijing time); empty for a single sale' }),
    requireToken: z.boolean(),
    buckets: z.number().int().openapi({ description: "Durable Objects sharing the reservations (1 = the SKU's own object)" }),
  })
  .openapi('FlashSale');

export const CreatedFlashSaleSchema = FlashSaleSchema.extend({ rounds: z.array(FlashSaleSchema) }).openapi('CreatedFlashSale');

export const FlashSaleTokenSchema = z.object({ token: z.string(), expiresAt: isoTime }).openapi('FlashSaleToken');

export const FlashSaleListSchema = z.object({ serverTime: isoTime, items: z.array(FlashSaleSchema) }).openapi('FlashSaleList');

export const ReserveFlashSaleInput = z
  .object({
    quantity: z.number().int().min(1).max(100).default(1),
    addressId: z.string().min(4).max(40).optional().openapi({ description: "delivery address; default: the shopper's default address" }),
    buyerNote: z.string().max(200).default(''),
  })
  .openapi('ReserveFlashSaleInput');

export const FlashSaleReservationSchema = z
  .object({
    reservationId: z.string(),
    saleId: z.string(),
    quantity: z.number().int(),
    status: z.enum(['pending', 'confirmed', 'released', 'expired']),
    salePrice: z.number().int(),
    expiresAt: isoTime,
    replayed: z.boolean(),
    order: z
      .object({
        orderId: z.string(),
        checkoutId: z.string(),
        status: z.string().openapi({
          description:
            "'creating' until the order is written (within about a second; getFlashSaleReservation writes it at once), then the order's status",
        }),
        orderNo: z.string().nullable(),
        payableTotal: z.number().int().nullable(),
        expiresAt: isoTime.nullable(),
      })
      .openapi({ description: 'the pending order holding the reservation: pay it with payOrder before expiresAt' }),
  })
  .openapi('FlashSaleReservation');

export const FlashSaleReconcileReportSchema = z
  .object({
    saleId: z.string(),
    do: z.object({
      allocated: z.number().int(),
      reserved: z.number().int(),
      sold: z.number().int(),
      remaining: z.number().int(),
      closed: z.boolean(),
    }),
    d1: z.object({ pendingUnits: z.number().int(), soldUnits: z.number().int() }),
    repaired: z.object({
      confirmed: z.number().int(),
      released: z.number().int(),
      refunded: z.number().int(),
      ordersWritten: z.number().int(),
    }),
    conserved: z.boolean().openapi({
      description: 'the pool, the buckets and the units in transfer add up to the allocation (always true for a one-object sale)',
    }),
    agree: z.boolean().openapi({ description: 'D1 pending/sold units equal the DO reserved/sold units, and every unit is accounted for' }),
    returnedUnits: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'unsold units returned to normal stock after the end (null: not yet)' }),
    reconciledAt: isoTime,
  })
  .openapi('FlashSaleReconcileReport');
