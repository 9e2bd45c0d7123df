import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { adminToken, api, shopperToken, staffToken } from '../../../../test/helpers';
import { systemCtx } from '../../../../test/ctx';
import type { QueueMessage } from '../../../shared/events';
import type { Env } from '../../../shared/env';
import { notifyOrderShipped, TemplatedSend } from '../events';
import { setNotificationProviders, type SendOutcome, type SmsPayload, type WechatSubscribePayload } from '../providers';
import { deliverTemplatedSend } from './deliver';
import { releaseDueSends, sendMarketingMessage, sendRow } from './send.service';

afterEach(() => setNotificationProviders(null));

/** A system ctx at `now` whose queues record what is sent, per queue, instead of sending it. */
function spyCtx(now: number) {
  const sent: Record<string, QueueMessage[]> = { NOTIFICATIONS: [], MARKETING: [] };
  const queue = (name: string) => ({
    send: vi.fn(async (m: QueueMessage) => void sent[name]!.push(m)),
    sendBatch: vi.fn(async (ms: { body: QueueMessage }[]) => void sent[name]!.push(...ms.map((m) => m.body))),
  });
  const ctx = systemCtx(now, { NOTIFICATIONS: queue('NOTIFICATIONS'), MARKETING: queue('MARKETING') } as unknown as Partial<Env>);
  return { ctx, sent };
}

/** Beijing wall-clock time on 2026-11-1x as epoch ms. */
const bj = (day: number, hour: number, minute = 0) => Date.UTC(2026, 10, day, hour - 8, minute);

let phoneSeq = 0;
/** A phone (H5) shopper: SMS is their channel. */
async function phoneShopper() {
  const phone = `139${String(Date.now() % 1e6).padStart(6, '0')}${String(++phoneSeq).padStart(2, '0')}`;
  const code = (await api('POST', '/store/v1/auth/sms-code', { body: { phone } })).body.sandboxCode;
  const login = await api('POST', '/store/v1/auth/sms-login', { body: { phone, code } });
  expect(login.status).toBe(200);
  return { token: login.body.accessToken as string, userId: login.body.user.id as string, phone };
}

/** A WeChat (mini-program) shopper: subscribe messages are their channel once they allow one. */
async function wechatShopper() {
  const token = await shopperToken(`msg-${crypto.randomUUID().slice(0, 8)}`);
  const me = await api('GET', '/store/v1/me', { token });
  return { token, userId: me.body.id as string };
}

function recordingProviders() {
  const sms: SmsPayload[] = [];
  const wechat: WechatSubscribePayload[] = [];
  setNotificationProviders({
    sms: { channel: 'sms', send: async (p: SmsPayload): Promise<SendOutcome> => (sms.push(p), { status: 'sent' }) },
    wechat: {
      channel: 'wechat_subscribe',
      send: async (p: WechatSubscribePayload): Promise<SendOutcome> => (wechat.push(p), { status: 'sent' }),
    },
  });
  return { sms, wechat };
}

const promo = (userId: string, ref: string) => ({
  userId,
  templateKey: 'promotion' as const,
  ref,
  vars: { title: '双十一狂欢', content: '全场满300减50' },
});

let admin: string;
const WX_RESTOCK = 'wxTmplRestock0001';

beforeAll(async () => {
  admin = await adminToken();
  const make = async (body: unknown) => {
    const r = await api('POST', '/admin/v1/message-templates', { token: admin, body });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };
  await make({
    key: 'promotion',
    channel: 'sms',
    name: '活动短信',
    smsSign: 'edgemall',
    smsTemplateCode: 'SMS_PROMO_1',
    smsText: '${title}：${content}，回T退订',
  });
  await make({
    key: 'task_reward',
    channel: 'sms',
    name: '任务奖励短信',
    smsSign: 'edgemall',
    smsTemplateCode: 'SMS_TASK_1',
    smsText: '您完成了${taskName}，${points}积分已到账',
  });
  await make({
    key: 'restock',
    channel: 'wechat_subscribe',
    name: '到货提醒订阅消息',
    wxTemplateId: WX_RESTOCK,
    fields: { thing1: '${productName}', thing2: '${skuName}', amount3: '${price}元', time4: '${time}' },
    page: 'pages/product/index?id=${productId}',
  });
});

