import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, env, shopperToken } from '../../../test/helpers';
import { encryptPii } from '../../shared/crypto';
import { getDb } from '../../shared/db';
import { newId } from '../../shared/ids';
import { createLogger } from '../../shared/log';
import type { Ctx } from '../../shared/context';
import { getAddressForOrder } from './addresses.service';

const body = (over: Record<string, unknown> = {}) => ({
  name: '张三',
  phone: '13812348000',
  province: '浙江省',
  city: '杭州市',
  district: '西湖区',
  detail: '文三路100号5幢302室',
  postalCode: '310012',
  ...over,
});

const create = (token: string, over: Record<string, unknown> = {}) => api('POST', '/store/v1/addresses', { token, body: body(over) });
const list = async (token: string) => (await api('GET', '/store/v1/addresses', { token })).body.items as any[];
const userIdOf = async (token: string) => (await api('GET', '/store/v1/me', { token })).body.id as string;

function testCtx(): Ctx {
  return { db: getDb(env.DB), env, now: Date.now(), requestId: 't', log: createLogger(), actor: { kind: 'system', name: 'test' } };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('address book', () => {
  it('creates, the first becomes default, lists masked, shows the owner the full address', async () => {
    const token = await shopperToken('addr-basic');
    const first = await create(token);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ ...body(), isDefault: true, masked: false });
    expect(first.body.id).toMatch(/^adr_[0-9a-z]{16}$/);
    const second = await create(token, { name: '欧阳修', phone: '13900001111', detail: '人民路8号' });
    expect(second.body.isDefault).toBe(false);

    const items = await list(token);
    expect(items.map((a) => a.id)).toEqual([first.body.id, second.body.id]);
    expect(items[0]).toMatchObject({
      name: '张*',
      phone: '138****8000',
      detail: '文三路100****',
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      postalCode: '310012',
      isDefault: true,
      masked: true,
    });
    expect(items[1]).toMatchObject({ name: '欧**', phone: '139****1111', detail: '人民****', isDefault: false });

    const full = await api('GET', `/store/v1/addresses/${second.body.id}`, { token });
    expect(full.status).toBe(200);
    expect(full.body).toMatchObject({ name: '欧阳修', phone: '13900001111', detail: '人民路8号', masked: false });
  });

  it('one default at a time: set on create or update, promoted on delete', async () => {
    const token = await shopperToken('addr-default');
    const a = (await create(token, { detail: '地址甲一号楼' })).body.id;
    const b = (await create(token, { detail: '地址乙二号楼' })).body.id;
    const c = (await create(token, { detail: '地址丙三号楼', isDefault: true })).body.id;
    const defaults = async () => (await list(token)).filter((x) => x.isDefault).map((x) => x.id);
    expect(await defaults()).toEqual([c]);

    const upd = await api('PATCH', `/store/v1/addresses/${a}`, { token, body: { isDefault: true } });
    expect(upd.status).toBe(200);
    expect(upd.body.isDefault).toBe(true);
    expect(await defaults()).toEqual([a]);
    expect((await list(token))[0].id).toBe(a);

    const off = await api('PATCH', `/store/v1/addresses/${a}`, { token, body: { isDefault: false } });
    expect(off.status).toBe(409);
    expect(off.body.error.code).toBe('addresses.default_required');
    expect(await defaults()).toEqual([a]);

    // deleting the default promotes the most recently added other address (c, then b)
    expect((await api('DELETE', `/store/v1/addresses/${a}`, { token })).status).toBe(200);
    expect(await defaults()).toEqual([c]);
    expect((await api('GET', `/store/v1/addresses/${a}`, { token })).status).toBe(404);
    expect((await api('DELETE', `/store/v1/addresses/${a}`, { token })).status).toBe(404);
    // deleting a non-default leaves the default alone
    expect((await api('DELETE', `/store/v1/addresses/${b}`, { token })).status).toBe(200);
    expect(await defaults()).toEqual([c]);
    expect((await list(token)).map((x) => x.id)).toEqual([c]);
    // the deleted rows are kept (soft delete)
    const row = await env.DB.prepare('SELECT deleted_at, is_default FROM addresses WHERE id = ?')
      .bind(a)
      .first<{ deleted_at: number | null; is_default: number }>();
    expect(row!.deleted_at).toBeGreaterThan(0);
    expect(row!.is_default).toBe(0);
  });

  it('updates fields, re-encrypting personal data; null clears the postal code', async () => {
    const token = await shopperToken('addr-update');
    const id = (await create(token)).body.id;
    const before = await env.DB.prepare('SELECT phone_enc FROM addresses WHERE id = ?').bind(id).first<{ phone_enc: string }>();
    const r = await api('PATCH', `/store/v1/addresses/${id}`, { token, body: { phone: '13700007777', city: '宁波市', postalCode: null } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: '张三', phone: '13700007777', city: '宁波市', postalCode: null, detail: body().detail });
    const after = await env.DB.prepare('SELECT phone_enc FROM addresses WHERE id = ?').bind(id).first<{ phone_enc: string }>();
    expect(after!.phone_enc).not.toBe(before!.phone_enc);
    expect(after!.phone_enc).not.toContain('13700007777');
    expect((await list(token))[0].phone).toBe('137****7777');
  });

  it('holds at most 20 addresses', async () => {
    const token = await shopperToken('addr-limit');
    const rs = await Promise.all(Array.from({ length: 22 }, (_, i) => create(token, { detail: `测试路${i}号院` })));
    expect(rs.filter((r) => r.status === 201)).toHaveLength(20);
    const refused = rs.filter((r) => r.status !== 201);
    expect(refused.map((r) => r.status)).toEqual([409, 409]);
    expect(refused[0]!.body.error.code).toBe('addresses.limit_reached');
    expect(await list(token)).toHaveLength(20);
    expect((await list(token)).filter((a) => a.isDefault)).toHaveLength(1);
    await api('DELETE', `/store/v1/addresses/${rs.find((r) => r.status === 201)!.body.id}`, { token });
    expect((await create(token)).status).toBe(201);
  });

  it('validation errors are 400 with field paths', async () => {
    const token = await shopperToken('addr-validation');
    const cases: [Record<string, unknown>, string][] = [
      [{ phone: '12345678901' }, 'phone'],
      [{ phone: '1381234800' }, 'phone'],
      [{ name: '' }, 'name'],
      [{ name: '名'.repeat(21) }, 'name'],
      [{ detail: '路' }, 'detail'],
      [{ detail: '路'.repeat(121) }, 'detail'],
      [{ postalCode: '31001' }, 'postalCode'],
      [{ province: '' }, 'province'],
      [{ district: '区'.repeat(21) }, 'district'],
    ];
    for (const [over, path] of cases) {
      const r = await create(token, over);
      expect(r.status, path).toBe(400);
      expect(r.body.error.code).toBe('validation.failed');
      expect(r.body.error.details.issues.map((i: any) => i.path)).toEqual([path]);
    }
    const { city: _omit, ...noCity } = body();
    const missing = await api('POST', '/store/v1/addresses', { token, body: noCity });
    expect(missing.body.error.details.issues[0].path).toBe('city');
    const id = (await create(token)).body.id;
    const empty = await api('PATCH', `/store/v1/addresses/${id}`, { token, body: {} });
    expect(empty.status).toBe(400);
    expect((await api('GET', '/store/v1/addresses/not-an-id', { token })).body.error.details.issues[0].path).toBe('addressId');
    expect(await list(token)).toHaveLength(1);
  });

  it('needs a signed-in shopper', async () => {
    expect((await api('GET', '/store/v1/addresses')).status).toBe(401);
    expect((await api('POST', '/store/v1/addresses', { body: body() })).status).toBe(401);
  });
});

