import { beforeAll, describe, expect, it } from 'vitest';
import { adminToken, api, env, shopperToken, staffToken } from '../../../test/helpers';
import { DISLIKE_MIN, REPORT_MIN, REPORT_PCT } from './ratings.service';

let admin: string;
beforeAll(async () => {
  admin = await adminToken();
});

async function liveArticle() {
  const d = await api('POST', '/admin/v1/content/articles', {
    token: admin,
    body: {
      kind: 'article',
      title: '秋冬护肤小贴士',
      body: `<p>护肤 ${crypto.randomUUID()} ${Math.random()}</p>`,
      publishAt: new Date(Date.now() - 1000).toISOString(),
    },
  });
  expect((await api('POST', `/admin/v1/content/articles/${d.body.id}/submit`, { token: admin })).body.live).toBe(true);
  return d.body.id as string;
}
const shoppers = (n: number, tag: string) =>
  Promise.all(Array.from({ length: n }, (_, i) => shopperToken(`${tag}-${i}-${crypto.randomUUID().slice(0, 6)}`)));
const rate = (token: string, id: string, value: string) => api('PUT', `/store/v1/articles/${id}/reaction`, { token, body: { value } });
const report = (token: string, id: string) => api('POST', `/store/v1/articles/${id}/report`, { token, body: { reason: 'false_claim' } });
const adminView = async (id: string) => (await api('GET', `/admin/v1/content/articles/${id}`, { token: admin })).body;

describe('内容评价: ratings and reports', () => {
  it('a burst of 20 concurrent likes from one shopper counts once; switching to dislike moves it', async () => {
    const id = await liveArticle();
    const [t] = await shoppers(1, 'burst');
    const rs = await Promise.all(Array.from({ length: 20 }, () => rate(t!, id, 'like')));
    expect(rs.map((r) => r.status).every((s) => s === 200)).toBe(true);
    expect(await adminView(id)).toMatchObject({ likes: 1, dislikes: 0 });
    const page = await api('GET', `/store/v1/articles/${id}`, { token: t });
    expect(page.body).toMatchObject({ likes: 1, myReaction: 'like', reportedByMe: false });
    expect((await rate(t!, id, 'dislike')).body).toMatchObject({ likes: 0, dislikes: 1, myReaction: 'dislike' });
    expect((await api('DELETE', `/store/v1/articles/${id}/reaction`, { token: t })).body).toMatchObject({ dislikes: 0, myReaction: null });
  });

  it(`${REPORT_MIN} reports (a concurrent burst, each shopper repeating) flag it: off the storefront, listed for review; approval clears it for good`, async () => {
    const id = await liveArticle();
    const ts = await shoppers(REPORT_MIN, 'rep');
    await Promise.all(ts.slice(0, REPORT_MIN - 1).flatMap((t) => [report(t, id), report(t, id)]));
    expect(await adminView(id)).toMatchObject({ reports: REPORT_MIN - 1, flagState: 'none', status: 'scheduled' });
    expect((await report(ts[REPORT_MIN - 1]!, id)).status).toBe(200);
    const flagged = await adminView(id);
    expect(flagged).toMatchObject({ reports: REPORT_MIN, flagState: 'flagged', status: 'review', live: false });
    expect(flagged.flagReason).toContain('举报');
    expect((await api('GET', `/store/v1/articles/${id}`)).status).toBe(404);
    const list = await api('GET', '/admin/v1/content/articles?flagged=true', { token: admin });
    expect(list.body.items.map((x: any) => x.id)).toContain(id);

    const ok = await api('POST', `/admin/v1/content/articles/${id}/approve`, { token: admin });
    expect(ok.body).toMatchObject({ flagState: 'cleared', status: 'scheduled', live: true });
    const [late] = await shoppers(1, 'rep-late');
    await report(late!, id);
    expect(await adminView(id)).toMatchObject({ reports: REPORT_MIN + 1, flagState: 'cleared', live: true });
  });

  it(`${REPORT_MIN} reports among many readers (under ${REPORT_PCT}% of them) do not flag it`, async () => {
    const id = await liveArticle();
    const viewers = Math.ceil((REPORT_MIN * 100) / REPORT_PCT) + 20;
    await env.DB.batch(
      Array.from({ length: viewers }, (_, i) =>
        env.DB.prepare(
          `INSERT INTO content_events (id, content_id, subject, kind, ref, day, value, created_at) VALUES (?1, ?2, ?3, 'view', '', '2026-12-01', 0, 0)`,
        ).bind(`cev_t${i}_${id}`, id, `d:reader-${i}`),
      ),
    );
    const ts = await shoppers(REPORT_MIN, 'rep-many');
    await Promise.all(ts.map((t) => report(t, id)));
    expect(await adminView(id)).toMatchObject({ reports: REPORT_MIN, flagState: 'none', live: true });
  });

  it(`many dislikes (≥ ${DISLIKE_MIN}, most ratings) flag it; a few do not`, async () => {
    const id = await liveArticle();
    const ts = await shoppers(DISLIKE_MIN + 2, 'dis');
    await Promise.all(ts.slice(0, DISLIKE_MIN - 1).map((t) => rate(t, id, 'dislike')));
    await Promise.all(ts.slice(DISLIKE_MIN - 1, DISLIKE_MIN + 1).map((t) => rate(t, id, 'like')));
    expect(await adminView(id)).toMatchObject({ dislikes: DISLIKE_MIN - 1, likes: 2, flagState: 'none' });
    await rate(ts[DISLIKE_MIN + 1]!, id, 'dislike');
    const v = await adminView(id);
    expect(v).toMatchObject({ dislikes: DISLIKE_MIN, flagState: 'flagged', status: 'review' });
    expect(v.flagReason).toContain('差评');
  });

  it('refuses signed-out shoppers, staff, content not public and bad input', async () => {
    const id = await liveArticle();
    expect((await api('PUT', `/store/v1/articles/${id}/reaction`, { body: { value: 'like' } })).status).toBe(401);
    expect((await rate(await staffToken('operator'), id, 'like')).status).toBe(403);
    const [t] = await shoppers(1, 'bad');
    expect((await rate(t!, id, 'love')).status).toBe(400);
    expect((await api('POST', `/store/v1/articles/${id}/report`, { token: t, body: { reason: 'meh' } })).status).toBe(400);
    const draft = await api('POST', '/admin/v1/content/articles', {
      token: admin,
      body: { kind: 'article', title: '草稿', body: '<p>x</p>' },
    });
    expect((await rate(t!, draft.body.id, 'like')).status).toBe(404);
  });
});
