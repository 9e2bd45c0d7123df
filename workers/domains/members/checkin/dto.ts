import { z } from '@hono/zod-openapi';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .openapi({ example: '2026-12-07', description: 'Asia/Shanghai calendar day' });

const StreakBonusSchema = z
  .object({
    day: z.number().int().min(1).max(365).openapi({ description: 'the streak day (of the cycle) that earns it', example: 7 }),
    points: z.number().int().min(1).max(100_000).openapi({ example: 20 }),
  })
  .openapi('StreakBonus');

export const CheckinRulesSchema = z
  .object({
    enabled: z.boolean().openapi({ description: 'off: checkIn answers 409 members.checkin_disabled' }),
    dailyPoints: z.number().int().min(0).max(100_000).openapi({ description: 'points for every check-in', example: 5 }),
    cycleDays: z.number().int().min(2).max(31).nullable().openapi({
      description: 'the bonus ladder repeats every this many streak days (7 = weekly); null = no cycle, bonuses at streak milestones',
      example: 7,
    }),
    bonuses: z.array(StreakBonusSchema).max(20).openapi({ description: 'streak bonuses (连签奖励), e.g. day 3 +5, day 7 +20' }),
    makeupWindowDays: z.number().int().min(0).max(31).openapi({
      description: 'a missed day of the current month may be made up (补签, one card) this many days back; 0 = no make-ups',
      example: 7,
    }),
  })
  .openapi('CheckinRules');

export const UpdateCheckinRulesInput = CheckinRulesSchema.superRefine((v, ctx) => {
  const days = v.bonuses.map((b) => b.day);
  if (new Set(days).size !== days.length) ctx.addIssue({ code: 'custom', path: ['bonuses'], message: 'two bonuses for the same day' });
  if (v.cycleDays !== null)
    v.bonuses.forEach((b, i) => {
      if (b.day > v.cycleDays!)
        ctx.addIssue({ code: 'custom', path: ['bonuses', i, 'day'], message: `day ${b.day} is past the ${v.cycleDays}-day cycle` });
    });
}).openapi('UpdateCheckinRulesInput');
export type UpdateCheckinRulesInput = z.infer<typeof UpdateCheckinRulesInput>;

export const CheckinSettingsSchema = CheckinRulesSchema.extend({
  updatedAt: z.string().nullable().openapi({ description: 'ISO-8601; null while the defaults apply' }),
}).openapi('CheckinSettings');

const NextBonusSchema = z
  .object({
    streakDay: z.number().int().openapi({ description: 'the ladder day that pays it' }),
    points: z.number().int(),
    inDays: z.number().int().openapi({ description: 'check-ins from now (1 = the next one)' }),
  })
  .nullable()
  .openapi('NextCheckinBonus');

export const CheckinResultSchema = z
  .object({
    day,
    kind: z.enum(['normal', 'makeup']).openapi({ description: 'normal = on the day; makeup = 补签 with a card' }),
    alreadyCheckedIn: z
      .boolean()
      .openapi({ description: 'true: this day was already checked in; nothing was granted now, this is the first result' }),
    points: z.number().int().openapi({ description: 'daily points granted for the day' }),
    bonusPoints: z.number().int().openapi({ description: 'streak bonus granted with it (0 = none)' }),
    streak: z.number().int().openapi({ description: 'the streak (连续签到天数) this check-in reached' }),
    currentStreak: z.number().int().openapi({ description: 'the streak held now' }),
    nextBonus: NextBonusSchema,
    pointsBalance: z.number().int(),
    makeupCards: z.number().int().openapi({ description: '补签卡 held now' }),
    checkedInAt: z.string().openapi({ description: 'ISO-8601 UTC' }),
  })
  .openapi('CheckinResult');
export type CheckinResultDto = z.infer<typeof CheckinResultSchema>;

export const MakeupCheckinInput = z.object({ day }).openapi('MakeupCheckinInput');

export const CalendarQuery = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM')
    .optional()
    .openapi({ description: 'Asia/Shanghai month; default the current one', example: '2026-12' }),
});

export const CALENDAR_DAY_STATUSES = ['checked', 'made_up', 'missed', 'today', 'upcoming', 'none'] as const;

export const CheckinCalendarSchema = z
  .object({
    month: z.string(),
    today: day,
    enabled: z.boolean(),
    checkedInToday: z.boolean(),
    currentStreak: z.number().int(),
    days: z.array(
      z.object({
        day,
        status: z.enum(CALENDAR_DAY_STATUSES).openapi({
          description: 'checked 已签 · made_up 已补签 · missed 漏签 · today 今天未签 · upcoming 未到 · none 注册前',
        }),
        points: z.number().int().openapi({ description: 'points granted for the day (daily + bonus)' }),
        canMakeUp: z.boolean().openapi({ description: 'a missed day inside the make-up window (a card is still needed)' }),
      }),
    ),
    todayReward: z.object({
      points: z.number().int(),
      bonusPoints: z.number().int().openapi({ description: "today's streak bonus (granted, or what checking in now would grant)" }),
    }),
    nextBonus: NextBonusSchema,
    ladder: z
      .array(z.object({ streakDay: z.number().int(), points: z.number().int(), bonusPoints: z.number().int(), reached: z.boolean() }))
      .openapi({ description: 'the bonus ladder: one step per streak day of the cycle (or up to the last bonus)' }),
    makeupCards: z.number().int(),
    makeupWindowDays: z.number().int(),
    rules: CheckinRulesSchema,
  })
  .openapi('CheckinCalendar');
export type CheckinCalendarDto = z.infer<typeof CheckinCalendarSchema>;

export const CheckinStatsQuery = z.object({
  days: z.coerce.number().int().min(1).max(90).default(30).openapi({ description: 'how many Beijing days back, today included' }),
});

export const CheckinStatsSchema = z
  .object({
    days: z.array(
      z.object({
        day,
        checkins: z.number().int().openapi({ description: 'shoppers who checked in that day (make-ups included)' }),
        makeups: z.number().int().openapi({ description: 'of which made up later with a card' }),
        points: z.number().int().openapi({ description: 'points granted for the day' }),
      }),
    ),
  })
  .openapi('CheckinStats');

export const GrantMakeupCardsInput = z
  .object({
    count: z.number().int().min(1).max(100),
    reason: z.string().trim().min(1).max(100).openapi({ example: '客服补偿' }),
    ref: z
      .string()
      .regex(/^[\w.:-]{1,100}$/, 'ref is 1–100 letters, digits or ._:-')
      .optional()
      .openapi({ description: 'idempotency: the same ref grants once; omit for a one-off grant' }),
  })
  .openapi('GrantMakeupCardsInput');

export const MakeupCardGrantSchema = z
  .object({
    userId: z.string(),
    granted: z.number().int(),
    makeupCards: z.number().int().openapi({ description: 'cards the shopper holds now' }),
    replayed: z.boolean().openapi({ description: 'true when this ref was already granted: nothing changed' }),
  })
  .openapi('MakeupCardGrant');
