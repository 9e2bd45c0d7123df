import { z } from '@hono/zod-openapi';
import { pageQuery } from '../../../shared/pagination';
import { LAYERS } from './schema';

const isoTime = z.string().openapi({ description: 'ISO-8601 UTC' });
const id = z.string().min(4).max(40);

export const LayerEnum = z.enum(LAYERS).openapi({ description: 'new 新客 · active 活跃 · dormant 沉睡 · lost 流失' });

export const SegmentSettingsSchema = z
  .object({
    newDays: z
      .number()
      .int()
      .min(1)
      .max(365)
      .openapi({ description: '新客: registered within this many days with at most one order', example: 30 }),
    dormantDays: z.number().int().min(1).max(730).openapi({ description: '沉睡: no order for this many days', example: 60 }),
    lostDays: z
      .number()
      .int()
      .min(2)
      .max(1095)
      .openapi({ description: '流失: no order for this many days (more than dormantDays)', example: 180 }),
    winBack: z.object({
      enabled: z.boolean(),
      templateIds: z
        .array(id)
        .max(5)
        .openapi({ description: 'coupon templates of the pack (their channels must include 定向发放 segment)' }),
      cooldownDays: z
        .number()
        .int()
        .min(1)
        .max(365)
        .openapi({ description: 'a shopper gets another pack only this many days after the last one', example: 90 }),
      returnDays: z
        .number()
        .int()
        .min(1)
        .max(180)
        .openapi({ description: 'returned = paid an order within this many days of the pack', example: 30 }),
    }),
    updatedAt: isoTime.nullable(),
  })
  .openapi('SegmentSettings');
export type SegmentSettingsDto = z.infer<typeof SegmentSettingsSchema>;

export const UpdateSegmentSettingsInput = SegmentSettingsSchema.omit({ updatedAt: true })
  .refine((s) => s.lostDays > s.dormantDays, { message: 'lostDays must be more than dormantDays', path: ['lostDays'] })
  .refine((s) => !s.winBack.enabled || s.winBack.templateIds.length > 0, {
    message: 'an enabled pack needs at least one coupon template',
    path: ['winBack', 'templateIds'],
  })
  .openapi('UpdateSegmentSettingsInput');
export type UpdateSegmentSettingsInput = z.infer<typeof UpdateSegmentSettingsInput>;

const fen = z.number().int().min(0).max(1_000_000_000);
const count = z.number().int().min(0).max(1_000_000);

export const SegmentRulesSchema = z
  .object({
    layers: z.array(LayerEnum).min(1).max(4).optional(),
    tierIds: z.array(id).min(1).max(20).optional().openapi({ description: 'member tiers (会员等级): any of' }),
    minSpend: fen.optional().openapi({ description: 'total spend at least (fen, paid less refunded)' }),
    maxSpend: fen.optional(),
    minOrders: count.optional().openapi({ description: 'paid purchases at least' }),
    maxOrders: count.optional(),
    lastOrderBefore: isoTime.datetime({ offset: true }).optional().openapi({ description: 'last order before this instant' }),
    lastOrderAfter: isoTime.datetime({ offset: true }).optional().openapi({ description: 'last order at or after this instant' }),
    cities: z
      .array(z.string().trim().min(1).max(30))
      .min(1)
      .max(50)
      .optional()
      .openapi({ description: 'city of the default address: any of' }),
    tagIds: z.array(id).min(1).max(20).optional().openapi({ description: 'has any of these tags' }),
  })
  .strict()
  .refine((r) => r.minSpend === undefined || r.maxSpend === undefined || r.minSpend <= r.maxSpend, {
    message: 'minSpend is more than maxSpend',
    path: ['minSpend'],
  })
  .refine((r) => r.minOrders === undefined || r.maxOrders === undefined || r.minOrders <= r.maxOrders, {
    message: 'minOrders is more than maxOrders',
    path: ['minOrders'],
  })
  .openapi('SegmentRules', { description: 'every given condition must hold; an empty object is every shopper' });
export type SegmentRulesInput = z.infer<typeof SegmentRulesSchema>;

export const CreateSegmentInput = z
  .object({
    name: z.string().trim().min(1).max(40).openapi({ example: '杭州高消费客户' }),
    description: z.string().trim().max(200).default(''),
    rules: SegmentRulesSchema,
  })
  .openapi('CreateMemberSegmentInput');
export const UpdateSegmentInput = CreateSegmentInput.partial().openapi('UpdateMemberSegmentInput');

export const SegmentTrendPoint = z.object({ day: z.string().openapi({ example: '2026-11-11' }), size: z.number().int() });

export const MemberSegmentSchema = z
  .object({
    id: z.string().openapi({ description: "'layer:new' … 'layer:lost' for the four layers, 'seg_…' for operator segments" }),
    kind: z.enum(['layer', 'custom']),
    name: z.string(),
    description: z.string(),
    rules: SegmentRulesSchema,
    size: z.number().int().openapi({ description: 'shoppers in it now (as of the last nightly run)' }),
    trend: z.array(SegmentTrendPoint).openapi({ description: 'size per Beijing day with a run, oldest first (last 90 days)' }),
    createdAt: isoTime.nullable(),
  })
  .openapi('MemberSegment');
export type MemberSegmentDto = z.infer<typeof MemberSegmentSchema>;

export const SegmentListSchema = z
  .object({
    items: z.array(MemberSegmentSchema),
    lastRun: z
      .object({
        day: z.string(),
        phase: z.string(),
        processed: z.number().int(),
        changes: z.number().int(),
        finishedAt: isoTime.nullable(),
      })
      .nullable()
      .openapi({ description: 'the latest nightly run' }),
  })
  .openapi('MemberSegmentList');

