import { z } from '@hono/zod-openapi';
import { fen } from '../../shared/money';

const isoTime = z.string().openapi({ description: 'ISO-8601 UTC' });
const isoInput = z.iso.datetime({ offset: true }).openapi({ description: 'ISO-8601, e.g. 2026-11-25T10:00:00Z' });

export const CreateFlashSaleInput = z
  .object({
    skuId: z.string().regex(/^sku_[0-9a-z]{4,32}$/, 'must be a sku_ id'),
    salePrice: fen().openapi({ description: 'fen; what the shopper pays per unit' }),
    allocated: z.number().int().min(1).max(100_000).openapi({ description: 'units moved out of normal stock into the sale' }),
    perShopperLimit: z.number().int().min(1).max(100).default(1),
    startsAt: isoInput,
    endsAt: isoInput,
    reservationTtlSeconds: z.number().int().min(10).max(24 * 3600).default(900)
      .openapi({ description: 'how long an unpaid reservation holds its units (default 15 min)' }),
  })
  .refine((v) => Date.parse(v.endsAt) > Date.parse(v.startsAt), { path: ['endsAt'], message: 'must be after startsAt' })
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
    state: z.enum(['upcoming', 'live', 'ended']),
    status: z.enum(['active', 'cancelled']),
  })
  .openapi('FlashSale');

export const FlashSaleListSchema = z
  .object({ serverTime: isoTime, items: z.array(FlashSaleSchema) })
  .openapi('FlashSaleList');

export const ReserveFlashSaleInput = z
  .object({ quantity: z.number().int().min(1).max(100).default(1) })
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
  })
  .openapi('FlashSaleReservation');
