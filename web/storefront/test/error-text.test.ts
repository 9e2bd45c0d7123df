import { describe, expect, it } from 'vitest';
import { ApiError } from '@edgemall/client/errors';
import { errorText, keepsKey, promoOutcome } from '@/lib/error-text';

const err = (status: number, code: string, message = 'english developer text') => new ApiError(status, code, message);

describe('errorText', () => {
  it('is Chinese by code', () => {
    expect(errorText(err(409, 'flash_sales.sold_out'))).toBe('已抢光');
    expect(errorText(err(409, 'promotions.claim_limit'))).toBe('已领取');
    expect(errorText(err(404, 'promotions.coupon_not_found'))).toBe('兑换码无效');
    expect(errorText(err(409, 'group_buys.team_full'))).toBe('该团已满员');
    expect(errorText(err(409, 'aftersales.awaiting_group'))).toBe('拼团中的订单暂不能退款，未成团将自动全额退款');
    expect(errorText(err(400, 'users.sms_code_wrong'))).toBe('验证码错误');
    expect(errorText(err(429, 'users.sms_too_frequent'))).toBe('发送太频繁，请稍后再试');
    expect(errorText(err(0, 'network'))).toBe('网络不给力，请稍后再试');
  });
  it('shows a Chinese server message for an unknown code', () => {
    expect(errorText(err(409, 'x.unknown', '库存不够了'))).toBe('库存不够了');
  });
  it('never shows English: falls back by status', () => {
    expect(errorText(err(429, 'x.unknown'))).toBe('请稍后再试');
    expect(errorText(err(401, 'x.unknown'))).toBe('请先登录');
    expect(errorText(err(404, 'x.unknown'))).toBe('内容不存在或已下架');
    expect(errorText(err(503, 'x.unknown'))).toBe('服务繁忙，请稍后再试');
    expect(errorText(err(400, 'x.unknown'))).toBe('操作失败，请稍后再试');
  });
  it('treats Taro request failures as network trouble', () => {
    expect(errorText({ errMsg: 'request:fail timeout' })).toBe('网络不给力，请稍后再试');
    expect(errorText({ status: 0 })).toBe('网络不给力，请稍后再试');
  });
  it('has a text for nothing at all', () => {
    expect(errorText(undefined)).toBe('操作失败，请稍后再试');
    expect(errorText(null)).toBe('操作失败，请稍后再试');
    expect(errorText(new Error('boom'))).toBe('操作失败，请稍后再试');
  });
});

describe('promoOutcome', () => {
  it('maps codes to what the page does next', () => {
    expect(promoOutcome(err(409, 'flash_sales.sold_out'))).toBe('sold_out');
    expect(promoOutcome(err(409, 'promotions.coupons_gone'))).toBe('sold_out');
    expect(promoOutcome(err(409, 'promotions.campaign_budget_exhausted'))).toBe('sold_out');
    expect(promoOutcome(err(409, 'group_buys.limit_reached'))).toBe('limit');
    expect(promoOutcome(err(409, 'promotions.claim_limit'))).toBe('limit');
    expect(promoOutcome(err(409, 'promotions.claim_not_open'))).toBe('ended');
    expect(promoOutcome(err(409, 'group_buys.not_started'))).toBe('not_started');
    expect(promoOutcome(err(403, 'flash_sales.token_required'))).toBe('token');
    expect(promoOutcome(err(409, 'group_buys.seat_lapsed'))).toBe('lapsed');
    expect(promoOutcome(err(404, 'group_buys.team_not_found'))).toBe('not_found');
    expect(promoOutcome(err(409, 'group_buys.team_full'))).toBe('team_closed');
    expect(promoOutcome(err(409, 'group_buys.team_expired'))).toBe('team_closed');
    expect(promoOutcome(err(409, 'group_buys.already_in_team'))).toBe('already_member');
  });
  it('knows addresses, the network and throttling', () => {
    expect(promoOutcome(err(400, 'addresses.none'))).toBe('no_address');
    expect(promoOutcome(err(404, 'addresses.not_found'))).toBe('no_address');
    expect(promoOutcome(err(409, 'addresses.limit_reached'))).toBe('other');
    expect(promoOutcome(err(0, 'network'))).toBe('network');
    expect(promoOutcome({ status: 0 })).toBe('network');
    expect(promoOutcome(err(429, 'x.unknown'))).toBe('rate_limited');
    // an overloaded stock object: nothing was decided, so the same key may go again
    expect(promoOutcome(err(503, 'flash_sales.busy'))).toBe('rate_limited');
    expect(keepsKey(err(503, 'flash_sales.busy'))).toBe(true);
    expect(errorText(err(503, 'flash_sales.busy'))).toBe('排队中，请稍后再试');
    expect(promoOutcome(err(400, 'validation.failed'))).toBe('other');
    expect(promoOutcome(undefined)).toBe('other');
  });
});

describe('keepsKey', () => {
  it('keeps the key when the server may not have acted', () => {
    expect(keepsKey(err(0, 'network'))).toBe(true);
    expect(keepsKey(err(429, 'group_buys.rate_limited'))).toBe(true);
    expect(keepsKey(err(403, 'flash_sales.token_required'))).toBe(true);
    expect(keepsKey(err(503, 'group_buys.unavailable'))).toBe(true);
    expect(keepsKey(err(500, 'internal'))).toBe(true);
  });
  it('drops it after a definite refusal', () => {
    expect(keepsKey(err(409, 'flash_sales.sold_out'))).toBe(false);
    expect(keepsKey(err(409, 'promotions.claim_limit'))).toBe(false);
    expect(keepsKey(err(400, 'validation.failed'))).toBe(false);
    expect(keepsKey(err(404, 'group_buys.team_not_found'))).toBe(false);
  });
});
