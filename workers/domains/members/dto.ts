import { z } from '@hono/zod-openapi';
import { pageQuery } from '../../shared/pagination';

const isoTime = z.string().openapi({ description: 'ISO-8601 UTC' });

export const PointsEntrySchema = z
  .object({
    id: z.string(),
    delta: z.number().int().openapi({ description: 'points added (positive) or spent (negative)' }),
    reason: z.string().openapi({
      description:
        'the source: order, review, checkin, task, invite, adjust, mall, checkout, checkout_refund, expire, birthday, lottery_draw, lottery_prize, …',
      example: 'checkout',
    }),
    note: z.string().nullable().openapi({ description: "human words beside the reason (a staff member's reason for an adjustment)" }),
    ref: z.string().openapi({ description: 'unique key of what caused it, e.g. "draw:drw_…", "prize:drw_…", "adjust:<your ref>"' }),
    createdAt: isoTime,
  })
  .openapi('PointsEntry');
export type PointsEntryDto = z.infer<typeof PointsEntrySchema>;

export const MyPointsSchema = z
  .object({
    balance: z.number().int(),
    items: z.array(PointsEntrySchema).openapi({ description: 'recent entries, newest first' }),
    nextCursor: z.string().nullable(),
  })
  .openapi('MyPoints');

export const PointsPageQuery = z.object(pageQuery);

export const AdjustPointsInput = z
  .object({
    delta: z
      .number()
      .int('points are whole numbers')
      .min(-10_000_000)
      .max(10_000_000)
      .refine((v) => v !== 0, 'must not be 0')
      .openapi({ description: 'points to add (positive) or take away (negative; never below a balance of 0)', example: 100 }),
    reason: z.string().trim().min(1).max(100).openapi({ example: '客服补偿' }),
    ref: z
      .string()
      .regex(/^[\w.:-]{1,100}$/, 'ref is 1–100 letters, digits or ._:-')
      .optional()
      .openapi({
        description: 'idempotency: the same ref adjusts once; a repeat returns the first entry (200). Omit for a one-off adjustment',
      }),
  })
  .openapi('AdjustPointsInput');
export type AdjustPointsInput = z.infer<typeof AdjustPointsInput>;

export const PointsAdjustmentSchema = z
  .object({
    entry: PointsEntrySchema.extend({ userId: z.string() }),
    balance: z.number().int().openapi({ description: "the shopper's balance now" }),
    replayed: z.boolean().openapi({ description: 'true when this ref had already been applied: nothing changed' }),
  })
  .openapi('PointsAdjustment');
