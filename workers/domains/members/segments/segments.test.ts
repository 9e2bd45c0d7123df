import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adminToken, api, env, staffToken } from '../../../../test/helpers';
import { systemCtx } from '../../../../test/ctx';
import { sellable } from '../../../../test/shop';
import { makeMerchant } from '../../../../test/aftersales';
import { buy, DAY, profileOf, resetSegments, shopper } from '../../../../test/segments';
import { layerOf } from './layers';
import { runNightlySegmentation } from './nightly';

const T = { newDays: 30, dormantDays: 60, lostDays: 180 };
const reg = 1_700_000_000_000;

describe('layerOf (新客 / 活跃 / 沉睡 / 流失)', () => {
  it('puts each boundary day in the later layer', () => {
    const at = (days: number) => reg + days * DAY;
    // new: under 30 days registered and at most one order
    expect(layerOf({ registeredAt: reg, orderCount: 1, lastOrderAt: reg }, T, at(29.99))).toBe('new');
    expect(layerOf({ registeredAt: reg, orderCount: 0, lastOrderAt: null }, T, at(30))).toBe('active');
    expect(layerOf({ registeredAt: reg, orderCount: 2, lastOrderAt: at(1) }, T, at(2))).toBe('active');
    // by the days since the last order: 60 → dormant, 180 → lost
    const last = at(40);
    expect(layerOf({ registeredAt: reg, orderCount: 3, lastOrderAt: last }, T, last + 60 * DAY - 1)).toBe('active');
    expect(layerOf({ registeredAt: reg, orderCount: 3, lastOrderAt: last }, T, last + 60 * DAY)).toBe('dormant');
    expect(layerOf({ registeredAt: reg, orderCount: 3, lastOrderAt: last }, T, last + 180 * DAY - 1)).toBe('dormant');
    expect(layerOf({ registeredAt: reg, orderCount: 3, lastOrderAt: last }, T, last + 180 * DAY)).toBe('lost');
    // never ordered: counted from registration
    expect(layerOf({ registeredAt: reg, orderCount: 0, lastOrderAt: null }, T, at(60))).toBe('dormant');
    expect(layerOf({ registeredAt: reg, orderCount: 0, lastOrderAt: null }, T, at(180))).toBe('lost');
  });
});

describe('the nightly run', () => {
  let skuId: string;
  beforeAll(async () => {
    skuId = (await sellable(5000, 500)).skuId;
  });
  beforeEach(resetSegments);

  it('classifies every shopper once per Beijing day, resumes page by page, records changes and sizes', async () => {
    const a = await shopper();
    const b = await shopper();
    const pa = await buy(a, skuId);
    await buy(b, skuId);
    await buy(b, skuId);
    const now = Date.now();
    const active = (await env.DB.prepare("SELECT count(*) AS n FROM users WHERE status = 'active'").first<{ n: number }>())!.n;

    // A run that stops after one page (as if the Worker died) leaves the rest for the next call.
    const first = await runNightlySegmentation(systemCtx(now + DAY), { pageSize: 2, maxSteps: 1 });
    expect(first).toMatchObject({ phase: 'profiles', processed: 2, steps: 1 });
    const done = await runNightlySegmentation(systemCtx(now + DAY), { pageSize: 2, maxSteps: 1000 });
    expect(done).toMatchObject({ phase: 'done', processed: active });
    // Exactly once: the same day again does nothing.
    expect(await runNightlySegmentation(systemCtx(now + DAY), { pageSize: 2 })).toMatchObject({ steps: 0, processed: active });
    expect(await profileOf(a.userId)).toMatchObject({ layer: 'new', orderCount: 1, spend: pa.paid, city: '杭州市' });
    expect((await profileOf(b.userId))!.layer).toBe('active');

    // 61 days later both are asleep; two crons at once still classify each shopper once.
    const later = now + 61 * DAY;
    const both = await Promise.all([
      runNightlySegmentation(systemCtx(later), { pageSize: 2, maxSteps: 1000 }),
      runNightlySegmentation(systemCtx(later), { pageSize: 2, maxSteps: 1000 }),
    ]);
    for (const r of both) expect(r).toMatchObject({ phase: 'done', processed: active });
    expect((await profileOf(a.userId))!.layer).toBe('dormant');
    const changes = await env.DB.prepare(
      'SELECT from_layer AS f, to_layer AS t, day FROM member_layer_changes WHERE user_id = ? ORDER BY created_at',
    )
      .bind(b.userId)
      .all<{ f: string | null; t: string }>();
    expect(changes.results.map((c) => [c.f, c.t])).toEqual([
      [null, 'active'],
      ['active', 'dormant'],
    ]);

    // 200 days: lost. Sizes per day make the trend.
    await runNightlySegmentation(systemCtx(now + 200 * DAY), { maxSteps: 1000 });
    expect((await profileOf(b.userId))!.layer).toBe('lost');
    const sizes = await env.DB.prepare("SELECT day, size FROM segment_sizes WHERE segment_id = 'layer:lost' ORDER BY day").all<{
      size: number;
    }>();
    expect(sizes.results).toHaveLength(3);
    expect(sizes.results[2]!.size).toBe(active);
  });

  it('runs from the cron, and a shopper without a profile yet is judged on the spot', async () => {
    const fresh = await shopper();
    const { userInMemberSegment } = await import('./membership');
    expect(await userInMemberSegment(systemCtx(), 'layer:new', fresh.userId)).toBe(true);
    expect(await userInMemberSegment(systemCtx(), 'layer:active', fresh.userId)).toBe(false);
    expect(await profileOf(fresh.userId)).toBeNull();
    const { runScheduled } = await import('../../../scheduled');
    await runScheduled(Date.now(), env);
    expect((await profileOf(fresh.userId))!.layer).toBe('new');
  });
});

