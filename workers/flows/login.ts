import type { z } from '@hono/zod-openapi';
import type { Ctx } from '../shared/context';
import { loginWithSms, loginWithWechat } from '../domains/users/users.service';
import { grantNewUserPackOnLogin } from '../domains/promotions/coupons/new-user-pack';
import type { SmsLoginInput, WxLoginInput } from '../domains/users/dto';
import { bindInvitee, recordDevice } from '../domains/members/referrals/referrals.service';

type Login = Awaited<ReturnType<typeof loginWithWechat>>;

interface InviteFields {
  inviteCode?: string;
  deviceId?: string;
}

/**
 * 老带新 at sign-in: the device is remembered (a shared device blocks referral rewards), and a
 * shopper this very sign-in created is bound to the invite code's owner. An existing shopper is
 * never bound here. A bad code (unknown, own, programme off) is logged, never fails the login.
 */
async function bindOnFirstLogin(ctx: Ctx, login: Login, input: InviteFields): Promise<void> {
  try {
    await recordDevice(ctx, login.user.id, input.deviceId);
    if (login.isNew && input.inviteCode) await bindInvitee(ctx, { inviteeId: login.user.id, code: input.inviteCode, via: 'login' });
  } catch (e) {
    ctx.log.warn('invite not bound at login', { userId: login.user.id, err: e instanceof Error ? e.message : String(e) });
  }
}

/**
 * After a shopper signs in: the invite binding (first sign-in only), then the 新人礼包 for shoppers
 * registered in the last 7 days (their first login, or a later one retrying a grant that failed).
 * Neither fails the login.
 */
async function afterLogin(ctx: Ctx, login: Login, input: InviteFields): Promise<Login> {
  await bindOnFirstLogin(ctx, login, input);
  await grantNewUserPackOnLogin(ctx, { id: login.user.id, createdAt: Date.parse(login.user.createdAt) });
  return login;
}

/** userLogin: wx.login code → shopper + session tokens, then the invite binding and the new-user pack. */
export async function wechatLogin(ctx: Ctx, input: z.output<typeof WxLoginInput>): Promise<Login> {
  return afterLogin(ctx, await loginWithWechat(ctx, input), input);
}

/** smsLogin: phone + SMS code → shopper + session tokens, then the invite binding and the new-user pack. */
export async function smsLogin(ctx: Ctx, input: z.output<typeof SmsLoginInput>): Promise<Login> {
  return afterLogin(ctx, await loginWithSms(ctx, input), input);
}
