// 老带新 through the API: codes and share data, binding on the first sign-in only (never
// re-bound), bindReferral's rules, settings validation and who may do what.
import { beforeAll, describe, expect, it } from 'vitest';
import { api, adminToken, env, shopperToken, staffToken } from '../../../../test/helpers';
import { newInviteCode } from './codes';
import { maskNickname } from './referrals.service';

let admin: string;
const programme = {
  enabled: true,
  inviterReward: { type: 'points', points: 200, perYuan: 0 },
  inviteeReward: { type: 'points', points: 0, perYuan: 1 },
  dailyCap: 10,
  minOrderAmount: 0,
  shareTitle: '{nickname}送你{reward}',
};

const uid = () => crypto.randomUUID().slice(0, 8);
/** A new shopper signed in through an invite link (sandbox WeChat login). */
const signIn = (code: string, extra: Record<string, unknown> = {}) => api('POST', '/store/v1/auth/wx-login', { body: { code, ...extra } });
const referralOf = (token: string) => api('GET', '/store/v1/me/referral', { token });

beforeAll(async () => {
  admin = await adminToken();
  const r = await api('PUT', '/admin/v1/referrals/settings', { token: admin, body: programme });
  expect(r.status).toBe(200);
});

describe('invite codes and share data', () => {
  it('codes are 8 unambiguous characters, random, one per shopper; the share card carries the code', async () => {
    const codes = new Set(Array.from({ length: 200 }, newInviteCode));
    expect(codes.size).toBe(200);
    for (const c of codes) expect(c).toMatch(/^[2-9A-HJKMNP-TV-Z]{8}$/);

    const token = await shopperToken(`inviter-${uid()}`);
    const [a, b] = await Promise.all([referralOf(token), referralOf(token)]); // concurrent first calls agree
    expect(a.status).toBe(200);
    expect(b.body.code).toBe(a.body.code);
    const me = a.body;
    expect(me.enabled).toBe(true);
    expect(me.share.path).toBe(`/member/invite/index?inviteCode=${me.code}`);
    expect(me.share.qrPage).toBe('member/invite/index');
    expect(me.share.qrScene).toBe(`i=${me.code}`);
    expect(me.share.qrScene.length).toBeLessThanOrEqual(32);
    expect(me.share.title).toContain('首单积分翻倍');
    expect(me.inviterReward.label).toBe('200积分');
    expect(me.rules.join('')).toContain('每天最多获得10位好友的奖励');
    expect(me.totals).toEqual({ invited: 0, ordered: 0, rewarded: 0, invalid: 0, points: 0, cash: 0, coupons: 0 });

    const preview = await api('GET', `/store/v1/referral/invites/${me.code.toLowerCase()}`);
    expect(preview.status).toBe(200);
    expect(preview.body.inviteeReward.type).toBe('points');
    expect((await api('GET', '/store/v1/referral/invites/AAAAAAAA')).body.error.code).toBe('members.invite_code_not_found');
    expect(maskNickname('张三丰')).toBe('张*丰');
    expect(maskNickname('微信用户ab12')).toBe('微***2');
  });
});

