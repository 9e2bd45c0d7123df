import { describe, expect, it } from 'vitest';
import { api, adminToken, env, staffToken } from '../../test/helpers';
import { makeCategoryTree, productBody } from '../../test/catalog';
import { makeMerchant, paidOrder } from '../../test/aftersales';
import { encodePng } from '../dev/png';
import { isValidCreditCode } from '../domains/merchants/dto';

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

const PASSWORD = 'shanchuan-2026-pass';
const rnd = () => crypto.randomUUID().slice(0, 8);

async function uploadLicence(): Promise<string> {
  const png = await encodePng(4, 3, (x, y) => [x * 60, y * 80, 200]);
  const r = await api('POST', '/store/v1/merchant-applications/licence', { raw: png, headers: { 'content-type': 'image/png' } });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.key as string;
}

async function applicationBody(over: Record<string, unknown> = {}) {
  const admin = await adminToken();
  const { l1 } = await makeCategoryTree(admin);
  const tag = rnd();
  return {
    companyName: `杭州山川日用品有限公司${tag}`,
    creditCode: creditCode(),
    shopName: `山川旗舰店${tag}`,
    categoryId: l1,
    description: '保温杯、水杯等日用品',
    contact: { name: '王小明', phone: '13912345678', email: `contact-${tag}@shanchuan.test` },
    email: `owner-${tag}@shanchuan.test`,
    password: PASSWORD,
    licenceMediaKey: await uploadLicence(),
    ...over,
  };
}

