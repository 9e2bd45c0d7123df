import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, createSign, createVerify, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { env } from '../../../../test/helpers';
import {
  buildAuthorization,
  decryptResource,
  encryptResource,
  formatWechatTime,
  importPrivateKey,
  importPublicKey,
  parseAuthorization,
  parseWechatTime,
  requestPaymentParams,
  signMessage,
  verifyMessage,
} from './v3-crypto';

// Cross-checks against node's own RSA/AES (nodejs_compat), an implementation independent of
// WebCrypto: if our message layout or encoding drifted, these would disagree.
const mchPrivatePem = env.WECHATPAY_MCH_PRIVATE_KEY!;
const mchPublicPem = env.WXPAY_SANDBOX_MCH_PUBLIC_KEY!;

function nodeVerify(publicPem: string, message: string, signatureB64: string): boolean {
  const v = createVerify('RSA-SHA256');
  v.update(message, 'utf8');
  return v.verify(publicPem, signatureB64, 'base64');
}

describe('RSA signatures', () => {
  it('signMessage verifies with node createVerify, and verifyMessage accepts node createSign', async () => {
    const message = 'GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n';
    const ours = await signMessage(mchPrivatePem, message);
    expect(nodeVerify(mchPublicPem, message, ours)).toBe(true);
    expect(nodeVerify(mchPublicPem, `${message}x`, ours)).toBe(false);

    const s = createSign('RSA-SHA256');
    s.update('中文 body\n', 'utf8');
    const theirs = s.sign(mchPrivatePem, 'base64');
    expect(await verifyMessage(mchPublicPem, '中文 body\n', theirs)).toBe(true);
    expect(await verifyMessage(mchPublicPem, '中文 body!', theirs)).toBe(false);
  });

  it('verifyMessage returns false (not a throw) for garbage signatures', async () => {
    expect(await verifyMessage(mchPublicPem, 'm', '')).toBe(false);
    expect(await verifyMessage(mchPublicPem, 'm', '%%%not-base64')).toBe(false);
    expect(await verifyMessage(mchPublicPem, 'm', 'AAAA')).toBe(false);
    expect(await verifyMessage(mchPublicPem, 'm', 'WECHATPAY/SIGNTEST/abc')).toBe(false);
  });

  it('imports are cached per PEM and tolerate escaped newlines; wrong PEM types are refused clearly', async () => {
    expect(await importPrivateKey(mchPrivatePem)).toBe(await importPrivateKey(mchPrivatePem));
    expect(await importPublicKey(mchPublicPem)).toBe(await importPublicKey(mchPublicPem));
    const escaped = mchPrivatePem.replace(/\n/g, '\\n');
    const sig = await signMessage(escaped, 'hello');
    expect(nodeVerify(mchPublicPem, 'hello', sig)).toBe(true);

    const pkcs1 = createPrivateKey(mchPrivatePem).export({ type: 'pkcs1', format: 'pem' }).toString();
    await expect(importPrivateKey(pkcs1)).rejects.toThrow(/PKCS#8/);
    await expect(importPublicKey(mchPrivatePem)).rejects.toThrow(/PRIVATE KEY/);
    const der = createPublicKey(mchPublicPem).export({ type: 'spki', format: 'der' });
    // bare base64 (no armour) is accepted too — some secret stores strip the header lines
    expect(await verifyMessage(Buffer.from(der).toString('base64'), 'hello', sig)).toBe(true);
  });
});

describe('Authorization header', () => {
  it('has the exact v3 layout and its signature verifies with node over METHOD\\nURL\\nts\\nnonce\\nbody\\n', async () => {
    const body = JSON.stringify({ appid: 'wx_sandbox_appid', amount: { total: 100 } });
    const header = await buildAuthorization({
      mchid: '1900000001',
      serialNo: 'ABC123',
      privateKey: mchPrivatePem,
      method: 'post',
      urlPathWithQuery: '/v3/pay/transactions/jsapi',
      body,
      timestamp: 1554208460,
      nonce: '593BEC0C930BF1AFEB40B4A08C8FB242',
    });
    expect(header).toMatch(
      /^WECHATPAY2-SHA256-RSA2048 mchid="1900000001",nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242",signature="[A-Za-z0-9+/=]+",timestamp="1554208460",serial_no="ABC123"$/,
    );
    const parsed = parseAuthorization(header)!;
    expect(parsed).toMatchObject({
      mchid: '1900000001',
      nonceStr: '593BEC0C930BF1AFEB40B4A08C8FB242',
      timestamp: '1554208460',
      serialNo: 'ABC123',
    });
    const expected = `POST\n/v3/pay/transactions/jsapi\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n${body}\n`;
    expect(nodeVerify(mchPublicPem, expected, parsed.signature)).toBe(true);
    // GET signs an empty body line
    const get = parseAuthorization(
      await buildAuthorization({
        mchid: '1',
        serialNo: 's',
        privateKey: mchPrivatePem,
        method: 'GET',
        urlPathWithQuery: '/v3/x?mchid=1',
        body: '',
        timestamp: 1,
        nonce: 'n',
      }),
    )!;
    expect(nodeVerify(mchPublicPem, 'GET\n/v3/x?mchid=1\n1\nn\n\n', get.signature)).toBe(true);
  });

  it('parseAuthorization refuses other schemes, missing fields and repeated fields', () => {
    expect(parseAuthorization(null)).toBeNull();
    expect(parseAuthorization('Bearer abc')).toBeNull();
    expect(parseAuthorization('WECHATPAY2-SHA256-RSA2048 mchid="1",nonce_str="n",timestamp="1",serial_no="s"')).toBeNull();
    expect(
      parseAuthorization('WECHATPAY2-SHA256-RSA2048 mchid="1",mchid="2",nonce_str="n",signature="x",timestamp="1",serial_no="s"'),
    ).toBeNull();
  });
});

describe('AEAD_AES_256_GCM resources', () => {
  const apiV3Key = env.WECHATPAY_APIV3_KEY!;

  it('decrypts what node aes-256-gcm encrypts (ciphertext ‖ tag, nonce and AAD as UTF-8)', async () => {
    const nonce = 'fdasflkja484';
    const plain = JSON.stringify({ out_trade_no: 'chk_1', note: '退款成功' });
    const c = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
    c.setAAD(Buffer.from('transaction', 'utf8'));
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final(), c.getAuthTag()]).toString('base64');
    expect(await decryptResource(apiV3Key, { ciphertext: ct, nonce, associated_data: 'transaction' })).toBe(plain);
    // wrong AAD, wrong key or a flipped byte all fail the tag
    await expect(decryptResource(apiV3Key, { ciphertext: ct, nonce, associated_data: 'refund' })).rejects.toThrow();
    await expect(decryptResource('x'.repeat(32), { ciphertext: ct, nonce, associated_data: 'transaction' })).rejects.toThrow();
    const bytes = Buffer.from(ct, 'base64');
    bytes[0]! ^= 1;
    await expect(
      decryptResource(apiV3Key, { ciphertext: bytes.toString('base64'), nonce, associated_data: 'transaction' }),
    ).rejects.toThrow();
  });

  it('encryptResource output decrypts with node', async () => {
    const nonce = randomBytes(6).toString('hex');
    const ct = Buffer.from(await encryptResource(apiV3Key, '{"a":1}', nonce, 'refund'), 'base64');
    const d = createDecipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
    d.setAAD(Buffer.from('refund', 'utf8'));
    d.setAuthTag(ct.subarray(ct.length - 16));
    expect(Buffer.concat([d.update(ct.subarray(0, ct.length - 16)), d.final()]).toString('utf8')).toBe('{"a":1}');
  });

  it('refuses an APIv3 key that is not 32 bytes', async () => {
    await expect(encryptResource('short', 'x', 'n'.repeat(12), 'a')).rejects.toThrow(/32 bytes/);
  });
});

