import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, index, uniqueIndex, primaryKey, check } from 'drizzle-orm/sqlite-core';

/** What one side of a referral gets (邀请奖励 / 新人首单奖励), as configured by an operator. */
export type ReferralReward =
  | { type: 'none' }
  /** `points` fixed + `perYuan` for each whole yuan the first order kept (首单积分翻倍 = the base earn rate again). */
  | { type: 'points'; points: number; perYuan: number }
  /** one coupon of a template whose channels include 'referral' */
  | { type: 'coupon'; couponTemplateId: string }
  /** a cash rebate (返现) in fen to the stored balance (余额), which pays future orders */
  | { type: 'cash'; amount: number };

/** Why a referral earned nothing (无效). Fraud reasons block at reward time; the binding stays. */
export const REFERRAL_INVALID_REASONS = ['same_phone', 'same_device', 'same_address', 'daily_cap', 'refunded', 'revoked'] as const;
export type ReferralInvalidReason = (typeof REFERRAL_INVALID_REASONS)[number];

/**
 * Each shopper's invite code (邀请码): 8 characters from an alphabet without look-alikes
 * (no 0/O, 1/I/L), random — never derived from the user id, so codes cannot be enumerated.
 * Made on first use; unique.
 */
export const referralCodes = sqliteTable('referral_codes', {
  userId: text('user_id').primaryKey(),
  code: text('code').notNull().unique(),
  createdAt: integer('created_at').notNull(),
});

/** The programme (老带新) settings: one row, id 'default'. Absent = the programme is off. */
export const referralSettings = sqliteTable('referral_settings', {
  id: text('id').primaryKey(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(false),
  inviterReward: text('inviter_reward', { mode: 'json' }).$type<ReferralReward>().notNull(),
  inviteeReward: text('invitee_reward', { mode: 'json' }).$type<ReferralReward>().notNull(),
  /** Most rewarded invites per inviter per Beijing calendar day; the rest are 无效 (daily_cap). */
  dailyCap: integer('daily_cap').notNull(),
  /** The first order must keep at least this much paid (fen, after refunds) to count. */
  minOrderAmount: integer('min_order_amount').notNull().default(0),
  /** Share card title; {nickname} and {reward} are filled in. */
  shareTitle: text('share_title').notNull(),
  shareImageUrl: text('share_image_url'),
  /** Extra lines of rules (活动规则) the operator adds below the generated ones. */
  extraRules: text('extra_rules').notNull().default(''),
  updatedAt: integer('updated_at').notNull(),
  updatedBy: text('updated_by').notNull(),
});

/**
 * One invitee bound to one inviter, forever: `invitee_id` is unique, so a shopper is bound once
 * and never re-bound. `status` registered → rewarded (once the first order is final) or invalid
 * (blocked with `invalid_reason`, or clawed back). `decided_day` (Beijing) of a rewarded row is
 * what the per-inviter daily cap counts.
 */
export const referrals = sqliteTable(
  'referrals',
  {
    id: text('id').primaryKey(),
    inviterId: text('inviter_id').notNull(),
    inviteeId: text('invitee_id').notNull(),
    code: text('code').notNull(),
    /** 'login': bound by the sign-in that created the invitee; 'bind': by bindReferral just after. */
    via: text('via', { enum: ['login', 'bind'] }).notNull(),
    status: text('status', { enum: ['registered', 'rewarded', 'invalid'] })
      .notNull()
      .default('registered'),
    invalidReason: text('invalid_reason', { enum: REFERRAL_INVALID_REASONS }),
    boundAt: integer('bound_at').notNull(),
    /** The invitee's order that decided it (rewarded or blocked). */
    orderId: text('order_id'),
    decidedAt: integer('decided_at'),
    decidedDay: text('decided_day'),
    clawedBackAt: integer('clawed_back_at'),
    /** Staff note of a revocation, or the refund that clawed the rewards back. */
    clawbackNote: text('clawback_note'),
  },
  (t) => [
    uniqueIndex('referrals_invitee_uq').on(t.inviteeId),
    index('referrals_inviter_idx').on(t.inviterId, t.boundAt),
    index('referrals_inviter_day_idx').on(t.inviterId, t.decidedDay, t.status),
    index('referrals_day_idx').on(t.decidedDay),
    index('referrals_order_idx').on(t.orderId),
    check('referrals_not_self', sql`${t.inviterId} <> ${t.inviteeId}`),
  ],
);

/**
 * What a referral granted, one row per side: points, a coupon or cash. `ref`
 * (`referral:<inviteeId>:inviter|invitee`) is also the ledger / coupon grant key, so a grant is
 * written once. A clawback records what it took back and the shortfall it could not (already
 * spent: never below zero).
 */
export const referralRewards = sqliteTable(
  'referral_rewards',
  {
    id: text('id').primaryKey(),
    referralId: text('referral_id').notNull(),
    side: text('side', { enum: ['inviter', 'invitee'] }).notNull(),
    userId: text('user_id').notNull(),
    kind: text('kind', { enum: ['points', 'coupon', 'cash'] }).notNull(),
    /** points, or fen (cash; a coupon's face value) */
    amount: integer('amount').notNull(),
    couponId: text('coupon_id'),
    ref: text('ref').notNull(),
    createdAt: integer('created_at').notNull(),
    clawedBack: integer('clawed_back').notNull().default(0),
    shortfall: integer('shortfall').notNull().default(0),
    clawedBackAt: integer('clawed_back_at'),
  },
  (t) => [
    uniqueIndex('referral_rewards_ref_uq').on(t.ref),
    index('referral_rewards_user_idx').on(t.userId, t.createdAt),
    index('referral_rewards_referral_idx').on(t.referralId),
  ],
);

/**
 * Devices a shopper signed in from (a client-made install id, stored hashed): two accounts on
 * one device is the commonest self-invite, so a shared device blocks the reward.
 */
export const referralDevices = sqliteTable(
  'referral_devices',
  {
    userId: text('user_id').notNull(),
    deviceHash: text('device_hash').notNull(),
    firstSeenAt: integer('first_seen_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.deviceHash] }), index('referral_devices_hash_idx').on(t.deviceHash)],
);
