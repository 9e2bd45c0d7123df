import { describe, expect, it, vi } from 'vitest';
import { api, env, staffToken } from '../../../test/helpers';
import { makeMerchant, paidOrder } from '../../../test/aftersales';
import { shopperWithAddress } from '../../../test/shop';
import { createReview, deliveredOrder, reviewRow, someShopper, uploadPhoto } from '../../../test/reviews';
import { decide, maskName } from './policy';
import { encodeCursor } from '../../shared/pagination';
import { systemCtx } from '../../../test/ctx';
import { announceMissedReviews } from './reviews.service';

const ok = { rating: 5, text: '杯子做工不错，保温效果很好，物流也快', tags: ['质量好', '物流快'] };

describe('review policy (pure)', () => {
  it('publishes clean text, holds flagged or copied text, refuses abuse with its matches', () => {
    const m = (category: string, severity: string) => ({ term: 'x', category, severity, start: 0, end: 1, hint: null });
    expect(decide({ verdict: 'pass', matches: [], duplicates: [] })).toEqual({ outcome: 'publish' });
    expect(decide({ verdict: 'warn', matches: [m('medical_claim', 'warn')], duplicates: [] })).toEqual({ outcome: 'publish' });
    expect(decide({ verdict: 'block', matches: [m('ad_absolute', 'block')], duplicates: [] })).toEqual({
      outcome: 'hold',
      reason: 'screening',
    });
    expect(decide({ verdict: 'review', matches: [m('sensitive', 'review')], duplicates: [] })).toEqual({
      outcome: 'hold',
      reason: 'screening',
    });
    expect(decide({ verdict: 'pass', matches: [], duplicates: [{ reviewId: 'rev_1', distance: 1 }] })).toEqual({
      outcome: 'hold',
      reason: 'duplicate',
    });
    expect(decide({ verdict: 'block', matches: [m('vulgar', 'block'), m('ad_absolute', 'block')], duplicates: [] })).toMatchObject({
      outcome: 'refuse',
      matches: [{ category: 'vulgar' }],
    });
    expect(maskName('张三丰')).toBe('张**');
  });
});

