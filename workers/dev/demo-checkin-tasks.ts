// 签到与任务 in the demo shop: the check-in rules, the task centre's tasks (with a coupon reward),
// and shoppers with check-in history so the calendar, the streak ladder and the console's chart
// show real numbers. Everything goes through the members and promotions services.
import type { Ctx, UserActor } from '../shared/context';
import { addDays, shanghaiDay, shanghaiDateStart } from '../shared/calendar';
import { batchFailure } from '../shared/db';
import { actorFromToken, revokeSession } from '../domains/auth/auth.service';
import { loginWithWechat } from '../domains/users/users.service';
import { promotionIdByName } from '../domains/promotions/names';
import { CreateCouponTemplateInput } from '../domains/promotions/coupons/dto';
import { createCouponTemplate } from '../domains/promotions/coupons/templates.service';
import { checkIn, checkedDaysSince, checkinRules, updateCheckinSettings } from '../domains/members/checkin/checkin.service';
import { grantMakeupCards } from '../domains/members/checkin/cards';
import { CreateTaskInput } from '../domains/members/tasks/dto';
import { createTask, listTaskConfigs } from '../domains/members/tasks/tasks.service';
import type { DemoShopper, ShopperKey } from './demo-shoppers';

const TASK_COUPON = '任务奖励 无门槛3元';
/** Generated shoppers who check in now and then, so the chart has a crowd. */
const CROWD = 12;
const HISTORY_DAYS = 14;

/** Seeds rules, tasks and check-in history; a re-run adds only what is missing (days since the last run). Returns what it created. */
export async function seedDemoCheckinTasks(ctx: Ctx, shoppers: Record<ShopperKey, DemoShopper>): Promise<number> {
  let created = 0;
  if ((await checkinRules(ctx)).updatedAt === null) {
    await updateCheckinSettings(ctx, {
      enabled: true,
      dailyPoints: 5,
      cycleDays: 7,
      bonuses: [
        { day: 3, points: 10 },
        { day: 7, points: 30 },
      ],
      makeupWindowDays: 7,
    });
    created++;
  }

  let couponId = await promotionIdByName(ctx, 'coupon_template', TASK_COUPON);
  if (!couponId) {
    couponId = (
      await createCouponTemplate(
        ctx,
        CreateCouponTemplateInput.parse({
          name: TASK_COUPON,
          kind: 'amount_off',
          threshold: 0,
          amountOff: 300,
          validDays: 15,
          totalQuantity: 100_000,
          channels: ['task'],
        }),
      )
    ).id;
    created++;
  }

  const existing = new Set((await listTaskConfigs(ctx)).items.map((t) => t.title));
  const tasks: unknown[] = [
    {
      title: '浏览商品15秒',
      kind: 'browse_product',
      period: 'daily',
      targetCount: 3,
      browseSeconds: 15,
      reward: { kind: 'points', points: 10 },
      sortOrder: 10,
    },
    {
      title: '分享好物给好友',
      kind: 'share_product',
      period: 'daily',
      targetCount: 1,
      reward: { kind: 'points', points: 5 },
      sortOrder: 20,
    },
    { title: '评价晒单', kind: 'write_review', period: 'daily', targetCount: 1, reward: { kind: 'points', points: 20 }, sortOrder: 30 },
    {
      title: '完成首单',
      kind: 'first_order',
      period: 'once',
      targetCount: 1,
      reward: { kind: 'coupon', couponTemplateId: couponId },
      sortOrder: 40,
    },
    {
      title: '完善个人资料',
      kind: 'complete_profile',
      period: 'once',
      targetCount: 1,
      reward: { kind: 'makeup_cards', cards: 1 },
      sortOrder: 50,
    },
    {
      title: '订阅消息提醒',
      kind: 'subscribe_messages',
      period: 'once',
      targetCount: 1,
      reward: { kind: 'points', points: 10 },
      sortOrder: 60,
    },
  ];
  for (const t of tasks) {
    const input = CreateTaskInput.parse(t);
    if (existing.has(input.title)) continue;
    await createTask(ctx, input);
    created++;
  }

  // History, relative to today: 林晓 has a 6-day streak (today's check-in pays the day-7 bonus),
  // 陈一鸣 missed a day this week and holds a make-up card, 王芳 checks in now and then.
  const today = shanghaiDay(ctx.now);
  const back = (n: number) => addDays(today, -n);
  const plans: { userId: string; days: string[] }[] = [
    { userId: shoppers.lin.userId, days: [1, 2, 3, 4, 5, 6, 9, 10, 12].map(back) },
    { userId: shoppers.chen.userId, days: [1, 3, 4, 5, 6, 7, 8].map(back) },
    { userId: shoppers.wang.userId, days: [2, 5, 11].map(back) },
  ];
  try {
    await ctx.env.DB.batch(grantMakeupCards(ctx, shoppers.chen.userId, 1, 'demo:chen-makeup', 'admin'));
    created++;
  } catch (e) {
    if (batchFailure(e) !== 'unique') throw e;
  }

  const sessions: string[] = [];
  for (let i = 0; i < CROWD; i++) {
    const login = await loginWithWechat(ctx, { code: `demo-checkin-${i}`, nickname: `签到达人${i + 1}` });
    sessions.push(((await actorFromToken(ctx, login.accessToken)) as UserActor).sessionId);
    // A deterministic pattern per shopper: some every day, some every other day, some lapsed.
    const days = Array.from({ length: HISTORY_DAYS }, (_, n) => n + 1).filter((n) => (n * (i + 3)) % (2 + (i % 4)) !== 0 || i % 3 === 0);
    plans.push({ userId: login.user.id, days: days.map(back) });
  }

  try {
    for (const p of plans) {
      const have = await checkedDaysSince(ctx, p.userId, back(HISTORY_DAYS));
      // Oldest first, so each day's streak and bonus are decided as they would have been.
      for (const day of [...p.days].sort()) {
        if (have.has(day)) continue;
        const at = shanghaiDateStart(day) + (8 + (created % 12)) * 3_600_000;
        await checkIn({ ...ctx, now: at, actor: { kind: 'user', userId: p.userId, sessionId: 'demo-seed' } });
        created++;
      }
    }
  } finally {
    for (const id of sessions) await revokeSession(ctx, id);
  }
  ctx.log.info('demo check-in and tasks seeded', { created });
  return created;
}