describe('message templates (console)', () => {
  it('createMessageTemplate checks the variables against the trigger, renders a preview, allows one active per trigger and channel', async () => {
    const bad = await api('POST', '/admin/v1/message-templates', {
      token: admin,
      body: {
        key: 'price_drop',
        channel: 'wechat_subscribe',
        name: 'x',
        wxTemplateId: 'wxTmplPriceDrop01',
        fields: { thing1: '${couponName}' },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation.failed');
    expect(bad.body.error.details.issues[0]).toMatchObject({ path: 'fields.thing1', message: expect.stringContaining('${couponName}') });
    for (const body of [
      { key: 'price_drop', channel: 'sms', name: 'x', smsSign: 'edgemall', smsTemplateCode: 'SMS_1' }, // no text
      { key: 'price_drop', channel: 'wechat_subscribe', name: 'x', wxTemplateId: 'wxTmplPriceDrop01', fields: { title: '${productName}' } }, // not a keyword
      { key: 'no_such_trigger', channel: 'sms', name: 'x', smsSign: 'edgemall', smsTemplateCode: 'SMS_1', smsText: 'hi' },
    ]) {
      const r = await api('POST', '/admin/v1/message-templates', { token: admin, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('validation.failed');
    }

    const body = {
      key: 'price_drop',
      channel: 'wechat_subscribe',
      name: '降价提醒',
      wxTemplateId: 'wxTmplPriceDrop01',
      fields: { thing1: '您收藏的${productName}降价啦，快来看看有多便宜吧', amount2: '${newPrice}元', time3: '${time}' },
    };
    const created = await api('POST', '/admin/v1/message-templates', { token: admin, body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key: 'price_drop', keyLabel: '降价提醒', purpose: 'marketing', status: 'active' });
    // thing is cut to 20 characters, as WeChat requires
    expect(created.body.preview.wechat.data.thing1.value).toBe('您收藏的不锈钢保温杯降价啦，快来看看有…');
    expect([...created.body.preview.wechat.data.thing1.value].length).toBe(20);
    expect(created.body.preview.wechat.data.amount2.value).toBe('79.00元');

    const again = await api('POST', '/admin/v1/message-templates', { token: admin, body });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('notifications.template_exists');
    const preview = await api('POST', `/admin/v1/message-templates/${created.body.id}/preview`, {
      token: admin,
      body: { vars: { productName: '羽绒服', newPrice: '399.00' } },
    });
    expect(preview.status).toBe(200);
    expect(preview.body.wechat.data).toMatchObject({
      thing1: { value: '您收藏的羽绒服降价啦，快来看看有多便宜吧' },
      amount2: { value: '399.00元' },
    });
    // an update is checked whole, against the template's trigger
    const badEdit = await api('PATCH', `/admin/v1/message-templates/${created.body.id}`, {
      token: admin,
      body: { fields: { thing1: '${packName}' } },
    });
    expect(badEdit.status).toBe(400);
    const disabled = await api('PATCH', `/admin/v1/message-templates/${created.body.id}`, { token: admin, body: { status: 'disabled' } });
    expect(disabled.body.status).toBe('disabled');
    expect((await api('POST', '/admin/v1/message-templates', { token: admin, body })).status).toBe(201);

    const list = await api('GET', '/admin/v1/message-templates?key=price_drop', { token: admin });
    expect(list.body.items.map((t: any) => t.status).sort()).toEqual(['active', 'disabled']);
    expect(list.body.triggers.find((t: any) => t.key === 'restock').vars.map((v: any) => v.name)).toContain('productName');
  });

  it('needs members.write to change and members.read to look; shoppers and anonymous callers are refused', async () => {
    const support = await staffToken('support');
    const merchant = await staffToken('merchant', 'mch_platform');
    const shopper = await shopperToken('msg-authz');
    const body = { key: 'win_back', channel: 'sms', name: 'x', smsSign: 'edgemall', smsTemplateCode: 'SMS_WB', smsText: '${packName}' };
    expect((await api('POST', '/admin/v1/message-templates', { token: support, body })).status).toBe(403);
    expect((await api('PUT', '/admin/v1/message-settings', { token: support, body: { dailyCap: 9 } })).status).toBe(403);
    expect((await api('GET', '/admin/v1/message-templates', { token: support })).status).toBe(200);
    expect((await api('GET', '/admin/v1/message-sends', { token: support })).status).toBe(200);
    expect((await api('GET', '/admin/v1/message-templates', { token: merchant })).status).toBe(403);
    expect((await api('GET', '/admin/v1/message-templates', { token: shopper })).status).toBe(403);
    expect((await api('GET', '/admin/v1/message-templates')).status).toBe(401);
    // settings: validated, the weekly cap never below the daily one
    expect((await api('PUT', '/admin/v1/message-settings', { token: admin, body: { dailyCap: -1 } })).status).toBe(400);
    expect((await api('PUT', '/admin/v1/message-settings', { token: admin, body: { dailyCap: 6, weeklyCap: 5 } })).status).toBe(400);
    // the shopper's own settings: only for shoppers
    expect((await api('GET', '/store/v1/me/message-settings')).status).toBe(401);
    expect((await api('GET', '/store/v1/me/message-settings', { token: admin })).status).toBe(403);
    expect((await api('PATCH', '/store/v1/me/message-settings', { token: shopper, body: { kinds: { task_reward: false } } })).status).toBe(
      400,
    );
  });
});

describe('sending', () => {
  it('caps hold under a burst: 20 concurrent marketing sends for one shopper land the daily cap; transactional ones are never counted', async () => {
    expect((await api('PUT', '/admin/v1/message-settings', { token: admin, body: { dailyCap: 3, weeklyCap: 4 } })).status).toBe(200);
    const s = await phoneShopper();
    const { ctx, sent } = spyCtx(bj(16, 10)); // a Monday, 10:00
    const burst = await Promise.all([...Array(20).keys()].map((i) => sendMarketingMessage(ctx, promo(s.userId, `cap:${s.userId}:${i}`))));
    expect(burst.filter((d) => d.status === 'queued')).toHaveLength(3);
    expect(burst.filter((d) => d.status === 'capped')).toHaveLength(17);
    expect(burst.find((d) => d.status === 'capped')!.reason).toBe('daily cap of 3 reached');
    expect(sent.MARKETING).toHaveLength(3);
    // a service message goes out whatever the caps say
    const service = await sendMarketingMessage(ctx, {
      userId: s.userId,
      templateKey: 'task_reward',
      ref: `svc:${s.userId}`,
      vars: { taskName: '完善资料', points: 50 },
    });
    expect(service.status).toBe('queued');
    // the next day the weekly cap (4) leaves room for one more
    const next = spyCtx(bj(17, 10)).ctx;
    const day2 = await Promise.all([0, 1, 2, 3, 4].map((i) => sendMarketingMessage(next, promo(s.userId, `cap2:${s.userId}:${i}`))));
    expect(day2.filter((d) => d.status === 'queued')).toHaveLength(1);
    expect(day2.filter((d) => d.reason === 'weekly cap of 4 reached')).toHaveLength(4);
    // a new week starts on Monday
    const week2 = spyCtx(bj(23, 10)).ctx;
    expect((await sendMarketingMessage(week2, promo(s.userId, `cap3:${s.userId}`))).status).toBe('queued');
    const log = await api('GET', `/admin/v1/message-sends?userId=${s.userId}&status=capped&limit=100`, { token: admin });
    expect(log.body.items).toHaveLength(21);
    await api('PUT', '/admin/v1/message-settings', { token: admin, body: { dailyCap: 2, weeklyCap: 5 } });
  });

  it('is idempotent per ref, and a redelivered message sends once', async () => {
    const s = await phoneShopper();
    const { sms } = recordingProviders();
    const { ctx, sent } = spyCtx(bj(18, 12));
    const ref = `idem:${s.userId}`;
    const all = await Promise.all([0, 1, 2, 3, 4].map(() => sendMarketingMessage(ctx, promo(s.userId, ref))));
    expect(new Set(all.map((d) => d.sendId)).size).toBe(1);
    expect(all.filter((d) => !d.replayed)).toHaveLength(1);
    expect(sent.MARKETING).toEqual([{ type: TemplatedSend.type, id: all[0]!.sendId, at: ctx.now, data: { sendId: all[0]!.sendId } }]);
    const results = await Promise.all([0, 1, 2].map(() => deliverTemplatedSend(ctx, all[0]!.sendId).catch((e: Error) => e.message)));
    expect(results.filter((r) => r === 'sent')).toHaveLength(1);
    expect(await deliverTemplatedSend(ctx, all[0]!.sendId)).toBe('duplicate');
    expect(sms).toEqual([
      { phone: s.phone, template: 'SMS_PROMO_1', sign: 'edgemall', params: { title: '双十一狂欢', content: '全场满300减50' } },
    ]);
    expect(await sendRow(ctx, all[0]!.sendId)).toMatchObject({ status: 'sent', channel: 'sms', attempts: 1, sentAt: ctx.now });
  });

  it('quiet hours: a marketing send at 23:00 Beijing waits and goes out at 08:00; a service message goes at once', async () => {
    const s = await phoneShopper();
    const { sms } = recordingProviders();
    const night = spyCtx(bj(19, 23));
    const d = await sendMarketingMessage(night.ctx, promo(s.userId, `quiet:${s.userId}`));
    expect(d.status).toBe('scheduled');
    expect(night.sent.MARKETING).toHaveLength(0);
    expect(await sendRow(night.ctx, d.sendId)).toMatchObject({ dueAt: bj(20, 8), day: '2026-11-20' });
    const svc = await sendMarketingMessage(night.ctx, {
      userId: s.userId,
      templateKey: 'task_reward',
      ref: `quiet-svc:${s.userId}`,
      vars: { taskName: '签到', points: 5 },
    });
    expect(svc.status).toBe('queued');
    // the scheduled row is not deliverable early, even if a message turned up
    expect(await deliverTemplatedSend(night.ctx, d.sendId)).toBe('not_due');

    const early = spyCtx(bj(20, 7, 59));
    expect((await releaseDueSends(early.ctx)).released).toBe(0);
    const morning = spyCtx(bj(20, 8));
    expect((await releaseDueSends(morning.ctx)).released).toBeGreaterThanOrEqual(1);
    expect(morning.sent.MARKETING!.map((m) => m.id)).toContain(d.sendId);
    expect((await releaseDueSends(morning.ctx)).released).toBe(0); // released once
    expect(await deliverTemplatedSend(morning.ctx, d.sendId)).toBe('sent');
    expect(await sendRow(morning.ctx, d.sendId)).toMatchObject({ status: 'sent', sentAt: bj(20, 8) });
    expect(sms.filter((p) => p.template === 'SMS_PROMO_1')).toHaveLength(1);
    // 02:00 is quiet too (the window wraps midnight)
    expect((await sendMarketingMessage(spyCtx(bj(21, 2)).ctx, promo(s.userId, `quiet2:${s.userId}`))).status).toBe('scheduled');
  });

  it('unsubscribe is honoured per kind, per channel and for all marketing — also for a send already waiting out quiet hours', async () => {
    const s = await phoneShopper();
    recordingProviders();
    const settings = await api('GET', '/store/v1/me/message-settings', { token: s.token });
    expect(settings.status).toBe(200);
    expect(settings.body).toMatchObject({ marketing: true, channels: { sms: true, wechat_subscribe: true } });
    expect(settings.body.kinds.map((k: any) => k.key)).toEqual(
      expect.arrayContaining(['restock', 'price_drop', 'new_arrivals', 'promotion']),
    );
    expect(settings.body.kinds.map((k: any) => k.key)).not.toContain('task_reward');

    const waiting = await sendMarketingMessage(spyCtx(bj(24, 23)).ctx, promo(s.userId, `unsub-w:${s.userId}`));
    expect(waiting.status).toBe('scheduled');

    const off = await api('PATCH', '/store/v1/me/message-settings', { token: s.token, body: { kinds: { promotion: false } } });
    expect(off.body.kinds.find((k: any) => k.key === 'promotion').enabled).toBe(false);
    const { ctx } = spyCtx(bj(25, 12));
    expect(await sendMarketingMessage(ctx, promo(s.userId, `unsub1:${s.userId}`))).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('unsubscribed'),
    });
    // the one decided before the switch is skipped when it comes due
    await releaseDueSends(spyCtx(bj(25, 8)).ctx);
    expect(await deliverTemplatedSend(spyCtx(bj(25, 8)).ctx, waiting.sendId)).toBe('skipped');

    await api('PATCH', '/store/v1/me/message-settings', { token: s.token, body: { kinds: { promotion: true }, channels: { sms: false } } });
    expect((await sendMarketingMessage(ctx, promo(s.userId, `unsub2:${s.userId}`))).reason).toContain('SMS turned off');
    await api('PATCH', '/store/v1/me/message-settings', { token: s.token, body: { channels: { sms: true }, marketing: false } });
    expect((await sendMarketingMessage(ctx, promo(s.userId, `unsub3:${s.userId}`))).reason).toContain('turned off marketing');
    // service messages are not marketing: they still go
    expect(
      (
        await sendMarketingMessage(ctx, {
          userId: s.userId,
          templateKey: 'task_reward',
          ref: `unsub-svc:${s.userId}`,
          vars: { taskName: 'x', points: 1 },
        })
      ).status,
    ).toBe('queued');
    await api('PATCH', '/store/v1/me/message-settings', { token: s.token, body: { marketing: true } });
    expect((await sendMarketingMessage(ctx, promo(s.userId, `unsub4:${s.userId}`))).status).toBe('queued');
  });

  it('subscribe messages need the shopper’s consent; each accept is used up by one send', async () => {
    const s = await wechatShopper();
    const { wechat } = recordingProviders();
    const { ctx } = spyCtx(bj(26, 12));
    const vars = { productId: 'prd_x', productName: '保温杯', skuName: '白色', price: '89.00' };
    const none = await sendMarketingMessage(ctx, { userId: s.userId, templateKey: 'restock', ref: `c0:${s.userId}`, vars });
    expect(none).toMatchObject({ status: 'skipped', reason: expect.stringContaining('未授权订阅消息') });

    const settings = await api('GET', '/store/v1/me/message-settings', { token: s.token });
    expect(settings.body.subscribeTemplates).toEqual(
      expect.arrayContaining([{ key: 'restock', label: '到货提醒', wxTemplateId: WX_RESTOCK, remaining: 0 }]),
    );
    const headers = { 'idempotency-key': `sub-${crypto.randomUUID()}` };
    const body = {
      results: [
        { templateId: WX_RESTOCK, result: 'accept' },
        { templateId: 'wxTmplUnknown0001', result: 'accept' },
      ],
    };
    const rec = await api('POST', '/store/v1/me/subscribe-results', { token: s.token, headers, body });
    expect(rec.status).toBe(200);
    expect(rec.body).toMatchObject({ recorded: 1, ignored: ['wxTmplUnknown0001'] });
    // a retried report records nothing more; without a key it is refused
    expect((await api('POST', '/store/v1/me/subscribe-results', { token: s.token, headers, body })).body.recorded).toBe(0);
    expect((await api('POST', '/store/v1/me/subscribe-results', { token: s.token, body })).status).toBe(400);

    const one = await sendMarketingMessage(ctx, { userId: s.userId, templateKey: 'restock', ref: `c1:${s.userId}`, vars });
    expect(one).toMatchObject({ status: 'queued' });
    expect(await deliverTemplatedSend(ctx, one.sendId)).toBe('sent');
    expect(wechat).toHaveLength(1);
    expect(wechat[0]).toMatchObject({
      template_id: WX_RESTOCK,
      page: 'pages/product/index?id=prd_x',
      data: {
        thing1: { value: '保温杯' },
        thing2: { value: '白色' },
        amount3: { value: '89.00元' },
        time4: { value: '2026年11月26日 12:00' },
      },
    });
    expect(
      (await api('GET', '/store/v1/me/message-settings', { token: s.token })).body.subscribeTemplates.find((t: any) => t.key === 'restock')
        .remaining,
    ).toBe(0);
    // the subscription is used up: the next one has nothing to go on
    const two = await sendMarketingMessage(ctx, { userId: s.userId, templateKey: 'restock', ref: `c2:${s.userId}`, vars });
    expect(two.status).toBe('skipped');
  });

  it('marketing never blocks transactional: its own queue, its own caps — an order-shipped notice goes out during a marketing flood', async () => {
    const s = await phoneShopper();
    const { ctx, sent } = spyCtx(bj(27, 9));
    await api('PUT', '/admin/v1/message-settings', { token: admin, body: { dailyCap: 50, weeklyCap: 200 } });
    await Promise.all([...Array(30).keys()].map((i) => sendMarketingMessage(ctx, promo(s.userId, `flood:${s.userId}:${i}`))));
    await notifyOrderShipped(ctx, {
      userId: s.userId,
      orderId: 'ord_flood',
      orderNo: '202611270001',
      carrierName: '顺丰',
      trackingNo: 'SF1',
    });
    // the 30 marketing messages wait on MARKETING; the shipped notice is alone on NOTIFICATIONS
    expect(sent.MARKETING!).toHaveLength(30);
    expect(sent.NOTIFICATIONS!.map((m) => m.type)).toEqual(['notifications.order_shipped']);
    expect(sent.MARKETING!.every((m) => m.type === TemplatedSend.type)).toBe(true);
    await api('PUT', '/admin/v1/message-settings', { token: admin, body: { dailyCap: 2, weeklyCap: 5 } });
  });

  it('a send with nothing to render on is recorded, not thrown: unknown shopper, missing variables', async () => {
    const { ctx } = spyCtx(bj(28, 12));
    expect(await sendMarketingMessage(ctx, promo('usr_nobody000000', 'nobody:1'))).toMatchObject({
      status: 'skipped',
      reason: 'unknown shopper',
    });
    const s = await phoneShopper();
    const d = await sendMarketingMessage(ctx, {
      userId: s.userId,
      templateKey: 'promotion',
      ref: `miss:${s.userId}`,
      vars: { title: 'x' },
    });
    expect(d).toMatchObject({ status: 'failed', reason: 'missing variables: content' });
    const log = await api('GET', `/admin/v1/message-sends?userId=${s.userId}`, { token: admin });
    expect(log.body.items[0]).toMatchObject({ status: 'failed', templateKey: 'promotion', vars: { title: 'x' } });
    expect(log.body.today).toBeTypeOf('object');
  });
});
