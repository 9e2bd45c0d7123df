import type { z } from '@hono/zod-openapi';
import type { Ctx } from '../shared/context';
import { loginWithSms, loginWithWechat } from '../domains/users/users.service';
import { grantNewUserPackOnLogin } from '../domains/promotions/coupons/new-user-pack';
import type { SmsLoginInput, WxLoginInput } from '../domains/users/dto';

type Login = Awaited<ReturnType<typeof loginWithWechat>>;

/**
 * After a shopper signs in: the 新人礼包 for shoppers registered in the last 7 days (their first
 * login, or a later one retrying a grant that failed). It never fails the login.
 */
async function afterLogin(ctx: Ctx, login: Login): Promise<Login> {
  await grantNewUserPackOnLogin(ctx, { id: login.user.id, createdAt: Date.parse(login.user.createdAt) });
  return login;
}

/** userLogin: wx.login code → shopper + session tokens, then the new-user pack. */
export async function wechatLogin(ctx: Ctx, input: z.output<typeof WxLoginInput>): Promise<Login> {
  return afterLogin(ctx, await loginWithWechat(ctx, input));
}

/** smsLogin: phone + SMS code → shopper + session tokens, then the new-user pack. */
export async function smsLogin(ctx: Ctx, input: z.output<typeof SmsLoginInput>): Promise<Login> {
  return afterLogin(ctx, await loginWithSms(ctx, input));
}