describe('createReview', () => {
  it('only the buyer of a delivered line, once: others 404, undelivered 409, a second review 409', async () => {
    const o = await deliveredOrder();
    const stranger = await someShopper();
    const theirs = await createReview(stranger, { ...ok, orderLineId: o.lineId });
    expect(theirs.status).toBe(404);
    expect(theirs.body.error.code).toBe('orders.line_not_found');

    const paid = await paidOrder({ qty: 1 });
    const early = await createReview(paid.token, { ...ok, orderLineId: paid.lineId });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('reviews.not_delivered');

    const first = await createReview(o.token, { ...ok, orderLineId: o.lineId, anonymous: true });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ status: 'published', rating: 5, tags: ['质量好', '物流快'], anonymous: true });
    expect(first.body.author.name).toMatch(/^.\*\*$/);
    const again = await createReview(o.token, { ...ok, orderLineId: o.lineId, text: '再评一次' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('reviews.already_reviewed');

    // staff cannot review
    const staff = await staffToken('operator');
    expect((await createReview(staff, { ...ok, orderLineId: o.lineId })).status).toBe(403);
  });

  it('a burst of 10 concurrent creates for one line gives exactly one review; the rest 409', async () => {
    const o = await deliveredOrder();
    const rs = await Promise.all(
      Array.from({ length: 10 }, (_, i) => createReview(o.token, { ...ok, text: `第${i}条：很好用，推荐购买`, orderLineId: o.lineId })),
    );
    expect(rs.filter((r) => r.status === 201).length).toBe(1);
    expect(rs.filter((r) => r.status === 409).every((r) => r.body.error.code === 'reviews.already_reviewed')).toBe(true);
    expect(rs.filter((r) => r.status === 409).length).toBe(9);
    const n = await env.DB.prepare('SELECT count(*) AS n FROM reviews WHERE order_line_id = ?').bind(o.lineId).first<{ n: number }>();
    expect(n!.n).toBe(1);
  });

  it('a retried create with the same Idempotency-Key answers the same review (also in a burst); another line with it is 409', async () => {
    const o = await deliveredOrder();
    const key = `rv-${crypto.randomUUID()}`;
    const a = await createReview(o.token, { ...ok, orderLineId: o.lineId }, key);
    expect(a.status).toBe(201);
    const [b, c] = await Promise.all([
      createReview(o.token, { ...ok, orderLineId: o.lineId }, key),
      createReview(o.token, { ...ok, orderLineId: o.lineId }, key),
    ]);
    expect([b.status, c.status]).toEqual([200, 200]);
    expect(b.body.id).toBe(a.body.id);
    expect(c.body.id).toBe(a.body.id);
    const other = await deliveredOrder({ shopper: { token: o.token, addressId: o.addressId } });
    const reused = await createReview(o.token, { ...ok, orderLineId: other.lineId }, key);
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('reviews.idempotency_key_reused');
  });

  it('closes 30 days after delivery', async () => {
    const o = await deliveredOrder();
    const old = Date.now() - 31 * 86_400_000;
    await env.DB.prepare('UPDATE orders SET delivered_at = ?1, completed_at = ?1 WHERE id = ?2').bind(old, o.orderId).run();
    const r = await createReview(o.token, { ...ok, orderLineId: o.lineId });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('reviews.window_closed');
  });

  it('bad input is 400 with field paths, and writes nothing', async () => {
    const o = await deliveredOrder();
    const bad = [
      { ...ok, orderLineId: o.lineId, rating: 6 },
      { ...ok, orderLineId: o.lineId, rating: 4.5 },
      { ...ok, orderLineId: o.lineId, text: '' },
      { ...ok, orderLineId: o.lineId, text: '好'.repeat(501) },
      { ...ok, orderLineId: o.lineId, tags: ['不存在的标签'] },
      { ...ok, orderLineId: o.lineId, tags: ['质量好', '质量好'] },
      { ...ok, orderLineId: o.lineId, photoKeys: Array.from({ length: 10 }, (_, i) => `k${i}`) },
      { ...ok, orderLineId: o.lineId, photoKeys: ['a'], videoKey: 'b' },
      { ...ok },
    ];
    for (const body of bad) {
      const r = await createReview(o.token, body);
      expect(r.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(r.body.error.code).toBe('validation.failed');
    }
    const unknownPhoto = await createReview(o.token, { ...ok, orderLineId: o.lineId, photoKeys: ['img/202601/med_0000000000000000.png'] });
    expect(unknownPhoto.status).toBe(400);
    expect(unknownPhoto.body.error.code).toBe('media.not_found');
    const n = await env.DB.prepare('SELECT count(*) AS n FROM reviews WHERE order_line_id = ?').bind(o.lineId).first<{ n: number }>();
    expect(n!.n).toBe(0);
  });

  it('abusive text is refused with the matches so the shopper sees what to change', async () => {
    const o = await deliveredOrder();
    const r = await createReview(o.token, { ...ok, orderLineId: o.lineId, text: '卖家是个傻逼' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('reviews.text_refused');
    expect(r.body.error.details.matches[0]).toMatchObject({ term: '傻逼', start: 4, end: 6 });
  });
});

describe('photos', () => {
  it('header-checked uploads: a real photo is accepted, a thumbnail or a non-image refused; only my own uploads attach', async () => {
    const o = await deliveredOrder();
    const up = await uploadPhoto(o.token);
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body).toMatchObject({ kind: 'photo', width: 300, height: 300 });
    const tiny = await uploadPhoto(o.token, 50, 50);
    expect(tiny.status).toBe(400);
    expect(tiny.body.error.code).toBe('reviews.photo_too_small');
    const text = await api('POST', '/store/v1/reviews/media', { token: o.token, raw: 'hello', headers: { 'content-type': 'image/png' } });
    expect(text.status).toBeGreaterThanOrEqual(400);
    expect(text.status).toBeLessThan(500);
    const mp4 = new Uint8Array([0, 0, 0, 0x18, ...new TextEncoder().encode('ftypmp42'), 0, 0, 0, 0]);
    const video = await api('POST', '/store/v1/reviews/media', { token: o.token, raw: mp4, headers: { 'content-type': 'video/mp4' } });
    expect(video.status, JSON.stringify(video.body)).toBe(201);
    expect(video.body.kind).toBe('video');

    const other = await someShopper();
    const theirs = await uploadPhoto(other);
    const foreign = await createReview(o.token, { ...ok, orderLineId: o.lineId, photoKeys: [theirs.body.key] });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('media.forbidden');
    const videoAsPhoto = await createReview(o.token, { ...ok, orderLineId: o.lineId, photoKeys: [video.body.key] });
    expect(videoAsPhoto.status).toBe(400);

    const r = await createReview(o.token, { ...ok, orderLineId: o.lineId, photoKeys: [up.body.key] });
    expect(r.status).toBe(201);
    expect(r.body.photos).toEqual([{ key: up.body.key, url: expect.stringContaining(up.body.key) }]);
  });
});

describe('moderation', () => {
  it('a banned word holds the review: not public, in the queue with its match positions; approve publishes it', async () => {
    const o = await deliveredOrder();
    const text = '这是我买过最好的杯子，保温一整天';
    const r = await createReview(o.token, { ...ok, text, orderLineId: o.lineId });
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('pending');

    const pub = await api('GET', `/store/v1/products/${o.productId}/reviews`);
    expect(pub.status).toBe(200);
    expect(pub.body.items.map((i: { id: string }) => i.id)).not.toContain(r.body.id);
    expect(pub.body.summary.count).toBe(0);

    const mine = await api('GET', '/store/v1/me/reviews', { token: o.token });
    expect(mine.body.items[0]).toMatchObject({ id: r.body.id, status: 'pending' });

    const ops = await staffToken('operator');
    const q = await api('GET', '/admin/v1/reviews/moderation?limit=100', { token: ops });
    expect(q.status).toBe(200);
    const held = q.body.items.find((i: { id: string }) => i.id === r.body.id);
    expect(held).toMatchObject({ status: 'pending', holdReason: 'screening' });
    const match = held.screening.matches.find((m: { term: string }) => m.term === '最好');
    expect(match).toMatchObject({ start: text.indexOf('最好'), end: text.indexOf('最好') + 2, category: 'ad_absolute' });

    // lower roles cannot see or act on the queue
    const support = await staffToken('support');
    expect((await api('GET', '/admin/v1/reviews/moderation', { token: support })).status).toBe(403);
    expect((await api('POST', `/admin/v1/reviews/${r.body.id}/approve`, { token: support, body: {} })).status).toBe(403);
    expect((await api('GET', '/admin/v1/reviews/moderation', { token: o.token })).status).toBe(403);

    const a = await api('POST', `/admin/v1/reviews/${r.body.id}/approve`, { token: ops, body: { part: 'review' } });
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(a.body.status).toBe('published');
    const twice = await api('POST', `/admin/v1/reviews/${r.body.id}/approve`, { token: ops, body: {} });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('reviews.not_pending');

    const after = await api('GET', `/store/v1/products/${o.productId}/reviews`);
    expect(after.body.items.map((i: { id: string }) => i.id)).toContain(r.body.id);
    expect(after.body.summary).toMatchObject({ count: 1, average: 5, goodRate: 1 });

    // published by the approval: reviews.published reaches the members side through the queue, once
    const points = () =>
      env.DB.prepare('SELECT delta FROM points_ledger WHERE ref = ?').bind(`review:${r.body.id}`).all<{ delta: number }>();
    await vi.waitFor(async () => expect((await points()).results).toEqual([{ delta: 10 }]), { timeout: 15_000, interval: 200 });
  });

  it('a published review whose announcement never reached the queue is announced by the cron, and granted once', async () => {
    const o = await deliveredOrder();
    const r = await createReview(o.token, { ...ok, orderLineId: o.lineId });
    expect(r.body.status).toBe('published');
    const points = () =>
      env.DB.prepare('SELECT delta FROM points_ledger WHERE ref = ?').bind(`review:${r.body.id}`).all<{ delta: number }>();
    await vi.waitFor(async () => expect((await points()).results).toEqual([{ delta: 10 }]), { timeout: 15_000, interval: 200 });
    const announced = async () =>
      (await env.DB.prepare('SELECT announced_at AS a FROM reviews WHERE id = ?').bind(r.body.id).first<{ a: number | null }>())!.a;
    expect(await announced()).not.toBeNull();

    // as if the send had failed after the review was saved
    await env.DB.prepare('UPDATE reviews SET announced_at = NULL WHERE id = ?').bind(r.body.id).run();
    expect((await announceMissedReviews(systemCtx(Date.now()))).announced).toBe(0); // within its grace minute
    const later = systemCtx(Date.now() + 2 * 60_000);
    await Promise.all([announceMissedReviews(later), announceMissedReviews(later)]);
    expect(await announced()).not.toBeNull();
    expect((await announceMissedReviews(later)).announced).toBe(0);
    // sent again, granted once: the consumer dedupes on the review
    await new Promise((res) => setTimeout(res, 1_000));
    expect((await points()).results).toEqual([{ delta: 10 }]);
  });

  it('a copy-pasted review (near-duplicate of another) is held as duplicate', async () => {
    const spam = '强烈推荐这款产品，用了之后整个人都精神了，朋友们快来买，链接在店铺首页，买二送一活动进行中';
    const a = await deliveredOrder();
    const first = await createReview(a.token, { ...ok, text: spam, orderLineId: a.lineId });
    expect(first.body.status).toBe('published');
    const b = await deliveredOrder();
    const copy = await createReview(b.token, { ...ok, text: `${spam}！`, orderLineId: b.lineId });
    expect(copy.status).toBe(201);
    expect(copy.body.status).toBe('pending');
    expect(await reviewRow(copy.body.id)).toMatchObject({ hold_reason: 'duplicate' });
  });

  it('reject gives the shopper the reason', async () => {
    const o = await deliveredOrder();
    const r = await createReview(o.token, { ...ok, text: '全网第一的杯子', orderLineId: o.lineId });
    expect(r.body.status).toBe('pending');
    const ops = await staffToken('operator');
    expect((await api('POST', `/admin/v1/reviews/${r.body.id}/reject`, { token: ops, body: {} })).status).toBe(400);
    const j = await api('POST', `/admin/v1/reviews/${r.body.id}/reject`, { token: ops, body: { reason: '含有广告用语' } });
    expect(j.status).toBe(200);
    const mine = await api('GET', '/store/v1/me/reviews', { token: o.token });
    expect(mine.body.items[0]).toMatchObject({ status: 'rejected', rejectReason: '含有广告用语' });

    // the shopper writes it again without the claim: the same review, published (twice at once: one rewrite)
    const key = `rv-${crypto.randomUUID()}`;
    const [again, twice] = await Promise.all([
      createReview(o.token, { ...ok, text: '杯子不错，保温好', orderLineId: o.lineId }, key),
      createReview(o.token, { ...ok, text: '杯子不错，保温好', orderLineId: o.lineId }, key),
    ]);
    expect([again.status, twice.status].sort()).toEqual([200, 201]);
    expect(again.body).toMatchObject({ id: r.body.id, status: 'published', text: '杯子不错，保温好', rejectReason: null });
    expect(twice.body.id).toBe(r.body.id);
    const third = await createReview(o.token, { ...ok, text: '再写一次', orderLineId: o.lineId });
    expect(third.status).toBe(409);
    const pub = await api('GET', `/store/v1/products/${o.productId}/reviews`);
    expect(pub.body.items.map((i: { id: string }) => i.id)).toEqual([r.body.id]);
  });

  it('three reports send a published review back to moderation', async () => {
    const o = await deliveredOrder();
    const r = await createReview(o.token, { ...ok, orderLineId: o.lineId });
    const reporters = await Promise.all([someShopper(), someShopper(), someShopper()]);
    const own = await api('POST', `/store/v1/reviews/${r.body.id}/reports`, { token: o.token, body: { reason: '广告' } });
    expect(own.status).toBe(403);
    const bad = await api('POST', `/store/v1/reviews/${r.body.id}/reports`, { token: reporters[0], body: { reason: 'nope' } });
    expect(bad.status).toBe(400);
    // the first reporter twice: still one report
    const rs = await Promise.all(
      [reporters[0], ...reporters].map((t) =>
        api('POST', `/store/v1/reviews/${r.body.id}/reports`, { token: t, body: { reason: '广告' } }),
      ),
    );
    expect(rs.every((x) => x.status === 200)).toBe(true);
    expect(await reviewRow(r.body.id)).toMatchObject({ status: 'pending', hold_reason: 'reported', report_count: 3 });
    const pub = await api('GET', `/store/v1/products/${o.productId}/reviews`);
    expect(pub.body.items).toEqual([]);
  });
});

describe('follow-up, reply, helpful votes', () => {
  it('追评 once, by its author only', async () => {
    const o = await deliveredOrder();
    const r = await createReview(o.token, { ...ok, orderLineId: o.lineId });
    const stranger = await someShopper();
    const theirs = await api('POST', `/store/v1/reviews/${r.body.id}/append`, { token: stranger, body: { text: '我也觉得好' } });
    expect(theirs.status).toBe(403);
    const [a, b] = await Promise.all([
      api('POST', `/store/v1/reviews/${r.body.id}/append`, { token: o.token, body: { text: '用了一个月，依然很满意' } }),
      api('POST', `/store/v1/reviews/${r.body.id}/append`, { token: o.token, body: { text: '用了一个月，还是不错' } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const won = a.status === 200 ? a : b;
    expect(won.body.append).toMatchObject({ status: 'published' });
    const list = await api('GET', `/store/v1/products/${o.productId}/reviews?filter=append`);
    expect(list.body.items.length).toBe(1);
    expect(list.body.items[0].append.text).toBe(won.body.append.text);
    expect(list.body.summary.withAppend).toBe(1);
  });

  it("a merchant replies to its own product's reviews only; an operator to any; a reply is editable", async () => {
    const m1 = await makeMerchant();
    const m2 = await makeMerchant();
    const o = await deliveredOrder({ merchantId: m1 });
    const r = await createReview(o.token, { ...ok, orderLineId: o.lineId });
    const other = await staffToken('merchant', m2);
    const no = await api('PUT', `/admin/v1/reviews/${r.body.id}/reply`, { token: other, body: { text: '谢谢' } });
    expect(no.status).toBe(403);
    const otherList = await api('GET', '/admin/v1/reviews', { token: other });
    expect(otherList.body.items.map((i: { id: string }) => i.id)).not.toContain(r.body.id);

    const own = await staffToken('merchant', m1);
    const yes = await api('PUT', `/admin/v1/reviews/${r.body.id}/reply`, { token: own, body: { text: '感谢您的认可' } });
    expect(yes.status, JSON.stringify(yes.body)).toBe(200);
    const edit = await api('PUT', `/admin/v1/reviews/${r.body.id}/reply`, { token: own, body: { text: '感谢支持，欢迎再来' } });
    expect(edit.body.reply.text).toBe('感谢支持，欢迎再来');
    const refused = await api('PUT', `/admin/v1/reviews/${r.body.id}/reply`, { token: own, body: { text: '我们是全网第一' } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('reviews.reply_refused');
    const ownList = await api('GET', '/admin/v1/reviews', { token: own });
    expect(ownList.body.items.map((i: { id: string }) => i.id)).toContain(r.body.id);
    const pub = await api('GET', `/store/v1/products/${o.productId}/reviews`);
    expect(pub.body.items[0].reply.text).toBe('感谢支持，欢迎再来');
  });

  it('a burst of helpful votes counts each shopper once; unvoting takes one off', async () => {
    const o = await deliveredOrder();
    const r = await createReview(o.token, { ...ok, orderLineId: o.lineId });
    const voters = await Promise.all(Array.from({ length: 8 }, () => someShopper()));
    const rs = await Promise.all([...voters, ...voters].map((t) => api('PUT', `/store/v1/reviews/${r.body.id}/helpful`, { token: t })));
    expect(rs.every((x) => x.status === 200)).toBe(true);
    expect((await reviewRow(r.body.id))!.helpful_count).toBe(8);
    const un = await api('DELETE', `/store/v1/reviews/${r.body.id}/helpful`, { token: voters[0] });
    expect(un.body).toMatchObject({ votedHelpful: false, helpfulCount: 7 });
    const own = await api('PUT', `/store/v1/reviews/${r.body.id}/helpful`, { token: o.token });
    expect(own.status).toBe(403);
    const seen = await api('GET', `/store/v1/products/${o.productId}/reviews`, { token: voters[1] });
    expect(seen.body.items[0]).toMatchObject({ helpfulCount: 7, votedHelpful: true });
  });
});

describe('product page list and 待评价', () => {
  it('photos first, filters, tag counts and cursor pages; 待评价 lists the line until it is reviewed', async () => {
    const first = await deliveredOrder();
    const pending = await api('GET', '/store/v1/me/reviews/pending', { token: first.token });
    expect(pending.body.items.map((i: { orderLineId: string }) => i.orderLineId)).toContain(first.lineId);
    const plain = await createReview(first.token, { ...ok, rating: 3, tags: ['性价比高'], orderLineId: first.lineId });
    expect(plain.status).toBe(201);
    const after = await api('GET', '/store/v1/me/reviews/pending', { token: first.token });
    expect(after.body.items.map((i: { orderLineId: string }) => i.orderLineId)).not.toContain(first.lineId);

    // a second buyer of the same product reviews later, with a photo
    const s2 = await shopperWithAddress();
    const o2 = await deliveredOrder({ shopper: s2 });
    // reuse the first product: move the second order's line onto it (the helper makes a new product each time)
    await env.DB.prepare('UPDATE order_lines SET product_id = ? WHERE id = ?').bind(first.productId, o2.lineId).run();
    const photo = await uploadPhoto(s2.token);
    const withPhoto = await createReview(s2.token, { ...ok, orderLineId: o2.lineId, photoKeys: [photo.body.key] });
    expect(withPhoto.status).toBe(201);

    const all = await api('GET', `/store/v1/products/${first.productId}/reviews?limit=1`);
    expect(all.body.items[0].id).toBe(withPhoto.body.id); // photos first
    expect(all.body.summary).toMatchObject({ count: 2, average: 4, stars: { 3: 1, 5: 1 }, goodRate: 0.5, withMedia: 1 });
    expect(all.body.summary.tags).toEqual([
      { tag: '性价比高', count: 1 },
      { tag: '物流快', count: 1 },
      { tag: '质量好', count: 1 },
    ]);
    const page2 = await api('GET', `/store/v1/products/${first.productId}/reviews?limit=1&cursor=${all.body.nextCursor}`);
    expect(page2.body.items[0].id).toBe(plain.body.id);
    expect(page2.body.nextCursor).toBeNull();
    const media = await api('GET', `/store/v1/products/${first.productId}/reviews?filter=media`);
    expect(media.body.items.map((i: { id: string }) => i.id)).toEqual([withPhoto.body.id]);
    const three = await api('GET', `/store/v1/products/${first.productId}/reviews?star=3`);
    expect(three.body.items.map((i: { id: string }) => i.id)).toEqual([plain.body.id]);
    const tagged = await api('GET', `/store/v1/products/${first.productId}/reviews?tag=${encodeURIComponent('性价比高')}`);
    expect(tagged.body.items.map((i: { id: string }) => i.id)).toEqual([plain.body.id]);
    const badQ = await api('GET', `/store/v1/products/${first.productId}/reviews?filter=nope`);
    expect(badQ.status).toBe(400);
    const forged = encodeCursor({ v: 'x:y', id: 'rev_1' });
    const badCursor = await api('GET', `/store/v1/products/${first.productId}/reviews?cursor=${forged}`);
    expect(badCursor.status).toBe(400);
  });
});