export const SegmentMemberSchema = z
  .object({
    userId: z.string(),
    nickname: z.string(),
    layer: LayerEnum,
    layerSince: isoTime,
    orderCount: z.number().int(),
    spend: z.number().int().openapi({ description: 'fen' }),
    lastOrderAt: isoTime.nullable(),
    registeredAt: isoTime,
    city: z.string().nullable(),
    tierId: z.string().nullable(),
    tags: z.array(z.object({ id: z.string(), name: z.string() })),
  })
  .openapi('SegmentMember');
export type SegmentMemberDto = z.infer<typeof SegmentMemberSchema>;

export const SegmentPreviewSchema = z
  .object({
    size: z.number().int(),
    sample: z.array(SegmentMemberSchema).openapi({ description: 'up to 10 shoppers, biggest spenders first' }),
  })
  .openapi('SegmentPreview');

export const SegmentMembersPage = z
  .object({ items: z.array(SegmentMemberSchema), nextCursor: z.string().nullable() })
  .openapi('SegmentMembersPage');

export const SegmentMembersQuery = z.object({ ...pageQuery });
export const SegmentIdParam = z.object({
  segmentId: z
    .string()
    .regex(/^(layer:(new|active|dormant|lost)|seg_[A-Za-z0-9]{4,40})$/, "a segment id: 'layer:<layer>' or 'seg_…'")
    .openapi({ param: { name: 'segmentId', in: 'path' }, example: 'layer:dormant' }),
});
export const CustomSegmentIdParam = z.object({
  segmentId: z
    .string()
    .regex(/^seg_[A-Za-z0-9]{4,40}$/, "an operator segment id 'seg_…'")
    .openapi({ param: { name: 'segmentId', in: 'path' } }),
});

export const MemberTagSchema = z
  .object({ id: z.string(), name: z.string(), members: z.number().int(), createdAt: isoTime })
  .openapi('MemberTag');
export const MemberTagListSchema = z.object({ items: z.array(MemberTagSchema) }).openapi('MemberTagList');
export const CreateTagInput = z
  .object({ name: z.string().trim().min(1).max(20).openapi({ example: '高复购' }) })
  .openapi('CreateMemberTagInput');
export const TagUserInput = z
  .object({ userIds: z.array(id).min(1).max(100).openapi({ description: 'shoppers to tag (unknown ids are skipped)' }) })
  .openapi('TagMembersInput');
export const TagUserResult = z
  .object({ tagged: z.number().int().openapi({ description: 'shoppers newly tagged' }), skipped: z.number().int() })
  .openapi('TagMembersResult');
export const TagIdParam = z.object({
  tagId: z
    .string()
    .regex(/^tag_[A-Za-z0-9]{4,40}$/)
    .openapi({ param: { name: 'tagId', in: 'path' } }),
});
export const TagUserParam = TagIdParam.extend({ userId: id.openapi({ param: { name: 'userId', in: 'path' } }) });

export const SegmentRunSchema = z
  .object({
    day: z.string(),
    phase: z.string(),
    processed: z.number().int().openapi({ description: 'shoppers classified so far' }),
    steps: z.number().int().openapi({ description: 'steps this call did' }),
    done: z.boolean().openapi({ description: 'false: the cron finishes the rest within minutes' }),
  })
  .openapi('SegmentRun');

export const WinBackWeekSchema = z
  .object({
    week: z.string().openapi({ description: 'Beijing date of the Monday the week starts on', example: '2026-11-09' }),
    packsIssued: z.number().int().openapi({ description: 'shoppers who got the pack that week' }),
    couponsIssued: z.number().int(),
    couponsUsed: z.number().int().openapi({ description: 'pack coupons used on a paid order' }),
    returned: z.number().int().openapi({ description: 'of those shoppers, how many paid an order within returnDays of the pack' }),
    returnRate: z.number().openapi({ description: 'returned ÷ packsIssued (0–1)' }),
    gmv: z.number().int().openapi({ description: 'fen paid (less refunds) by returned shoppers within returnDays' }),
    cost: z.number().int().openapi({ description: 'fen of pack coupon discounts on those orders' }),
  })
  .openapi('WinBackWeek');

export const WinBackReportSchema = z
  .object({
    returnDays: z.number().int(),
    totals: WinBackWeekSchema.omit({ week: true }),
    weeks: z.array(WinBackWeekSchema).openapi({ description: 'oldest first' }),
    recent: z
      .array(
        z.object({
          userId: z.string(),
          nickname: z.string(),
          issuedAt: isoTime,
          couponsUsed: z.number().int(),
          returnedAt: isoTime.nullable(),
          gmv: z.number().int(),
        }),
      )
      .openapi({ description: 'the latest 20 packs and what became of them' }),
    messages: z
      .object({
        pending: z.number().int().openapi({ description: 'waiting: quiet hours, the queue, sending' }),
        sent: z.number().int(),
        failed: z.number().int(),
        skipped: z.number().int().openapi({ description: 'not sent: opted out, no channel or template, over the frequency cap' }),
      })
      .openapi({
        description: 'the pack notices handed to the messages feature',
      }),
  })
  .openapi('WinBackReport');
export type WinBackReportDto = z.infer<typeof WinBackReportSchema>;

export const WinBackReportQuery = z.object({
  weeks: z.coerce.number().int().min(1).max(52).default(12).openapi({ description: 'how many weeks back (default 12)' }),
});

export const MyWinBackSchema = z
  .object({
    active: z.boolean().openapi({ description: 'true while the shopper holds an unused, unexpired pack coupon: show 欢迎回来' }),
    coupons: z.array(z.object({ couponId: z.string(), name: z.string(), validTo: isoTime })),
  })
  .openapi('MyWinBack');
