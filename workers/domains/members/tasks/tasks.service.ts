import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import { shanghaiDay } from '../../../shared/calendar';
import { type Ctx, shopperId } from '../../../shared/context';
import { batchFailure, iso, stmt } from '../../../shared/db';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import { issueCouponStatements } from '../../promotions/coupons/issue';
import { templateRow } from '../../promotions/coupons/templates.service';
import { couponLabel, type TemplateRow } from '../../promotions/coupons/views';
import { pointsEntryStatement } from '../points.service';
import { grantMakeupCards } from '../checkin/cards';
import type { ClaimTaskResultDto, CreateTaskInput, MyTaskDto, TaskConfigDto, TaskRewardDto, UpdateTaskInput } from './dto';
import { progressCount, progressGuard, recordTaskEvent, type ProgressKey } from './events.service';
import { profileComplete } from '../../users/users.service';
import { hasAcceptedSubscription } from '../../notifications/marketing/preferences.service';
import { taskClaims, tasks } from './schema';

type TaskRow = typeof tasks.$inferSelect;
type ClaimRow = typeof taskClaims.$inferSelect;

/** How long a product page must be viewed to count when staff set no time. */
export const DEFAULT_BROWSE_SECONDS = 15;
const ONCE = 'once';

const staffOnly = (ctx: Ctx) => {
  if (ctx.actor.kind !== 'staff') throw forbidden('this is for staff');
};

/** The period a claim of this task falls in now: today's Beijing date, or 'once'. */
const periodOf = (t: TaskRow, now: number) => (t.period === 'daily' ? shanghaiDay(now) : ONCE);

/**
 * One-off tasks whose progress lives in other domains count when the shopper looks at or claims
 * them, however they got there: 完善资料 once the profile is complete (own nickname, avatar,
 * birthday, bound phone — profile page or SMS sign-in), 订阅消息 once they allowed a subscribe
 * message. Checking here beats hooking every write that could complete them.
 */
async function noteOutsideProgress(ctx: Ctx, userId: string, rows: Pick<TaskRow, 'kind'>[]): Promise<void> {
  const kinds = new Set(rows.map((t) => t.kind));
  await Promise.all([
    kinds.has('complete_profile') &&
      profileComplete(ctx, userId).then((done) => done && recordTaskEvent(ctx, userId, 'complete_profile', 'profile')),
    kinds.has('subscribe_messages') &&
      hasAcceptedSubscription(ctx, userId).then((done) => done && recordTaskEvent(ctx, userId, 'subscribe_messages', 'subscribe')),
  ]);
}

const progressKey = (t: TaskRow, now: number): ProgressKey => ({
  kind: t.kind,
  day: t.period === 'daily' ? shanghaiDay(now) : null,
  minValue: t.kind === 'browse_product' ? (t.browseSeconds ?? DEFAULT_BROWSE_SECONDS) : null,
});

async function taskRow(ctx: Ctx, taskId: string): Promise<TaskRow> {
  const [row] = await ctx.db.select().from(tasks).where(eq(tasks.id, taskId)).limit(1);
  if (!row) throw notFound('members.task_not_found', `task ${taskId}`);
  return row;
}

/** Coupon templates a task list rewards with, by id (a template that vanished is simply absent). */
async function rewardTemplates(ctx: Ctx, rows: TaskRow[]): Promise<Map<string, TemplateRow>> {
  const ids = [...new Set(rows.flatMap((t) => (t.rewardCouponTemplateId ? [t.rewardCouponTemplateId] : [])))];
  const found = await Promise.all(ids.map((id) => templateRow(ctx, id).catch(() => null)));
  return new Map(found.flatMap((t) => (t ? [[t.id, t] as const] : [])));
}

function rewardOf(t: TaskRow, templates: Map<string, TemplateRow>): TaskRewardDto {
  const tpl = t.rewardCouponTemplateId ? templates.get(t.rewardCouponTemplateId) : undefined;
  const text =
    t.rewardKind === 'points'
      ? `${t.rewardPoints}积分`
      : t.rewardKind === 'makeup_cards'
        ? `补签卡×${t.rewardCards}`
        : tpl
          ? `${couponLabel(tpl)}券`
          : '优惠券';
  return {
    kind: t.rewardKind,
    points: t.rewardPoints,
    couponTemplateId: t.rewardCouponTemplateId,
    couponName: tpl?.name ?? null,
    cards: t.rewardCards,
    text,
  };
}

