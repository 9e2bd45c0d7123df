import { z } from '@hono/zod-openapi';
import { TASK_KINDS, TASK_PERIODS, TASK_REWARD_KINDS } from './schema';

const id = z.string().min(4).max(40);

export const TaskKind = z.enum(TASK_KINDS).openapi({
  description:
    'browse_product 浏览商品 · share_product 分享商品 · write_review 评价晒单 · complete_profile 完善资料 · first_order 完成首单 · subscribe_messages 订阅消息',
});
export const TaskPeriod = z
  .enum(TASK_PERIODS)
  .openapi({ description: 'daily 每日任务 (afresh each Beijing day) · once 新手任务 (once ever)' });
export const TaskRewardKind = z.enum(TASK_REWARD_KINDS).openapi({ description: 'points 积分 · coupon 优惠券 · makeup_cards 补签卡' });

const RewardInput = z
  .object({
    kind: TaskRewardKind,
    points: z.number().int().min(1).max(100_000).optional().openapi({ description: 'kind points' }),
    couponTemplateId: id.optional().openapi({ description: "kind coupon: an active template whose channels include 'task'" }),
    cards: z.number().int().min(1).max(10).optional().openapi({ description: 'kind makeup_cards' }),
  })
  .superRefine((v, ctx) => {
    const need = [
      ['points', 'points'],
      ['coupon', 'couponTemplateId'],
      ['makeup_cards', 'cards'],
    ] as const;
    for (const [kind, field] of need) {
      const has = v[field] !== undefined;
      if (kind === v.kind && !has) ctx.addIssue({ code: 'custom', path: [field], message: `a ${kind} reward needs ${field}` });
      if (kind !== v.kind && has) ctx.addIssue({ code: 'custom', path: [field], message: `${field} belongs to a ${kind} reward` });
    }
  })
  .openapi('TaskRewardInput');

/** Kinds that happen once in a shopper's life: a daily version would never progress again. */
const ONCE_ONLY: readonly string[] = ['complete_profile', 'first_order'];

const taskFields = {
  title: z.string().trim().min(1).max(40).openapi({ example: '浏览商品15秒' }),
  description: z.string().trim().max(200).nullable().optional(),
  targetCount: z.number().int().min(1).max(100).openapi({ description: 'events needed, e.g. browse 3 products', example: 1 }),
  browseSeconds: z
    .number()
    .int()
    .min(3)
    .max(600)
    .nullable()
    .optional()
    .openapi({ description: 'browse_product: seconds a product page must be viewed (default 15)' }),
  reward: RewardInput,
  enabled: z.boolean().default(true),
  sortOrder: z.number().int().min(0).max(10_000).default(0),
};

export const CreateTaskInput = z
  .object({ ...taskFields, kind: TaskKind, period: TaskPeriod })
  .superRefine((v, ctx) => {
    if (v.period === 'daily' && ONCE_ONLY.includes(v.kind))
      ctx.addIssue({ code: 'custom', path: ['period'], message: `${v.kind} can only be a once (新手) task` });
    if (v.browseSeconds != null && v.kind !== 'browse_product')
      ctx.addIssue({ code: 'custom', path: ['browseSeconds'], message: 'only browse_product tasks have browseSeconds' });
  })
  .openapi('CreateTaskInput');
export type CreateTaskInput = z.infer<typeof CreateTaskInput>;

export const UpdateTaskInput = z
  .object({
    title: taskFields.title.optional(),
    description: taskFields.description,
    targetCount: taskFields.targetCount.optional(),
    browseSeconds: taskFields.browseSeconds,
    reward: RewardInput.optional(),
    enabled: z.boolean().optional(),
    sortOrder: z.number().int().min(0).max(10_000).optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'change at least one field')
  .openapi('UpdateTaskInput');
export type UpdateTaskInput = z.infer<typeof UpdateTaskInput>;

const RewardSchema = z
  .object({
    kind: TaskRewardKind,
    points: z.number().int().nullable(),
    couponTemplateId: z.string().nullable(),
    couponName: z.string().nullable().openapi({ description: 'the coupon template name' }),
    cards: z.number().int().nullable(),
    text: z.string().openapi({ description: 'the reward in words, e.g. "20积分", "满99减10券", "补签卡×1"' }),
  })
  .openapi('TaskReward');
export type TaskRewardDto = z.infer<typeof RewardSchema>;

export const TaskConfigSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    kind: TaskKind,
    period: TaskPeriod,
    targetCount: z.number().int(),
    browseSeconds: z.number().int().nullable(),
    reward: RewardSchema,
    enabled: z.boolean(),
    sortOrder: z.number().int(),
    claimedToday: z.number().int().openapi({ description: 'rewards paid today (Beijing day)' }),
    claimedTotal: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('TaskConfig');
export type TaskConfigDto = z.infer<typeof TaskConfigSchema>;

export const TaskConfigListSchema = z.object({ items: z.array(TaskConfigSchema) }).openapi('TaskConfigList');

export const TASK_STATES = ['in_progress', 'claimable', 'claimed'] as const;

export const MyTaskSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    kind: TaskKind,
    period: TaskPeriod,
    target: z.number().int(),
    progress: z.number().int().openapi({ description: 'events counted, at most target' }),
    state: z.enum(TASK_STATES).openapi({ description: 'in_progress 进行中 · claimable 可领取 · claimed 已领取 (today, or for ever)' }),
    browseSeconds: z.number().int().nullable(),
    reward: RewardSchema,
    claimedAt: z.string().nullable(),
  })
  .openapi('MyTask');
export type MyTaskDto = z.infer<typeof MyTaskSchema>;

export const MyTaskListSchema = z
  .object({ day: z.string().openapi({ description: 'the Beijing day daily tasks count' }), items: z.array(MyTaskSchema) })
  .openapi('MyTaskList');

export const ClaimTaskResultSchema = z
  .object({
    taskId: z.string(),
    period: z.string().openapi({ description: "the Beijing day for a daily task, 'once' for a one-off" }),
    alreadyClaimed: z.boolean().openapi({ description: 'true: paid before; this is the first claim, nothing paid now' }),
    reward: RewardSchema.extend({ couponId: z.string().nullable().openapi({ description: 'the coupon issued' }) }),
    claimedAt: z.string(),
  })
  .openapi('ClaimTaskResult');
export type ClaimTaskResultDto = z.infer<typeof ClaimTaskResultSchema>;

export const ReportTaskEventInput = z
  .object({
    kind: z.enum(['browse_product', 'share_product']).openapi({ description: 'what the shopper did on a product page' }),
    productId: id,
    seconds: z
      .number()
      .int()
      .min(1)
      .max(3600)
      .optional()
      .openapi({ description: 'browse_product: seconds the page has been viewed so far' }),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'browse_product' && v.seconds === undefined)
      ctx.addIssue({ code: 'custom', path: ['seconds'], message: 'browse_product needs seconds' });
    if (v.kind === 'share_product' && v.seconds !== undefined)
      ctx.addIssue({ code: 'custom', path: ['seconds'], message: 'share_product takes no seconds' });
  })
  .openapi('ReportTaskEventInput');
export type ReportTaskEventInput = z.infer<typeof ReportTaskEventInput>;

export const TaskEventResultSchema = z
  .object({
    kind: z.enum(['browse_product', 'share_product']),
    productId: z.string(),
    day: z.string(),
    duplicate: z.boolean().openapi({ description: 'this product was already counted today (a browse keeps its longest time)' }),
    seconds: z.number().int().nullable().openapi({ description: 'browse: the longest time recorded for this product today' }),
  })
  .openapi('TaskEventResult');
