// The demo's 老带新: the programme configured, and 林晓 (13700000001) with invited friends in every
// state — two rewarded (their first orders paid, shipped, received and past the after-sales
// window, settled, so the final-order hook granted the rewards), one blocked for shipping to her
// address, one blocked for signing up on her phone (same device), one who ordered (已下单) and one
// only registered. Every step goes through the real services and flows; friends are sandbox
// WeChat shoppers with fixed codes, so a re-run finds them and only finishes what is missing.
import type { Ctx, UserActor } from '../shared/context';
import { AppError } from '../shared/errors';
import { actorFromToken, revokeSession } from '../domains/auth/auth.service';
import { loginWithWechat } from '../domains/users/users.service';
import { createAddress, listAddresses } from '../domains/addresses/addresses.service';
import { CreateAddressInput } from '../domains/addresses/dto';
import { confirmReceipt, getOrderRow, usersWithOrders } from '../domains/orders/orders.service';
import { CreateOrderInput } from '../domains/orders/dto';
import { bindInvitee, recordDevice, referralOfInvitee } from '../domains/members/referrals/referrals.service';
import { inviteCodeOf } from '../domains/members/referrals/codes';
import { referralProgramme, saveReferralProgramme } from '../domains/members/referrals/settings';
import { ReferralSettingsInput } from '../domains/members/referrals/dto';
import { createOrder } from '../flows/checkout';
import { shipOrder } from '../flows/fulfilment';
import { settleOrder } from '../flows/settlement';
import { afterOrderFinal } from '../flows/order-final';
import { DEMO_SHOPPERS, type DemoShopper } from './demo-shoppers';
import type { NotificationDeliver } from './wechatpay-sandbox';
import { payInSandbox } from './demo-payments';
import { backdateOrder } from './backdate';
import { demoSku, needStock } from './demo-catalog';
import { PLATFORM_MERCHANT } from './demo-seed-data';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PRODUCT = '304不锈钢筷子 防滑防霉 10双装';
/** 林晓's phone: the friends who "share" it signed up on it. */
const INVITER_DEVICE = 'demo-device-lin-iphone';

type Stage = 'registered' | 'ordered' | 'final';
interface Friend {
  code: string;
  nickname: string;
  stage: Stage;
  /** her own address (default) or 林晓's, which blocks the reward */
  address: 'own' | 'inviter';
  device?: string;
}

const FRIENDS: Friend[] = [
  { code: 'demo-referral-zhou', nickname: '周小满', stage: 'final', address: 'own' },
  { code: 'demo-referral-jie', nickname: '阿杰', stage: 'final', address: 'own' },
  { code: 'demo-referral-mei', nickname: '美美', stage: 'final', address: 'inviter' },
  { code: 'demo-referral-lao', nickname: '老陈', stage: 'registered', address: 'own', device: INVITER_DEVICE },
  { code: 'demo-referral-fan', nickname: '张小凡', stage: 'ordered', address: 'own' },
  { code: 'demo-referral-yu', nickname: '余乐', stage: 'registered', address: 'own' },
];

const OWN_ADDRESS = (nickname: string, i: number) => ({
  name: nickname,
  phone: `1360000010${i}`,
  province: '江苏省',
  city: '南京市',
  district: '鼓楼区',
  detail: `中山北路 ${200 + i} 号 ${i + 1} 单元 ${301 + i} 室`,
});

/** The programme as a shop would run it, unless an operator configured it already. */
async function ensureProgramme(ctx: Ctx): Promise<boolean> {
  if ((await referralProgramme(ctx)).updatedAt !== null) return false;
  await saveReferralProgramme(
    ctx,
    ReferralSettingsInput.parse({
      enabled: true,
      inviterReward: { type: 'points', points: 200, perYuan: 0 },
      inviteeReward: { type: 'points', points: 0, perYuan: 1 },
      dailyCap: 10,
      minOrderAmount: 0,
      shareTitle: '{nickname}送你{reward}，快来一起逛',
      extraRules: '活动最终解释权归本店所有。',
    }),
  );
  return true;
}

/** Seeds the referral demo around 林晓; returns how many friends this call bound. Runs as the admin (ctx). */
export async function seedDemoReferrals(ctx: Ctx, lin: DemoShopper, deliver: NotificationDeliver): Promise<number> {
  await ensureProgramme(ctx);
  await recordDevice(ctx, lin.userId, INVITER_DEVICE);
  const code = await inviteCodeOf(ctx, lin.userId);
  let bound = 0;
  const sessions: string[] = [];
  try {
    for (const [i, f] of FRIENDS.entries()) {
      const login = await loginWithWechat(ctx, { code: f.code, nickname: f.nickname });
      const actor = (await actorFromToken(ctx, login.accessToken)) as UserActor;
      sessions.push(actor.sessionId);
      const me: Ctx = { ...ctx, actor };
      const userId = actor.userId;
      await recordDevice(ctx, userId, f.device ?? `demo-device-${f.code}`);
      if (!(await referralOfInvitee(ctx, userId))) {
        await bindInvitee(ctx, { inviteeId: userId, code, via: 'login' });
        bound++;
      }
      if (f.stage === 'registered') continue;

      const book = await listAddresses(me, userId);
      const addressId =
        book[0]?.id ??
        (
          await createAddress(
            me,
            userId,
            CreateAddressInput.parse({
              ...(f.address === 'inviter'
                ? { ...DEMO_SHOPPERS.lin.address, name: f.nickname, phone: '13600000199' }
                : OWN_ADDRESS(f.nickname, i)),
              isDefault: true,
            }),
          )
        ).id;
      if (!(await usersWithOrders(ctx, [userId])).has(userId)) await firstOrder(ctx, me, addressId, f, deliver);
    }
  } finally {
    for (const id of sessions) await revokeSession(ctx, id);
  }
  return bound;
}

/** The friend's first order: paid; for `final`, also shipped, received, moved past the window, settled. */
async function firstOrder(ctx: Ctx, me: Ctx, addressId: string, f: Friend, deliver: NotificationDeliver): Promise<void> {
  const p = await demoSku(ctx, PLATFORM_MERCHANT, PRODUCT);
  needStock(p, 1);
  const created = await createOrder(
    me,
    CreateOrderInput.parse({ items: [{ skuId: p.sku.id, quantity: 1 }], addressId }),
    `demo-seed:referral:${f.code}`,
  );
  const orderId = created.orders[0]!.id;
  await payInSandbox(me, orderId, deliver);
  if (f.stage !== 'final') return;
  const t0 = Math.max(ctx.now, Date.now());
  const digits = [...crypto.getRandomValues(new Uint8Array(12))].map((b) => b % 10).join('');
  await shipOrder({ ...ctx, now: t0 + 3 * HOUR }, orderId, { carrierCode: 'SF', trackingNo: `SF${digits}` });
  await confirmReceipt({ ...me, now: t0 + 40 * HOUR }, orderId);
  // Received three weeks ago: the after-sales window (15 days) has closed.
  await backdateOrder(ctx, orderId, 21 * DAY + 40 * HOUR);
  const now: Ctx = { ...ctx, now: Date.now() };
  const settled = await settleOrder(now, orderId);
  if (settled !== 'settled' && settled !== 'already_settled')
    throw new AppError('dev.seed_data_invalid', 500, `the demo referral order ${orderId} did not settle: ${settled}`);
  const o = await getOrderRow(now, orderId);
  await afterOrderFinal(now, {
    orderId,
    userId: o.userId,
    merchantId: o.merchantId,
    netPaid: Math.max(0, o.paidTotal - o.refundedTotal),
    completedAt: o.completedAt ?? now.now,
  });
}
