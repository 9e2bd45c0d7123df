import { z } from '@hono/zod-openapi';
import { pageQuery } from '../../../shared/pagination';
import { PointsEntrySchema } from '../dto';

const isoTime = z.string().openapi({ description: 'ISO-8601 UTC' });

export const PointsRulesSchema = z
  .object({
    enabled: z.boolean().openapi({ description: 'shoppers may spend points at checkout' }),
    pointsPerYuan: z.number().int().openapi({ description: 'points worth ¥1 (100 → 100 积分 = ¥1)', example: 100 }),
    maxSharePercent: z
      .number()
      .int()
      .openapi({ description: "the deduction's cap as a share of the order's goods after discounts, in percent", example: 50 }),
    minPoints: z
      .number()
      .int()
      .openapi({ description: 'points are usable from this balance on, and at least this many at once', example: 100 }),
    expiryMonths: z
      .number()
      .int()
      .openapi({ description: 'points earned in a month expire at the end of the Nth month after it; 0 = never', example: 12 }),
    updatedAt: isoTime.nullable().openapi({ description: 'null while the defaults apply' }),
  })
  .openapi('PointsRules');
export type PointsRulesDto = z.infer<typeof PointsRulesSchema>;

export const UpdatePointsRulesInput = z
  .object({
    enabled: z.boolean(),
    pointsPerYuan: z.number().int('whole points').min(1).max(100_000).openapi({ example: 100 }),
    maxSharePercent: z.number().int('a whole percent').min(1).max(100).openapi({ example: 50 }),
    minPoints: z.number().int('whole points').min(0).max(10_000_000).openapi({ example: 100 }),
    expiryMonths: z.number().int('whole months').min(0).max(120).openapi({ example: 12 }),
  })
  .openapi('UpdatePointsRulesInput');
export type UpdatePointsRulesInput = z.infer<typeof UpdatePointsRulesInput>;

/** Reasons that count as earning (获得) in the ledger's filter are simply the positive entries; spending (使用) the negative ones. */
export const PointsLedgerQuery = z.object({
  ...pageQuery,
  type: z
    .enum(['all', 'earn', 'spend'])
    .default('all')
    .openapi({ description: 'all entries, only what was earned or given back (delta > 0), or only what was spent or expired (delta < 0)' }),
});

export const ExpiringSchema = z
  .object({
    points: z.number().int().openapi({ description: 'points that expire at `at` unless spent first (spends use the oldest points)' }),
    at: isoTime.openapi({ description: 'the instant they expire (the start of a Beijing month)' }),
    lastDay: z.string().openapi({ description: 'the last Beijing day they can be used, "2026-12-31"' }),
  })
  .openapi('PointsExpiring');

export const PointsLedgerSchema = z
  .object({
    balance: z.number().int(),
    expiring: ExpiringSchema.nullable().openapi({ description: 'the next expiry with points in it; null when nothing expires' }),
    rules: z.object({ enabled: z.boolean(), pointsPerYuan: z.number().int(), minPoints: z.number().int(), expiryMonths: z.number().int() }),
    items: z.array(PointsEntrySchema),
    nextCursor: z.string().nullable(),
  })
  .openapi('PointsLedger');

export const WalletEntrySchema = z
  .object({
    id: z.string(),
    delta: z.number().int().openapi({ description: 'fen added (positive) or spent (negative)' }),
    reason: z.string().openapi({ description: 'checkout, checkout_refund, adjust, referral_rebate, …', example: 'checkout' }),
    note: z.string().nullable(),
    ref: z.string(),
    createdAt: isoTime,
  })
  .openapi('WalletEntry');
export type WalletEntryDto = z.infer<typeof WalletEntrySchema>;

export const WalletLedgerQuery = PointsLedgerQuery;

export const WalletLedgerSchema = z
  .object({
    balance: z.number().int().openapi({ description: 'stored balance in fen' }),
    items: z.array(WalletEntrySchema),
    nextCursor: z.string().nullable(),
  })
  .openapi('WalletLedger');

export const AdjustBalanceInput = z
  .object({
    delta: z
      .number()
      .int('money is integer fen (1 yuan = 100)')
      .min(-100_000_000)
      .max(100_000_000)
      .refine((v) => v !== 0, 'must not be 0')
      .openapi({ description: 'fen to add (positive) or take away (negative; never below a balance of 0)', example: 1000 }),
    reason: z.string().trim().min(1).max(100).openapi({ example: '售后补偿' }),
    ref: z
      .string()
      .regex(/^[\w.:-]{1,100}$/, 'ref is 1–100 letters, digits or ._:-')
      .optional()
      .openapi({ description: 'idempotency: the same ref adjusts once; a repeat returns the first entry (200)' }),
  })
  .openapi('AdjustBalanceInput');
export type AdjustBalanceInput = z.infer<typeof AdjustBalanceInput>;

export const BalanceAdjustmentSchema = z
  .object({
    entry: WalletEntrySchema.extend({ userId: z.string() }),
    balance: z.number().int().openapi({ description: "the shopper's balance now, in fen" }),
    replayed: z.boolean(),
  })
  .openapi('BalanceAdjustment');

export const MemberLookupQuery = z.object({
  q: z
    .string()
    .trim()
    .min(4)
    .max(40)
    .openapi({ description: "a shopper's phone number (11 digits) or user id (usr_…)", example: '13700000001' }),
});

export const MemberAccountSchema = z
  .object({
    userId: z.string(),
    nickname: z.string(),
    phoneMasked: z.string().nullable(),
    points: z.number().int(),
    balance: z.number().int().openapi({ description: 'stored balance in fen' }),
    expiring: ExpiringSchema.nullable(),
  })
  .openapi('MemberAccount');