describe('address privacy', () => {
  it('another shopper cannot read, update or delete my address (404, untouched)', async () => {
    const mine = await shopperToken('addr-owner-a');
    const theirs = await shopperToken('addr-owner-b');
    const id = (await create(mine)).body.id;
    for (const r of [
      await api('GET', `/store/v1/addresses/${id}`, { token: theirs }),
      await api('PATCH', `/store/v1/addresses/${id}`, { token: theirs, body: { name: '李四', isDefault: true } }),
      await api('DELETE', `/store/v1/addresses/${id}`, { token: theirs }),
    ]) {
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('addresses.not_found');
    }
    expect(await list(theirs)).toEqual([]);
    const still = await api('GET', `/store/v1/addresses/${id}`, { token: mine });
    expect(still.body).toMatchObject({ name: '张三', isDefault: true });
  });

  it('stores name, phone and detail encrypted: no plaintext in the D1 row', async () => {
    const token = await shopperToken('addr-encrypted');
    const id = (await create(token, { name: '王小明', phone: '13655556666', detail: '滨江区江南大道3888号' })).body.id;
    const row = await env.DB.prepare('SELECT * FROM addresses WHERE id = ?').bind(id).first<Record<string, unknown>>();
    const text = JSON.stringify(row);
    for (const plain of ['王小明', '13655556666', '滨江区江南大道3888号', '3888', '5556666']) expect(text).not.toContain(plain);
    // the current (first) key encrypts; its id travels with the ciphertext
    for (const col of ['name_enc', 'phone_enc', 'detail_enc']) expect(row![col]).toMatch(/^k2\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);
    expect(row!.province).toBe('浙江省'); // regions stay plain: freight is priced by them
  });

  it('an address encrypted under the retired key k1 still reads back', async () => {
    const token = await shopperToken('addr-rotation');
    const userId = await userIdOf(token);
    const k1Only = env.PII_KEYS!.split(',').find((k) => k.startsWith('k1:'))!;
    expect(k1Only).toBeTruthy();
    const id = newId('adr');
    const now = Date.now();
    const [n, p, d] = await Promise.all([
      encryptPii(k1Only, '赵六'),
      encryptPii(k1Only, '13511112222'),
      encryptPii(k1Only, '老城区旧街道1号'),
    ]);
    expect(p.startsWith('k1.')).toBe(true);
    await env.DB.prepare(
      `INSERT INTO addresses (id, user_id, name_enc, phone_enc, province, city, district, detail_enc, postal_code, is_default, created_at, updated_at)
       VALUES (?, ?, ?, ?, '江苏省', '南京市', '玄武区', ?, NULL, 1, ?, ?)`,
    )
      .bind(id, userId, n, p, d, now, now)
      .run();
    const full = await api('GET', `/store/v1/addresses/${id}`, { token });
    expect(full.status).toBe(200);
    expect(full.body).toMatchObject({ name: '赵六', phone: '13511112222', detail: '老城区旧街道1号', city: '南京市' });
    expect((await list(token))[0]).toMatchObject({ id, name: '赵*', phone: '135****2222', detail: '老城区旧****' });
    // an edit re-encrypts under the current key
    await api('PATCH', `/store/v1/addresses/${id}`, { token, body: { phone: '13511113333' } });
    const row = await env.DB.prepare('SELECT name_enc, phone_enc FROM addresses WHERE id = ?')
      .bind(id)
      .first<{ name_enc: string; phone_enc: string }>();
    expect(row!.phone_enc.startsWith('k2.')).toBe(true);
    expect(row!.name_enc.startsWith('k1.')).toBe(true);
    expect((await api('GET', `/store/v1/addresses/${id}`, { token })).body.phone).toBe('13511113333');
  });

  it('logs never contain the name, phone or street detail', async () => {
    const lines: string[] = [];
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
    }
    const token = await shopperToken('addr-logs');
    const id = (await create(token, { name: '孙悟空', phone: '13987654321', detail: '花果山水帘洞' })).body.id;
    await list(token);
    await api('GET', `/store/v1/addresses/${id}`, { token });
    await api('PATCH', `/store/v1/addresses/${id}`, { token, body: { detail: '花果山水帘洞二号' } });
    await create(token, { name: '孙悟空', phone: '139876543', detail: '花果山水帘洞' }); // rejected: bad phone
    // the spy does see the request log, so an address leaking into it would be caught
    expect(lines.some((l) => l.includes('/store/v1/addresses'))).toBe(true);
    const all = lines.join('\n');
    for (const plain of ['孙悟空', '13987654321', '139876543', '花果山水帘洞']) expect(all).not.toContain(plain);
  });
});