describe('binding', () => {
  it('binds a shopper on the sign-in that creates them, never an existing one, and never re-binds', async () => {
    const aToken = await shopperToken(`a-${uid()}`);
    const codeA = (await referralOf(aToken)).body.code as string;
    const cToken = await shopperToken(`c-${uid()}`);
    const codeC = (await referralOf(cToken)).body.code as string;

    // an existing shopper signing in through A's link is not bound
    const old = `old-${uid()}`;
    await shopperToken(old);
    expect((await signIn(old, { inviteCode: codeA })).status).toBe(200);

    const bCode = `b-${uid()}`;
    const first = await signIn(bCode, { inviteCode: codeA.toLowerCase(), deviceId: `dev-${uid()}` });
    expect(first.status).toBe(200);
    expect(first.body.isNew).toBe(true);
    // a later sign-in through C's link does not move B
    expect((await signIn(bCode, { inviteCode: codeC })).status).toBe(200);
    const b = first.body.accessToken as string;
    expect((await referralOf(b)).body.invitedBy).toEqual({ nickname: expect.any(String), boundAt: expect.any(String) });
    expect((await referralOf(b)).body.canBind).toBe(false);
    // nor can B's bindReferral
    expect((await api('POST', '/store/v1/me/referral/bind', { token: b, body: { inviteCode: codeC } })).body.error.code).toBe(
      'members.already_bound',
    );

    const friendsA = (await referralOf(aToken)).body;
    expect(friendsA.friends).toHaveLength(1);
    expect(friendsA.friends[0]).toMatchObject({ status: 'registered', reason: null });
    expect(friendsA.totals.invited).toBe(1);
    expect((await referralOf(cToken)).body.friends).toHaveLength(0);

    // an unknown code never fails the sign-in, and binds nothing
    const lost = await signIn(`lost-${uid()}`, { inviteCode: 'ZZZZZZZZ' });
    expect(lost.status).toBe(200);
    expect((await referralOf(lost.body.accessToken)).body.invitedBy).toBeNull();
    // a malformed one is a 400, like any bad field
    expect((await signIn(`bad-${uid()}`, { inviteCode: 'no!' })).body.error.code).toBe('validation.failed');
  });

  it('concurrent first sign-ins through two links bind the shopper once', async () => {
    const [t1, t2] = await Promise.all([shopperToken(`p-${uid()}`), shopperToken(`q-${uid()}`)]);
    const [c1, c2] = await Promise.all([referralOf(t1), referralOf(t2)]).then((r) => r.map((x) => x.body.code as string));
    const code = `burst-${uid()}`;
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => signIn(code, { inviteCode: i % 2 ? c1 : c2 })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const ids = new Set(results.map((r) => r.body.user.id));
    expect(ids.size).toBe(1);
    const rows = await env.DB.prepare('SELECT count(*) AS n FROM referrals WHERE invitee_id = ?')
      .bind([...ids][0])
      .first<{ n: number }>();
    expect(rows!.n).toBe(1);
  });

  it('bindReferral: within 24 h of registering and before any order, once, not one’s own or a circle', async () => {
    const aToken = await shopperToken(`a2-${uid()}`);
    const codeA = (await referralOf(aToken)).body.code as string;
    // self-invite
    expect((await api('POST', '/store/v1/me/referral/bind', { token: aToken, body: { inviteCode: codeA } })).body.error.code).toBe(
      'members.self_invite',
    );

    const e = await signIn(`e-${uid()}`);
    const eToken = e.body.accessToken as string;
    expect((await referralOf(eToken)).body.canBind).toBe(true);
    const bind = () => api('POST', '/store/v1/me/referral/bind', { token: eToken, body: { inviteCode: codeA, deviceId: `dev-${uid()}` } });
    const [x, y] = await Promise.all([bind(), bind()]);
    expect([x.status, y.status]).toEqual([200, 200]); // a retry answers the same binding
    expect(x.body.boundAt).toBe(y.body.boundAt);
    expect((await referralOf(aToken)).body.friends).toHaveLength(1);

    // A cannot now take E's code: they would invite each other
    const codeE = (await referralOf(eToken)).body.code as string;
    const circ = await api('POST', '/store/v1/me/referral/bind', { token: aToken, body: { inviteCode: codeE } });
    expect(circ.status).toBe(409);
    expect(circ.body.error.code).toBe('members.referral_circular');

    // too late: registered 25 hours ago
    const late = await signIn(`late-${uid()}`);
    await env.DB.prepare('UPDATE users SET created_at = ? WHERE id = ?')
      .bind(Date.now() - 25 * 3600_000, late.body.user.id)
      .run();
    const tooLate = await api('POST', '/store/v1/me/referral/bind', { token: late.body.accessToken, body: { inviteCode: codeA } });
    expect(tooLate.status).toBe(409);
    expect(tooLate.body.error.code).toBe('members.bind_window_closed');

    // unknown and malformed codes
    const other = (await signIn(`o-${uid()}`)).body.accessToken as string;
    expect((await api('POST', '/store/v1/me/referral/bind', { token: other, body: { inviteCode: 'ZZZZZZZZ' } })).status).toBe(404);
    const bad = await api('POST', '/store/v1/me/referral/bind', { token: other, body: { inviteCode: '0000' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation.failed');
  });
});

describe('authorisation and settings', () => {
  it('shopper routes need a shopper; admin routes need members.read / members.write', async () => {
    expect((await api('GET', '/store/v1/me/referral')).status).toBe(401);
    expect((await api('POST', '/store/v1/me/referral/bind', { body: { inviteCode: 'ABCDEFGH' } })).status).toBe(401);
    expect((await api('GET', '/store/v1/me/referral', { token: admin })).status).toBe(403);

    const shopper = await shopperToken(`s-${uid()}`);
    await env.DB.prepare(
      "INSERT OR IGNORE INTO merchants (id, name, status, commission_bps, created_at) VALUES ('mch_reftest', '山野茶铺', 'active', 500, 0)",
    ).run();
    const [support, merchant] = await Promise.all([staffToken('support'), staffToken('merchant', 'mch_reftest')]);
    const period = '?from=2026-01-01&to=2026-01-31';
    expect((await api('GET', '/admin/v1/referrals/settings')).status).toBe(401);
    expect((await api('GET', '/admin/v1/referrals/settings', { token: shopper })).status).toBe(403);
    expect((await api('GET', '/admin/v1/referrals/settings', { token: merchant })).status).toBe(403);
    expect((await api('GET', `/admin/v1/referrals/leaderboard${period}`, { token: merchant })).status).toBe(403);
    // support reads, changes nothing
    expect((await api('GET', '/admin/v1/referrals/settings', { token: support })).status).toBe(200);
    expect((await api('GET', `/admin/v1/referrals/fraud-report${period}`, { token: support })).status).toBe(200);
    expect((await api('PUT', '/admin/v1/referrals/settings', { token: support, body: programme })).status).toBe(403);
    expect((await api('POST', '/admin/v1/referrals/rfl_0000000000000000/revoke', { token: support, body: { note: '核查' } })).status).toBe(
      403,
    );
    expect((await api('POST', '/admin/v1/referrals/rfl_0000000000000000/revoke', { token: admin, body: { note: '核查' } })).status).toBe(
      404,
    );
  });

  it('validates settings and periods', async () => {
    const put = (body: unknown) => api('PUT', '/admin/v1/referrals/settings', { token: admin, body });
    expect((await put({ ...programme, dailyCap: 0 })).body.error.code).toBe('validation.failed');
    expect((await put({ ...programme, inviterReward: { type: 'cash', amount: -5 } })).body.error.code).toBe('validation.failed');
    expect((await put({ ...programme, inviterReward: { type: 'points', points: 0, perYuan: 0 } })).body.error.code).toBe(
      'validation.failed',
    );
    // a coupon template that is not for referrals
    const t = await api('POST', '/admin/v1/coupon-templates', {
      token: admin,
      body: { name: '领券中心券', kind: 'amount_off', amountOff: 500, validDays: 7, totalQuantity: 10, channels: ['storefront'] },
    });
    expect(t.status).toBe(201);
    const wrong = await put({ ...programme, inviteeReward: { type: 'coupon', couponTemplateId: t.body.id } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('members.coupon_not_referral');
    expect((await api('GET', '/admin/v1/referrals/settings', { token: admin })).body.inviteeReward.type).toBe('points'); // unchanged

    const q = (s: string) => api('GET', `/admin/v1/referrals/leaderboard${s}`, { token: admin });
    expect((await q('?from=2026-02-01&to=2026-01-01')).status).toBe(400);
    expect((await q('?from=2026-02-30&to=2026-03-01')).status).toBe(400);
    expect((await q('?from=2020-01-01&to=2026-01-01')).status).toBe(400);
    expect((await api('GET', '/admin/v1/referrals', { token: admin })).status).toBe(400);
  });
});
