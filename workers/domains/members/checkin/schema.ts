import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** One streak bonus (连签奖励): `points` extra on the `day`-th day of a streak (of a cycle). */
export interface StreakBonus {
  day: number;
  points: number;
}

/**
 * 签到规则: one row ('default'), written by staff. Rewards are decided from the rules in force at
 * the moment of a check-in and recorded on its row, so a later change never rewrites history.
 */
export const checkinSettings = sqliteTable('checkin_settings', {
  id: text('id').primaryKey(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull(),
  /** points for every check-in (normal or made up) */
  dailyPoints: integer('daily_points').notNull(),
  /** the bonus ladder repeats every `cycleDays` days of a streak (7 = a weekly ladder); null = it never repeats */
  cycleDays: integer('cycle_days'),
  bonuses: text('bonuses', { mode: 'json' }).$type<StreakBonus[]>().notNull(),
  /** a missed day may be made up (补签) this many days back, within the current month; 0 = no make-ups */
  makeupWindowDays: integer('makeup_window_days').notNull(),
  updatedAt: integer('updated_at').notNull(),
  updatedBy: text('updated_by').notNull(),
});

/**
 * A shopper's check-in of one Asia/Shanghai day. Unique (user, day): however many requests race,
 * a day is checked in once, and its points (`checkin:<userId>:<day>`) are granted with this row in
 * one batch.
 */
export const checkins = sqliteTable(
  'checkins',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    /** Beijing date, "2026-12-07" */
    day: text('day').notNull(),
    /** 'normal' (that day) or 'makeup' (补签, later, with a card) */
    kind: text('kind', { enum: ['normal', 'makeup'] }).notNull(),
    /** the streak this check-in reached when it was written */
    streak: integer('streak').notNull(),
    points: integer('points').notNull(),
    /** streak bonus granted with this check-in (0 = none) */
    bonusPoints: integer('bonus_points').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('checkins_user_day_uq').on(t.userId, t.day), index('checkins_day_idx').on(t.day)],
);

/**
 * 补签卡 held by shoppers: an append-only ledger like the points ledger. The balance is the sum of
 * a shopper's entries; `ref` is unique (a retried grant or use is written once) and a use is
 * guarded in SQL so the balance never goes below zero.
 */
export const makeupCardLedger = sqliteTable(
  'makeup_card_ledger',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    /** cards added (> 0) or used (< 0) */
    delta: integer('delta').notNull(),
    /** 'task_reward', 'admin', 'points_mall', 'makeup' … */
    reason: text('reason').notNull(),
    ref: text('ref').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('makeup_card_ledger_ref_uq').on(t.ref), index('makeup_card_ledger_user_idx').on(t.userId, t.createdAt)],
);
