import { describe, expect, it } from 'vitest';
import { api, adminToken, env } from '../../test/helpers';
import { makeCategoryTree } from '../../test/catalog';
import { encodePng } from '../dev/png';

const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** A random 统一社会信用代码 with a correct check character. */
function creditCode(): string {
  let body = '91330106';
  while (body.length < 17) body += CHARS[Math.floor(Math.random() * CHARS.length)];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARS.indexOf(body[i]!) * WEIGHTS[i]!;
  return body + CHARS[(31 - (sum % 31)) % 31];
}

async function applicationBody(over: Record<string, unknown> = {}) {
  const admin = await adminToken();
  const { l1 } = await makeCategoryTree(admin);
  const tag = crypto.randomUUID().slice(0, 8);
  const png = await encodePng(4, 3, (x, y) => [x * 60, y * 80, 200]);
  const licence = await api('POST', '/store/v1/merchant-applications/licence', { raw: png, headers: { 'content-type': 'image/png' } });
  return {
    companyName: `杭州山川日用品有限公司${tag}`,
    creditCode: creditCode(),
    shopName: `山川旗舰店${tag}`,
    categoryId: l1,
    description: '保温杯、水杯等日用品',
    contact: { name: '王小明', phone: '13912345678', email: `contact-${tag}@shanchuan.test` },
    email: `owner-${tag}@shanchuan.test`,
    password: 'shanchuan-2026-pass',
    licenceMediaKey: licence.body.key,
    ...over,
  };
}

const countApps = async (email: string) =>
  (await env.DB.prepare('SELECT count(*) AS n FROM merchant_applications WHERE email = ?').bind(email).first<{ n: number }>())!.n;

describe('merchant application screening (合规筛查)', () => {
  it('refuses an application whose shop name carries a block-level term, with the match; nothing is stored', async () => {
    const body = await applicationBody({ shopName: '全网第一杯具店' });
    const r = await api('POST', '/store/v1/merchant-applications', { body });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('merchants.screening_blocked');
    expect(r.body.error.details.matches).toMatchObject([{ field: 'shopName', term: '全网第一', start: 0, end: 4, severity: 'block' }]);
    expect(await countApps(body.email)).toBe(0);
  });

  it('flags a review-level description for the reviewer, who sees the matches; a clean one passes', async () => {
    const admin = await adminToken();
    const body = await applicationBody({ description: '独家代理多个日本品牌，加微信了解' });
    const r = await api('POST', '/store/v1/merchant-applications', { body });
    expect(r.status).toBe(201);
    const detail = await api('GET', `/admin/v1/merchant-applications/${r.body.id}`, { token: admin });
    expect(detail.body.status).toBe('pending');
    expect(detail.body.screening.verdict).toBe('review');
    expect(detail.body.screening.matches.map((m: any) => [m.field, m.term, m.start])).toEqual([
      ['description', '独家', 0],
      ['description', '加微信', 11],
    ]);
    const list = await api('GET', '/admin/v1/merchant-applications?status=pending', { token: admin });
    expect(list.body.items.find((a: any) => a.id === r.body.id).screening.verdict).toBe('review');

    const clean = await api('POST', '/store/v1/merchant-applications', { body: await applicationBody() });
    const cleanDetail = await api('GET', `/admin/v1/merchant-applications/${clean.body.id}`, { token: admin });
    expect(cleanDetail.body.screening).toEqual({ verdict: 'pass', matches: [] });
  });
});