describe('getAddressForOrder', () => {
  it('returns the decrypted address for its owner only, never a deleted one', async () => {
    const token = await shopperToken('addr-order');
    const other = await shopperToken('addr-order-other');
    const userId = await userIdOf(token);
    const otherId = await userIdOf(other);
    const id = (await create(token)).body.id;
    const ctx = testCtx();
    expect(await getAddressForOrder(ctx, userId, id)).toEqual({
      name: '张三',
      phone: '13812348000',
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      detail: '文三路100号5幢302室',
      postalCode: '310012',
    });
    await expect(getAddressForOrder(ctx, otherId, id)).rejects.toMatchObject({ code: 'addresses.not_found', status: 404 });
    await api('DELETE', `/store/v1/addresses/${id}`, { token });
    await expect(getAddressForOrder(ctx, userId, id)).rejects.toMatchObject({ code: 'addresses.not_found', status: 404 });
  });
});

describe('OpenAPI', () => {
  it('documents the address routes with their operationIds', async () => {
    const r = await api('GET', '/openapi.json');
    const ids = Object.values(r.body.paths as Record<string, Record<string, any>>).flatMap((p) =>
      Object.values(p).map((o) => o.operationId),
    );
    for (const id of ['listAddresses', 'createAddress', 'getAddress', 'updateAddress', 'deleteAddress']) expect(ids).toContain(id);
  });
});