describe('operator segments, tags, members and export', () => {
  let admin: string;
  let skuId: string;
  beforeAll(async () => {
    admin = await adminToken();
    skuId = (await sellable(8000, 500)).skuId;
  });
  beforeEach(resetSegments);

  it('previews, saves, lists with size and trend, pages members and exports CSV; staff roles are enforced', async () => {
    const big = await shopper();
    const small = await shopper();
    const b1 = await buy(big, skuId);
    const b2 = await buy(big, skuId);
    await buy(small, skuId);
    const bigSpend = b1.paid + b2.paid;
    const tag = await api('POST', '/admin/v1/member-tags', { token: admin, body: { name: `高复购-${crypto.randomUUID().slice(0, 4)}` } });
    expect(tag.status).toBe(201);
    const tagged = await api('POST', `/admin/v1/member-tags/${tag.body.id}/members`, {
      token: admin,
      body: { userIds: [big.userId, 'usr_nobody00'] },
    });
    expect(tagged.body).toEqual({ tagged: 1, skipped: 1 });
    // repeat: idempotent
    expect(
      (await api('POST', `/admin/v1/member-tags/${tag.body.id}/members`, { token: admin, body: { userIds: [big.userId] } })).body,
    ).toEqual({
      tagged: 0,
      skipped: 1,
    });
    await runNightlySegmentation(systemCtx(Date.now() + 40 * DAY), { maxSteps: 1000 });

    const rules = { minSpend: 10_000, cities: ['杭州市'], layers: ['active'], tagIds: [tag.body.id] };
    const preview = await api('POST', '/admin/v1/member-segments/preview', { token: admin, body: rules });
    expect(preview.status).toBe(200);
    expect(preview.body.size).toBe(1);
    expect(preview.body.sample[0]).toMatchObject({ userId: big.userId, orderCount: 2, spend: bigSpend, layer: 'active', city: '杭州市' });
    expect(preview.body.sample[0].tags).toEqual([{ id: tag.body.id, name: tag.body.name }]);

    const bad = await api('POST', '/admin/v1/member-segments/preview', { token: admin, body: { minSpend: 5, maxSpend: 1 } });
    expect(bad.status).toBe(400);
    expect(
      (await api('POST', '/admin/v1/member-segments/preview', { token: admin, body: { tagIds: ['tag_missing1'] } })).body.error.code,
    ).toBe('members.tag_not_found');

    const name = `杭州高消费-${crypto.randomUUID().slice(0, 4)}`;
    const seg = await api('POST', '/admin/v1/member-segments', { token: admin, body: { name, rules } });
    expect(seg.status).toBe(201);
    expect(seg.body).toMatchObject({ kind: 'custom', name, size: 1 });
    expect((await api('POST', '/admin/v1/member-segments', { token: admin, body: { name, rules: {} } })).status).toBe(409);

    const list = await api('GET', '/admin/v1/member-segments', { token: admin });
    expect(list.status).toBe(200);
    expect(list.body.items.slice(0, 4).map((s: any) => s.id)).toEqual(['layer:new', 'layer:active', 'layer:dormant', 'layer:lost']);
    expect(list.body.items.find((s: any) => s.id === 'layer:active').trend.length).toBe(1);
    expect(list.body.items.find((s: any) => s.id === seg.body.id)).toMatchObject({ size: 1, name });

    const page = await api('GET', '/admin/v1/member-segments/layer:active/members?limit=1', { token: admin });
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(1);
    expect(page.body.items[0].userId).toBe(big.userId); // the biggest spender first
    const page2 = await api('GET', `/admin/v1/member-segments/layer:active/members?limit=1&cursor=${page.body.nextCursor}`, {
      token: admin,
    });
    expect(page2.body.items[0].spend).toBeLessThanOrEqual(bigSpend);
    expect(page2.body.items[0].userId).not.toBe(big.userId);

    const csv = await api('GET', `/admin/v1/member-segments/${seg.body.id}/export`, { token: admin });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = csv.body as string;
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toContain('"用户ID","昵称","分层"');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`"${big.userId}"`);
    expect(lines[1]).toContain('"活跃"');
    expect(lines[1]).toContain(`"${(bigSpend / 100).toFixed(2)}"`);

    // Roles: support reads and exports, changes nothing; a merchant and an anonymous caller see nothing.
    const support = await staffToken('support');
    expect((await api('GET', '/admin/v1/member-segments', { token: support })).status).toBe(200);
    expect((await api('GET', `/admin/v1/member-segments/${seg.body.id}/export`, { token: support })).status).toBe(200);
    expect((await api('POST', '/admin/v1/member-segments', { token: support, body: { name: 'x', rules: {} } })).status).toBe(403);
    expect((await api('POST', '/admin/v1/member-tags', { token: support, body: { name: 'x' } })).status).toBe(403);
    const settings = {
      newDays: 30,
      dormantDays: 60,
      lostDays: 180,
      winBack: { enabled: false, templateIds: [], cooldownDays: 90, returnDays: 30 },
    };
    expect((await api('PUT', '/admin/v1/member-segments/settings', { token: support, body: settings })).status).toBe(403);
    const merchant = await staffToken('merchant', await makeMerchant());
    expect((await api('GET', `/admin/v1/member-segments/${seg.body.id}/export`, { token: merchant })).status).toBe(403);
    expect((await api('GET', '/admin/v1/win-back/report', { token: merchant })).status).toBe(403);
    expect((await api('GET', '/admin/v1/member-segments')).status).toBe(401);
    expect((await api('GET', '/admin/v1/member-segments/seg_nothere1/members', { token: admin })).status).toBe(404);

    // Untag: the segment follows at once.
    expect((await api('DELETE', `/admin/v1/member-tags/${tag.body.id}/members/${big.userId}`, { token: admin })).status).toBe(200);
    expect((await api('POST', '/admin/v1/member-segments/preview', { token: admin, body: rules })).body.size).toBe(0);
    expect((await api('DELETE', `/admin/v1/member-segments/${seg.body.id}`, { token: admin })).status).toBe(200);
  });

  it('campaigns and 定向发放 target a segment through members', async () => {
    const sleepy = await shopper();
    await buy(sleepy, skuId);
    const start = Date.now();
    // The campaign and the issue below run at real time: the segment is what the last run (61 days "on") found.
    await runNightlySegmentation(systemCtx(start + 61 * DAY), { maxSteps: 1000 });
    expect((await profileOf(sleepy.userId))!.layer).toBe('dormant');

    const unknown = await api('POST', '/admin/v1/campaigns', {
      token: admin,
      body: {
        name: '回归',
        startsAt: new Date(start - 60_000).toISOString(),
        endsAt: new Date(start + 90 * DAY).toISOString(),
        budget: 100_000,
        segment: { kind: 'segment', segmentId: 'seg_doesnotexist' },
      },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('promotions.segment_not_found');

    const tpl = await api('POST', '/admin/v1/coupon-templates', {
      token: admin,
      body: { name: '沉睡专享', kind: 'amount_off', threshold: 0, amountOff: 500, validDays: 7, totalQuantity: 100, channels: ['segment'] },
    });
    expect(tpl.status).toBe(201);
    const issue = await api('POST', `/admin/v1/coupon-templates/${tpl.body.id}/issue`, {
      token: admin,
      body: { segment: { kind: 'segment', segmentId: 'layer:dormant' }, batchId: 'dormant-1' },
    });
    expect(issue.status).toBe(200);
    const holders = await env.DB.prepare('SELECT user_id AS u FROM user_coupons WHERE template_id = ?')
      .bind(tpl.body.id)
      .all<{ u: string }>();
    const ids = holders.results.map((r) => r.u);
    expect(ids).toContain(sleepy.userId);
    const dormant = (await env.DB.prepare("SELECT count(*) AS n FROM member_profiles WHERE layer = 'dormant'").first<{ n: number }>())!.n;
    expect(issue.body.issued).toBe(dormant);
    expect(ids).toHaveLength(dormant);
    // repeat with the same batch: nobody gets a second
    const again = await api('POST', `/admin/v1/coupon-templates/${tpl.body.id}/issue`, {
      token: admin,
      body: { segment: { kind: 'segment', segmentId: 'layer:dormant' }, batchId: 'dormant-1' },
    });
    expect(again.body.issued).toBe(0);

    const campaign = await api('POST', '/admin/v1/campaigns', {
      token: admin,
      body: {
        name: '沉睡唤醒',
        startsAt: new Date(start - 60_000).toISOString(),
        endsAt: new Date(start + 90 * DAY).toISOString(),
        budget: 100_000,
        priority: 1000,
        segment: { kind: 'segment', segmentId: 'layer:dormant' },
        banners: [{ imageUrl: '/media/banners/wake.jpg', title: '欢迎回来', link: '/pages/coupons/index' }],
      },
    });
    expect(campaign.status).toBe(201);
    const seen = await api('GET', '/store/v1/home/campaign', { token: sleepy.token });
    expect(seen.body.campaign?.id).toBe(campaign.body.id);
    const other = await api('GET', '/store/v1/home/campaign', { token: (await shopper()).token });
    expect(other.body.campaign?.id).not.toBe(campaign.body.id);
  });
});