async function apply(over: Record<string, unknown> = {}) {
  const body = await applicationBody(over);
  const r = await api('POST', '/store/v1/merchant-applications', { body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return { id: r.body.id as string, body };
}

const countApps = async (email: string) =>
  (await env.DB.prepare('SELECT count(*) AS n FROM merchant_applications WHERE email = ?').bind(email).first<{ n: number }>())!.n;

describe('merchant onboarding (商户入驻)', () => {
  it('checks the 统一社会信用代码 check character', () => {
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y4')).toBe(false);
    expect(isValidCreditCode('91350100M000100I43')).toBe(false);
    for (let i = 0; i < 20; i++) expect(isValidCreditCode(creditCode())).toBe(true);
  });

  it('full path: licence, apply, review, approve at 800 bps, merchant signs in and sells only after operator review', async () => {
    const admin = await adminToken();
    const { id, body } = await apply();

    // the applicant checks progress without an account
    const status = await api('GET', `/store/v1/merchant-applications/${id}?email=${encodeURIComponent(body.email.toUpperCase())}`);
    expect(status.status, JSON.stringify(status.body)).toBe(200);
    expect(status.body).toMatchObject({ id, status: 'pending', reason: null });
    expect((await api('GET', `/store/v1/merchant-applications/${id}?email=someone@else.test`)).status).toBe(404);

    // contact and password are never stored in clear
    const row = (await env.DB.prepare('SELECT contact_enc, password_hash FROM merchant_applications WHERE id = ?')
      .bind(id)
      .first<{ contact_enc: string; password_hash: string }>())!;
    expect(row.contact_enc).not.toContain('13912345678');
    expect(row.contact_enc).not.toContain('王小明');
    expect(row.password_hash).toMatch(/^pbkdf2-sha256\$/);
    expect(row.password_hash).not.toContain(PASSWORD);

    // admin lists (phone masked) and opens it (full contact, licence URL that serves the image)
    const list = await api('GET', '/admin/v1/merchant-applications?status=pending&limit=100', { token: admin });
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    const item = list.body.items.find((a: any) => a.id === id);
    expect(item).toMatchObject({ status: 'pending', shopName: body.shopName, contact: { name: '王小明', phone: '139****5678' } });
    const detail = await api('GET', `/admin/v1/merchant-applications/${id}`, { token: admin });
    expect(detail.status).toBe(200);
    expect(detail.body.contact).toEqual(body.contact);
    expect(detail.body.licenceMediaKey).toBe(body.licenceMediaKey);
    const img = await api('GET', new URL(detail.body.licenceUrl, 'http://edgemall.test').pathname);
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/png');

    // approve at 8%
    const ok = await api('POST', `/admin/v1/merchant-applications/${id}/approve`, {
      token: admin,
      body: { commissionBps: 800, note: '资料齐全' },
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const merchantId = ok.body.merchant.id as string;
    expect(merchantId).toMatch(/^mch_/);
    expect(ok.body.merchant).toMatchObject({ name: body.shopName, status: 'active', commissionBps: 800 });
    expect(ok.body.application).toMatchObject({ status: 'approved', merchantId, staffId: ok.body.staff.id, commissionBps: 800 });
    expect((await api('GET', `/store/v1/merchant-applications/${id}?email=${encodeURIComponent(body.email)}`)).body.status).toBe(
      'approved',
    );
    // approving twice is refused
    expect(
      (await api('POST', `/admin/v1/merchant-applications/${id}/approve`, { token: admin, body: { commissionBps: 800 } })).status,
    ).toBe(409);

    // the applicant signs in as merchant staff with the password given at application
    const login = await api('POST', '/admin/v1/auth/login', { body: { email: body.email, password: PASSWORD } });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    expect(login.body.staff).toMatchObject({ role: 'merchant', merchantId, email: body.email });
    const m = login.body.accessToken as string;

    // its product waits for operator review before it is on sale
    const { l3 } = await makeCategoryTree(admin);
    const p = await api('POST', '/admin/v1/products', { token: m, body: productBody(l3, { title: `山川保温杯 ${rnd()}` }) });
    expect(p.status, JSON.stringify(p.body)).toBe(201);
    expect(p.body).toMatchObject({ merchantId, status: 'pending_review' });
    expect((await api('GET', `/store/v1/products/${p.body.id}`)).status).toBe(404);
    expect((await api('POST', `/admin/v1/products/${p.body.id}/review`, { token: m, body: { decision: 'approve' } })).status).toBe(403);
    const operator = await staffToken('operator');
    const reviewed = await api('POST', `/admin/v1/products/${p.body.id}/review`, { token: operator, body: { decision: 'approve' } });
    expect(reviewed.status, JSON.stringify(reviewed.body)).toBe(200);
    expect(reviewed.body.status).toBe('on_sale');
    expect((await api('GET', `/store/v1/products/${p.body.id}`)).status).toBe(200);

    // its own merchant record and ledger, never another merchant's
    const own = await api('GET', `/admin/v1/merchants/${merchantId}`, { token: m });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id: merchantId, commissionBps: 800, status: 'active' });
    expect((await api('GET', `/admin/v1/merchants/${merchantId}/ledger`, { token: m })).status).toBe(200);
    const other = await makeMerchant();
    expect((await api('GET', `/admin/v1/merchants/${other}`, { token: m })).status).toBe(404);
    expect((await api('GET', `/admin/v1/merchants/${other}/ledger`, { token: m })).status).toBe(404);
    expect((await api('GET', '/admin/v1/merchants', { token: m })).status).toBe(403);
    expect((await api('PATCH', `/admin/v1/merchants/${merchantId}`, { token: m, body: { commissionBps: 0 } })).status).toBe(403);

    // nor another merchant's order, while the other merchant's staff can read it
    const order = await paidOrder({ merchantId: other, qty: 1 });
    expect(order.merchantId).toBe(other);
    expect([403, 404]).toContain((await api('GET', `/admin/v1/orders/${order.orderId}`, { token: m })).status);
    const otherStaff = await staffToken('merchant', other);
    expect((await api('GET', `/admin/v1/orders/${order.orderId}`, { token: otherStaff })).status).toBe(200);
  });

  it('admin lists, reads and updates merchants; other roles cannot', async () => {
    const admin = await adminToken();
    const { id } = await apply();
    const ok = await api('POST', `/admin/v1/merchant-applications/${id}/approve`, { token: admin, body: { commissionBps: 300 } });
    const merchantId = ok.body.merchant.id as string;

    const list = await api('GET', '/admin/v1/merchants?limit=100', { token: admin });
    expect(list.status).toBe(200);
    expect(list.body.items.find((x: any) => x.id === merchantId)).toMatchObject({ commissionBps: 300, status: 'active' });
    const suspended = await api('PATCH', `/admin/v1/merchants/${merchantId}`, {
      token: admin,
      body: { status: 'suspended', commissionBps: 450 },
    });
    expect(suspended.status, JSON.stringify(suspended.body)).toBe(200);
    expect(suspended.body).toMatchObject({ status: 'suspended', commissionBps: 450 });
    expect((await api('GET', `/admin/v1/merchants/${merchantId}`, { token: admin })).body).toMatchObject({
      status: 'suspended',
      commissionBps: 450,
    });
    const filtered = await api('GET', '/admin/v1/merchants?status=suspended&limit=100', { token: admin });
    expect(filtered.body.items.every((x: any) => x.status === 'suspended')).toBe(true);
    expect(filtered.body.items.some((x: any) => x.id === merchantId)).toBe(true);

    expect((await api('PATCH', `/admin/v1/merchants/${merchantId}`, { token: admin, body: { commissionBps: 5001 } })).status).toBe(400);
    expect((await api('PATCH', `/admin/v1/merchants/${merchantId}`, { token: admin, body: {} })).status).toBe(400);
    expect((await api('PATCH', '/admin/v1/merchants/mch_platform', { token: admin, body: { status: 'suspended' } })).status).toBe(409);
    expect((await api('GET', '/admin/v1/merchants/mch_doesnotexist', { token: admin })).status).toBe(404);

    for (const role of ['operator', 'support'] as const) {
      const t = await staffToken(role);
      expect((await api('GET', '/admin/v1/merchants', { token: t })).status).toBe(403);
      expect((await api('GET', `/admin/v1/merchants/${merchantId}`, { token: t })).status).toBe(403);
      expect((await api('PATCH', `/admin/v1/merchants/${merchantId}`, { token: t, body: { commissionBps: 1 } })).status).toBe(403);
    }
    expect((await api('GET', '/admin/v1/merchants')).status).toBe(401);
  });

  it('reject with a reason shows in the status check; the email may apply again', async () => {
    const admin = await adminToken();
    const { id, body } = await apply();
    expect((await api('POST', `/admin/v1/merchant-applications/${id}/reject`, { token: admin, body: {} })).status).toBe(400);
    const rej = await api('POST', `/admin/v1/merchant-applications/${id}/reject`, {
      token: admin,
      body: { reason: '营业执照照片不清晰，请重新上传' },
    });
    expect(rej.status, JSON.stringify(rej.body)).toBe(200);
    expect(rej.body.status).toBe('rejected');
    const st = await api('GET', `/store/v1/merchant-applications/${id}?email=${encodeURIComponent(body.email)}`);
    expect(st.body).toMatchObject({ status: 'rejected', reason: '营业执照照片不清晰，请重新上传' });
    expect(st.body.reviewedAt).toBeTruthy();
    // the contact email works too
    expect((await api('GET', `/store/v1/merchant-applications/${id}?email=${encodeURIComponent(body.contact.email)}`)).status).toBe(200);
    // decided: neither reject nor approve again
    expect((await api('POST', `/admin/v1/merchant-applications/${id}/reject`, { token: admin, body: { reason: '再次拒绝' } })).status).toBe(
      409,
    );
    expect(
      (await api('POST', `/admin/v1/merchant-applications/${id}/approve`, { token: admin, body: { commissionBps: 500 } })).status,
    ).toBe(409);
    // no account was created
    expect((await api('POST', '/admin/v1/auth/login', { body: { email: body.email, password: PASSWORD } })).status).toBe(401);
    // a fresh application with the same email is accepted
    const again = await api('POST', '/store/v1/merchant-applications', { body: { ...body, licenceMediaKey: await uploadLicence() } });
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(await countApps(body.email)).toBe(2);
    expect(
      (await api('GET', '/admin/v1/merchant-applications?status=rejected&limit=100', { token: admin })).body.items.some(
        (a: any) => a.id === id,
      ),
    ).toBe(true);
  });

  it('validation: bad credit code, phone, password, category, licence; duplicate emails — 400/409 with nothing written', async () => {
    const base = await applicationBody();
    const post = (over: Record<string, unknown>) => api('POST', '/store/v1/merchant-applications', { body: { ...base, ...over } });

    const bad: [Record<string, unknown>, number, string][] = [
      [{ creditCode: '91350100M000100Y44' }, 400, 'validation.failed'], // check character wrong
      [{ creditCode: '91350100M00010OY43' }, 400, 'validation.failed'], // O is not allowed
      [{ creditCode: '12345' }, 400, 'validation.failed'],
      [{ contact: { ...base.contact, phone: '12345678901' } }, 400, 'validation.failed'],
      [{ password: 'short' }, 400, 'validation.failed'],
      [{ email: 'not-an-email' }, 400, 'validation.failed'],
      [{ licenceMediaKey: undefined }, 400, 'validation.failed'],
      [{ licenceMediaKey: 'img/202611/med_0000000000000000.png' }, 400, 'media.not_found'],
      [{ categoryId: 'cat_doesnotexist00' }, 400, 'catalog.category_not_found'],
      [{ email: 'admin@edgemall.local' }, 409, 'merchants.email_taken'],
    ];
    for (const [over, status, code] of bad) {
      const r = await post(over);
      expect(r.status, `${JSON.stringify(over)} → ${JSON.stringify(r.body)}`).toBe(status);
      expect(r.body.error.code).toBe(code);
    }
    expect(await countApps(base.email)).toBe(0);
    expect(await countApps('admin@edgemall.local')).toBe(0);

    // a product image is not a licence
    const admin = await adminToken();
    const png = await encodePng(2, 2, () => [1, 2, 3]);
    const prodImg = await api('POST', '/admin/v1/media?purpose=product', {
      token: admin,
      raw: png,
      headers: { 'content-type': 'image/png' },
    });
    expect(prodImg.status).toBe(201);
    expect((await post({ licenceMediaKey: prodImg.body.key })).body.error.code).toBe('media.not_found');

    // a pending application holds its email (case-insensitively)
    expect((await post({})).status).toBe(201);
    const dup = await post({ email: base.email.toUpperCase(), licenceMediaKey: await uploadLicence() });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('merchants.application_pending');
    expect(await countApps(base.email)).toBe(1);

    // concurrent applies with one email store one application
    const email = `race-${rnd()}@shanchuan.test`;
    const race = await Promise.all([0, 1, 2].map(() => post({ email })));
    expect(race.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(await countApps(email)).toBe(1);
  });

  it('licence upload: only PNG/JPEG/WebP by magic bytes, at most 5 MiB', async () => {
    const gif = new TextEncoder().encode('GIF89a\x01\x00\x01\x00\x00\x00\x00;');
    const r1 = await api('POST', '/store/v1/merchant-applications/licence', { raw: gif, headers: { 'content-type': 'image/gif' } });
    expect(r1.status).toBe(415);
    const text = await api('POST', '/store/v1/merchant-applications/licence', { raw: 'hello', headers: { 'content-type': 'image/png' } });
    expect(text.status).toBe(415);
    const empty = await api('POST', '/store/v1/merchant-applications/licence', {
      raw: new Uint8Array(0),
      headers: { 'content-type': 'image/png' },
    });
    expect(empty.status).toBe(400);
    // PNG bytes declared as JPEG: the declaration must match
    const png = await encodePng(2, 2, () => [9, 9, 9]);
    const mismatch = await api('POST', '/store/v1/merchant-applications/licence', { raw: png, headers: { 'content-type': 'image/jpeg' } });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.code).toBe('media.content_mismatch');
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set(png);
    const tooBig = await api('POST', '/store/v1/merchant-applications/licence', { raw: big, headers: { 'content-type': 'image/png' } });
    expect(tooBig.status).toBe(413);
    // multipart with a file part works; the object is recorded as a licence
    const form = new FormData();
    form.append('file', new File([png], 'licence.png', { type: 'image/png' }));
    const ok = await api('POST', '/store/v1/merchant-applications/licence', { raw: form });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const row = await env.DB.prepare('SELECT purpose, owner_merchant_id FROM media_objects WHERE key = ?')
      .bind(ok.body.key)
      .first<{ purpose: string; owner_merchant_id: string | null }>();
    expect(row).toEqual({ purpose: 'licence', owner_merchant_id: null });
  });

  it('concurrent approvals create exactly one merchant and one staff account; operator and support get 403', async () => {
    const admin = await adminToken();
    const { id, body } = await apply();
    for (const role of ['operator', 'support'] as const) {
      const t = await staffToken(role);
      expect((await api('POST', `/admin/v1/merchant-applications/${id}/approve`, { token: t, body: { commissionBps: 800 } })).status).toBe(
        403,
      );
      expect((await api('POST', `/admin/v1/merchant-applications/${id}/reject`, { token: t, body: { reason: '不行' } })).status).toBe(403);
      expect((await api('GET', '/admin/v1/merchant-applications', { token: t })).status).toBe(403);
      expect((await api('GET', `/admin/v1/merchant-applications/${id}`, { token: t })).status).toBe(403);
    }
    expect((await api('POST', `/admin/v1/merchant-applications/${id}/approve`, { body: { commissionBps: 800 } })).status).toBe(401);
    expect(
      (await api('POST', `/admin/v1/merchant-applications/${id}/approve`, { token: admin, body: { commissionBps: 5001 } })).status,
    ).toBe(400);
    expect(
      (await api('POST', '/admin/v1/merchant-applications/mapp_doesnotexist0000/approve', { token: admin, body: { commissionBps: 800 } }))
        .status,
    ).toBe(404);

    const results = await Promise.all(
      [0, 1, 2].map(() => api('POST', `/admin/v1/merchant-applications/${id}/approve`, { token: admin, body: { commissionBps: 800 } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const merchants = await env.DB.prepare('SELECT id FROM merchants WHERE name = ?').bind(body.shopName).all<{ id: string }>();
    expect(merchants.results).toHaveLength(1);
    const staff = await env.DB.prepare('SELECT id, merchant_id, role FROM staff WHERE email = ?')
      .bind(body.email)
      .all<{ id: string; merchant_id: string; role: string }>();
    expect(staff.results).toHaveLength(1);
    expect(staff.results[0]).toMatchObject({ merchant_id: merchants.results[0]!.id, role: 'merchant' });
    const app = await env.DB.prepare('SELECT status, merchant_id, staff_id FROM merchant_applications WHERE id = ?').bind(id).first();
    expect(app).toEqual({ status: 'approved', merchant_id: merchants.results[0]!.id, staff_id: staff.results[0]!.id });
  });

  it('approval fails cleanly (409, nothing written) when the email became a staff account meanwhile', async () => {
    const admin = await adminToken();
    const { id, body } = await apply();
    const other = await makeMerchant();
    const created = await api('POST', '/admin/v1/staff', {
      token: admin,
      body: { email: body.email, name: '抢注', password: 'another-password-1', role: 'merchant', merchantId: other },
    });
    expect(created.status).toBe(201);
    const r = await api('POST', `/admin/v1/merchant-applications/${id}/approve`, { token: admin, body: { commissionBps: 800 } });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('merchants.email_taken');
    expect((await env.DB.prepare('SELECT count(*) AS n FROM merchants WHERE name = ?').bind(body.shopName).first<{ n: number }>())!.n).toBe(
      0,
    );
    expect(
      (await env.DB.prepare('SELECT status FROM merchant_applications WHERE id = ?').bind(id).first<{ status: string }>())!.status,
    ).toBe('pending');
  });

  it('lists applications in keyset pages and documents every onboarding route in OpenAPI', async () => {
    const admin = await adminToken();
    await apply();
    await apply();
    const first = await api('GET', '/admin/v1/merchant-applications?limit=1', { token: admin });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toBeTruthy();
    const second = await api('GET', `/admin/v1/merchant-applications?limit=1&cursor=${first.body.nextCursor}`, { token: admin });
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
    expect((await api('GET', '/admin/v1/merchant-applications?cursor=garbage!', { token: admin })).status).toBe(400);

    const doc = await api('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    const ops = new Set(
      Object.values(doc.body.paths as Record<string, Record<string, { operationId?: string }>>).flatMap((p) =>
        Object.values(p).map((o) => o.operationId),
      ),
    );
    for (const op of [
      'uploadMerchantLicence',
      'applyMerchant',
      'getMerchantApplicationStatus',
      'listMerchantApplications',
      'getMerchantApplication',
      'approveMerchantApplication',
      'rejectMerchantApplication',
      'listMerchants',
      'getMerchantAdmin',
      'updateMerchant',
      'getMerchantLedger',
    ])
      expect(ops.has(op), op).toBe(true);
  });
});