describe('wx.requestPayment parameters', () => {
  it('paySign is SHA256withRSA over appId\\ntimeStamp\\nnonceStr\\npackage\\n and verifies with node', async () => {
    const p = await requestPaymentParams({
      appId: 'wx_sandbox_appid',
      prepayId: 'wx201410272009395522657a690389285100',
      privateKey: mchPrivatePem,
      timestamp: 1414561699,
      nonce: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS',
    });
    expect(p).toMatchObject({
      appId: 'wx_sandbox_appid',
      timeStamp: '1414561699',
      nonceStr: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS',
      package: 'prepay_id=wx201410272009395522657a690389285100',
      signType: 'RSA',
    });
    const message = 'wx_sandbox_appid\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx201410272009395522657a690389285100\n';
    expect(nodeVerify(mchPublicPem, message, p.paySign)).toBe(true);
    expect(nodeVerify(mchPublicPem, message.replace('1414561699', '1414561700'), p.paySign)).toBe(false);
  });
});

describe('v3 time format', () => {
  it('formats epoch ms as RFC 3339 Beijing time and parses any offset back', () => {
    const ms = Date.UTC(2024, 4, 20, 5, 29, 35);
    expect(formatWechatTime(ms)).toBe('2024-05-20T13:29:35+08:00');
    expect(parseWechatTime('2024-05-20T13:29:35+08:00')).toBe(ms);
    expect(parseWechatTime('2024-05-20T05:29:35Z')).toBe(ms);
    expect(parseWechatTime('2024-05-20 13:29:35')).toBeUndefined();
    expect(parseWechatTime(undefined)).toBeUndefined();
  });
});