/** A coupon reward must come from an active template issued through the 'task' channel. */
async function checkCouponReward(ctx: Ctx, templateId: string | undefined) {
  if (!templateId) return;
  const t = await templateRow(ctx, templateId).catch((e: AppError) => {
    if (e.code === 'promotions.coupon_not_found')
      throw badRequest('members.task_coupon_invalid', `coupon template ${templateId} not found`, { path: 'reward.couponTemplateId' });
    throw e;
  });
  if (t.status !== 'active' || !t.channels.includes('task'))
    throw badRequest('members.task_coupon_invalid', `coupon template ${templateId} must be active and open to the 'task' channel`, {
      path: 'reward.couponTemplateId',
    });
}

const rewardColumns = (r: CreateTaskInput['reward']) => ({
  rewardKind: r.kind,
  rewardPoints: r.kind === 'points' ? r.points! : null,
  rewardCouponTemplateId: r.kind === 'coupon' ? r.couponTemplateId! : null,
  rewardCards: r.kind === 'makeup_cards' ? r.cards! : null,
});

async function claimCounts(ctx: Ctx, taskIds: string[]) {
  if (!taskIds.length) return new Map<string, { today: number; total: number }>();
  const today = shanghaiDay(ctx.now);
  const rows = await ctx.db
    .select({
      taskId: taskClaims.taskId,
      total: sql<number>`count(*)`,
      today: sql<number>`coalesce(sum(date(${taskClaims.createdAt} / 1000 + 8 * 3600, 'unixepoch') = ${today}), 0)`,
    })
    .from(taskClaims)
    .where(inArray(taskClaims.taskId, taskIds))
    .groupBy(taskClaims.taskId);
  return new Map(rows.map((r) => [r.taskId, { today: Number(r.today), total: Number(r.total) }]));
}

function configDto(t: TaskRow, templates: Map<string, TemplateRow>, counts?: { today: number; total: number }): TaskConfigDto {
  return {
    id: t.id,
    title: t.title,
    description: t.description,
    kind: t.kind,
    period: t.period,
    targetCount: t.targetCount,
    browseSeconds: t.kind === 'browse_product' ? (t.browseSeconds ?? DEFAULT_BROWSE_SECONDS) : null,
    reward: rewardOf(t, templates),
    enabled: t.enabled,
    sortOrder: t.sortOrder,
    claimedToday: counts?.today ?? 0,
    claimedTotal: counts?.total ?? 0,
    createdAt: iso(t.createdAt)!,
    updatedAt: iso(t.updatedAt)!,
  };
}

const byOrder = [asc(tasks.sortOrder), asc(tasks.createdAt), asc(tasks.id)];

/** listTaskConfigs (staff, members.read): every task, enabled or not, with today's and all-time claims. */
export async function listTaskConfigs(ctx: Ctx): Promise<{ items: TaskConfigDto[] }> {
  const rows = await ctx.db
    .select()
    .from(tasks)
    .orderBy(...byOrder)
    .limit(200);
  const [templates, counts] = await Promise.all([
    rewardTemplates(ctx, rows),
    claimCounts(
      ctx,
      rows.map((r) => r.id),
    ),
  ]);
  return { items: rows.map((t) => configDto(t, templates, counts.get(t.id))) };
}

/** createTask (staff, members.write). */
export async function createTask(ctx: Ctx, input: CreateTaskInput): Promise<TaskConfigDto> {
  staffOnly(ctx);
  await checkCouponReward(ctx, input.reward.couponTemplateId);
  const row: TaskRow = {
    id: newId('tsk'),
    title: input.title,
    description: input.description ?? null,
    kind: input.kind,
    period: input.period,
    targetCount: input.targetCount,
    browseSeconds: input.kind === 'browse_product' ? (input.browseSeconds ?? DEFAULT_BROWSE_SECONDS) : null,
    ...rewardColumns(input.reward),
    enabled: input.enabled,
    sortOrder: input.sortOrder,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  await ctx.db.insert(tasks).values(row);
  return configDto(row, await rewardTemplates(ctx, [row]));
}

/** updateTask (staff, members.write): kind and period stay (claims are keyed by the period); rewards paid keep what they paid. */
export async function updateTask(ctx: Ctx, taskId: string, input: UpdateTaskInput): Promise<TaskConfigDto> {
  staffOnly(ctx);
  const t = await taskRow(ctx, taskId);
  if (input.browseSeconds != null && t.kind !== 'browse_product')
    throw badRequest('validation.failed', 'only browse_product tasks have browseSeconds', {
      issues: [{ path: 'browseSeconds', message: 'not a browse task' }],
    });
  if (input.reward) await checkCouponReward(ctx, input.reward.couponTemplateId);
  const set: Partial<TaskRow> = { updatedAt: ctx.now };
  if (input.title !== undefined) set.title = input.title;
  if (input.description !== undefined) set.description = input.description;
  if (input.targetCount !== undefined) set.targetCount = input.targetCount;
  if (input.browseSeconds != null) set.browseSeconds = input.browseSeconds;
  if (input.reward) Object.assign(set, rewardColumns(input.reward));
  if (input.enabled !== undefined) set.enabled = input.enabled;
  if (input.sortOrder !== undefined) set.sortOrder = input.sortOrder;
  await ctx.db.update(tasks).set(set).where(eq(tasks.id, taskId));
  const row = await taskRow(ctx, taskId);
  const [templates, counts] = await Promise.all([rewardTemplates(ctx, [row]), claimCounts(ctx, [row.id])]);
  return configDto(row, templates, counts.get(row.id));
}

/** The shopper's claims of the current periods (today's daily ones and every one-off). */
async function claimsNow(ctx: Ctx, userId: string): Promise<Map<string, ClaimRow>> {
  const rows = await ctx.db
    .select()
    .from(taskClaims)
    .where(and(eq(taskClaims.userId, userId), or(eq(taskClaims.period, shanghaiDay(ctx.now)), eq(taskClaims.period, ONCE))));
  return new Map(rows.map((c) => [c.taskId, c]));
}

/**
 * listTasks (shopper): the enabled tasks with the shopper's progress and state — 进行中
 * (in_progress), 可领取 (claimable), 已领取 (claimed) — today for daily tasks, for ever for one-offs.
 */
export async function listMyTasks(ctx: Ctx): Promise<{ day: string; items: MyTaskDto[] }> {
  const userId = shopperId(ctx, 'this is for shoppers');
  const rows = await ctx.db
    .select()
    .from(tasks)
    .where(eq(tasks.enabled, true))
    .orderBy(...byOrder)
    .limit(100);
  await noteOutsideProgress(ctx, userId, rows);
  const [templates, claims, progress] = await Promise.all([
    rewardTemplates(ctx, rows),
    claimsNow(ctx, userId),
    Promise.all(rows.map((t) => progressCount(ctx, userId, progressKey(t, ctx.now)))),
  ]);
  const items = rows.map((t, i): MyTaskDto => {
    const claim = claims.get(t.id);
    const done = Math.min(progress[i]!, t.targetCount);
    return {
      id: t.id,
      title: t.title,
      description: t.description,
      kind: t.kind,
      period: t.period,
      target: t.targetCount,
      progress: claim ? t.targetCount : done,
      state: claim ? 'claimed' : done >= t.targetCount ? 'claimable' : 'in_progress',
      browseSeconds: t.kind === 'browse_product' ? (t.browseSeconds ?? DEFAULT_BROWSE_SECONDS) : null,
      reward: rewardOf(t, templates),
      claimedAt: iso(claim?.createdAt),
    };
  });
  return { day: shanghaiDay(ctx.now), items };
}

async function claimOf(ctx: Ctx, userId: string, taskId: string, period: string): Promise<ClaimRow | null> {
  const [row] = await ctx.db
    .select()
    .from(taskClaims)
    .where(and(eq(taskClaims.userId, userId), eq(taskClaims.taskId, taskId), eq(taskClaims.period, period)))
    .limit(1);
  return row ?? null;
}

async function claimResult(ctx: Ctx, t: TaskRow, c: ClaimRow, alreadyClaimed: boolean): Promise<ClaimTaskResultDto> {
  // The reward as paid (the task may have changed since): the claim row's own columns.
  const paid: TaskRow = {
    ...t,
    rewardKind: c.rewardKind,
    rewardPoints: c.points,
    rewardCouponTemplateId: c.couponTemplateId,
    rewardCards: c.cards,
  };
  return {
    taskId: t.id,
    period: c.period,
    alreadyClaimed,
    reward: { ...rewardOf(paid, await rewardTemplates(ctx, [paid])), couponId: c.couponId },
    claimedAt: iso(c.createdAt)!,
  };
}

/**
 * claimTaskReward (shopper): pays a finished task's reward once per period. In ONE batch: the claim
 * row (unique (user, task, period) — first, so a concurrent repeat fails before paying), a guard
 * that the progress is still complete, and the reward (points ref `task:<user>:<task>:<period>`,
 * a coupon with grant key `task:<task>:<period>`, or make-up cards). A repeat answers the first
 * claim with `alreadyClaimed` (`created` false).
 */
export async function claimTaskReward(ctx: Ctx, taskId: string): Promise<{ result: ClaimTaskResultDto; created: boolean }> {
  const userId = shopperId(ctx, 'this is for shoppers');
  const t = await taskRow(ctx, taskId);
  const period = periodOf(t, ctx.now);
  const prior = await claimOf(ctx, userId, taskId, period);
  if (prior) return { result: await claimResult(ctx, t, prior, true), created: false };
  if (!t.enabled) throw notFound('members.task_not_found', `task ${taskId}`);
  const key = progressKey(t, ctx.now);
  const notDone = (progress: number) =>
    conflict('members.task_not_complete', `the task is not finished yet (${progress}/${t.targetCount})`, {
      progress,
      target: t.targetCount,
    });
  await noteOutsideProgress(ctx, userId, [t]);
  const progress = await progressCount(ctx, userId, key);
  if (progress < t.targetCount) throw notDone(progress);

  const claim: ClaimRow = {
    id: newId('tcl'),
    userId,
    taskId,
    period,
    rewardKind: t.rewardKind,
    points: t.rewardPoints,
    couponTemplateId: t.rewardCouponTemplateId,
    couponId: null,
    cards: t.rewardCards,
    createdAt: ctx.now,
  };
  const ref = `task:${userId}:${taskId}:${period}`;
  const reward: D1PreparedStatement[] = [];
  if (t.rewardKind === 'points') reward.push(pointsEntryStatement(ctx, { userId, delta: t.rewardPoints!, reason: 'task', ref }));
  else if (t.rewardKind === 'makeup_cards') reward.push(...grantMakeupCards(ctx, userId, t.rewardCards!, ref, 'task_reward'));
  else {
    const tpl = await templateRow(ctx, t.rewardCouponTemplateId!);
    const issued = issueCouponStatements(ctx, tpl, {
      userId,
      channel: 'task',
      grantKey: `task:${taskId}:${period}`,
      enforcePerUserLimit: false,
    });
    claim.couponId = issued.couponId;
    reward.push(...issued.stmts);
  }
  try {
    await ctx.env.DB.batch([
      stmt(ctx.env.DB, ctx.db.insert(taskClaims).values(claim)),
      progressGuard(ctx, userId, key, t.targetCount),
      ...reward,
    ]);
  } catch (e) {
    const failure = batchFailure(e);
    if (failure === 'unique') {
      const first = await claimOf(ctx, userId, taskId, period);
      if (first) return { result: await claimResult(ctx, t, first, true), created: false };
    }
    if (failure === 'guard' || failure === 'check') {
      const now = await progressCount(ctx, userId, key);
      if (now < t.targetCount) throw notDone(now);
      throw conflict('members.task_reward_unavailable', 'this reward has run out; please try again later');
    }
    throw e;
  }
  ctx.log.info('task reward claimed', { userId, taskId, period, reward: t.rewardKind });
  return { result: await claimResult(ctx, t, claim, false), created: true };
}
