import { createCipheriv, createSign, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { env } from '../../../../test/helpers';
import { AppError } from '../../../shared/errors';
import { parseRefundResource, parseTransactionResource, verifyNotification, wechatErrorReply, wechatReply } from './notification';
import { buildSignedNotification } from '../../../dev/wechatpay-sandbox';

/**
 * A notification built the way WeChat documents it, with node's standard primitives only (no code
 * of ours): AES-256-GCM with the APIv3 key, then RSA-SHA256 with the platform private key over
 * `timestamp\nnonce\nbody\n`.
 */
function nodeSignedNotification(resource: object, opts: { timestampSec?: number; serial?: string } = {}) {
  const apiV3Key = Buffer.from(env.WECHATPAY_APIV3_KEY!, 'utf8');
  const nonce = randomBytes(6).toString('hex'); // 12 characters → 12 IV bytes
  const cipher = createCipheriv('aes-256-gcm', apiV3Key, Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from('transaction', 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(resource), 'utf8'), cipher.final(), cipher.getAuthTag()]).toString(
    'base64',
  );
  const body = JSON.stringify({
    id: 'EV-2018022511223320873',
    create_time: '2015-05-20T13:29:35+08:00',
    resource_type: 'encrypt-resource',
    event_type: 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    resource: { original_type: 'transaction', algorithm: 'AEAD_AES_256_GCM', ciphertext, associated_data: 'transaction', nonce },
  });
  const timestamp = String(opts.timestampSec ?? Math.floor(Date.now() / 1000));
  const headerNonce = randomBytes(16).toString('hex');
  const signer = createSign('RSA-SHA256');
  signer.update(`${timestamp}\n${headerNonce}\n${body}\n`, 'utf8');
  const signature = signer.sign(env.WXPAY_SANDBOX_PLATFORM_PRIVATE_KEY!, 'base64');
  const headers = new Headers({
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': headerNonce,
    'Wechatpay-Signature': signature,
    'Wechatpay-Serial': opts.serial ?? env.WECHATPAY_PLATFORM_SERIAL!,
    'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
  });
  return { headers, body, signature };
}

const paidTransaction = {
  mchid: '1900000001',
  appid: 'wx_sandbox_appid',
  out_trade_no: 'chk_0123456789abcdef',
  transaction_id: '4200000000000000000000000001',
  trade_type: 'JSAPI',
  trade_state: 'SUCCESS',
  trade_state_desc: '支付成功',
  bank_type: 'OTHERS',
  attach: '',
  success_time: '2024-05-20T13:29:35+08:00',
  payer: { openid: 'o_sandbox_shopper' },
  amount: { total: 12900, payer_total: 12900, currency: 'CNY', payer_currency: 'CNY' },
};

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

/** Changes one byte of a string at `index` to a different printable character. */
const flipByte = (s: string, index: number) => s.slice(0, index) + (s[index] === 'A' ? 'B' : 'A') + s.slice(index + 1);

describe('verifyNotification', () => {
  it('accepts a notification signed and encrypted independently with node crypto, and returns the decrypted resource', async () => {
    const { headers, body } = nodeSignedNotification(paidTransaction);
    const n = await verifyNotification(env, headers, body, Date.now());
    expect(n).toMatchObject({
      id: 'EV-2018022511223320873',
      eventType: 'TRANSACTION.SUCCESS',
      resourceType: 'encrypt-resource',
      summary: '支付成功',
      originalType: 'transaction',
    });
    expect(n.resource).toEqual(paidTransaction);
    expect(parseTransactionResource(n.resource)).toMatchObject({
      outTradeNo: 'chk_0123456789abcdef',
      transactionId: '4200000000000000000000000001',
      tradeState: 'SUCCESS',
      amountTotal: 12900,
      payerTotal: 12900,
      payerOpenid: 'o_sandbox_shopper',
      successTime: Date.UTC(2024, 4, 20, 5, 29, 35),
    });
  });

  it('rejects a one-byte change anywhere in the body with 401', async () => {
    const { headers, body } = nodeSignedNotification(paidTransaction);
    // in the envelope (the id), and inside the ciphertext
    for (const index of [body.indexOf('EV-') + 3, body.indexOf('"ciphertext":"') + 20]) {
      const err = await rejection(verifyNotification(env, headers, flipByte(body, index), Date.now()));
      expect(err.status).toBe(401);
      expect(err.code).toBe('payments.bad_notification_signature');
    }
    // a trailing space is also a changed byte
    expect((await rejection(verifyNotification(env, headers, `${body} `, Date.now()))).status).toBe(401);
  });

  it('rejects a one-byte change to the signature with 401', async () => {
    const { headers, body, signature } = nodeSignedNotification(paidTransaction);
    headers.set('Wechatpay-Signature', flipByte(signature, 10));
    const err = await rejection(verifyNotification(env, headers, body, Date.now()));
    expect(err.status).toBe(401);
    expect(err.code).toBe('payments.bad_notification_signature');
  });

  it('rejects a validly signed notification whose timestamp is 6 minutes old (replay window), in either direction', async () => {
    const now = Date.now();
    const old = nodeSignedNotification(paidTransaction, { timestampSec: Math.floor(now / 1000) - 6 * 60 });
    const err = await rejection(verifyNotification(env, old.headers, old.body, now));
    expect(err.status).toBe(401);
    expect(err.code).toBe('payments.notification_expired');
    const future = nodeSignedNotification(paidTransaction, { timestampSec: Math.floor(now / 1000) + 6 * 60 });
    expect((await rejection(verifyNotification(env, future.headers, future.body, now))).code).toBe('payments.notification_expired');
    // 4 minutes is inside the window
    const recent = nodeSignedNotification(paidTransaction, { timestampSec: Math.floor(now / 1000) - 4 * 60 });
    await expect(verifyNotification(env, recent.headers, recent.body, now)).resolves.toMatchObject({ eventType: 'TRANSACTION.SUCCESS' });
  });

  it('rejects an unknown platform serial and missing headers with 401', async () => {
    const other = nodeSignedNotification(paidTransaction, { serial: 'PUB_KEY_ID_SOMEONE_ELSE' });
    expect((await rejection(verifyNotification(env, other.headers, other.body, Date.now()))).code).toBe(
      'payments.bad_notification_signature',
    );
    for (const name of ['Wechatpay-Timestamp', 'Wechatpay-Nonce', 'Wechatpay-Signature', 'Wechatpay-Serial']) {
      const { headers, body } = nodeSignedNotification(paidTransaction);
      headers.delete(name);
      const err = await rejection(verifyNotification(env, headers, body, Date.now()));
      expect([err.status, err.code]).toEqual([401, 'payments.bad_notification_signature']);
    }
  });

  it('rejects a notification signed by another key even if everything else is right', async () => {
    const { headers, body } = nodeSignedNotification(paidTransaction);
    const s = createSign('RSA-SHA256');
    s.update(`${headers.get('Wechatpay-Timestamp')}\n${headers.get('Wechatpay-Nonce')}\n${body}\n`, 'utf8');
    headers.set('Wechatpay-Signature', s.sign(env.WECHATPAY_MCH_PRIVATE_KEY!, 'base64')); // our merchant key, not the platform's
    expect((await rejection(verifyNotification(env, headers, body, Date.now()))).status).toBe(401);
  });

  it('rejects a correctly signed notification whose resource was not encrypted with our APIv3 key', async () => {
    const wrongKeyEnv = { ...env, WECHATPAY_APIV3_KEY: 'Z'.repeat(32) };
    const { headers, body } = nodeSignedNotification(paidTransaction);
    const err = await rejection(verifyNotification(wrongKeyEnv, headers, body, Date.now()));
    expect([err.status, err.code]).toEqual([401, 'payments.bad_notification_signature']);
  });

  it('answers 503 not_configured when the platform key is missing', async () => {
    const { headers, body } = nodeSignedNotification(paidTransaction);
    const err = await rejection(verifyNotification({ ...env, WECHATPAY_PLATFORM_PUBLIC_KEY: undefined }, headers, body, Date.now()));
    expect([err.status, err.code]).toEqual([503, 'payments.not_configured']);
  });

  it('accepts what buildSignedNotification (the sandbox) produces, including a refund resource', async () => {
    const refund = {
      mchid: '1900000001',
      out_trade_no: 'chk_0123456789abcdef',
      transaction_id: '4200000000000000000000000001',
      out_refund_no: 'rfd_0123456789abcdef',
      refund_id: '50300000000000000000000000001',
      refund_status: 'SUCCESS',
      success_time: '2024-05-21T10:00:00+08:00',
      amount: { total: 12900, refund: 2000, payer_total: 12900, payer_refund: 2000 },
      user_received_account: '支付用户零钱',
    };
    const n = await buildSignedNotification(env, 'REFUND.SUCCESS', refund, 'refund');
    const v = await verifyNotification(env, new Headers(n.headers), n.body, Date.now());
    expect(v).toMatchObject({ eventType: 'REFUND.SUCCESS', summary: '退款成功', originalType: 'refund', resource: refund });
    expect(parseRefundResource(v.resource)).toMatchObject({
      outRefundNo: 'rfd_0123456789abcdef',
      refundStatus: 'SUCCESS',
      amountRefund: 2000,
      amountTotal: 12900,
    });
    expect(() => parseRefundResource({ ...refund, amount: { total: 12900 } })).toThrow(AppError);
  });
});

describe('wechatReply', () => {
  it('success is 204 with no body; failure is JSON {code:"FAIL",message} with a 4xx/5xx status', async () => {
    const ok = wechatReply(true);
    expect(ok.status).toBe(204);
    expect(await ok.text()).toBe('');
    const fail = wechatReply(false, '签名错误', 401);
    expect(fail.status).toBe(401);
    expect(await fail.json()).toEqual({ code: 'FAIL', message: '签名错误' });
    expect(wechatReply(false).status).toBe(500);
    const fromErr = wechatErrorReply(new AppError('payments.bad_notification_signature', 401, 'bad'));
    expect(fromErr.status).toBe(401);
    expect(((await fromErr.json()) as { code: string }).code).toBe('FAIL');
    expect(wechatErrorReply(new Error('boom')).status).toBe(500);
  });
});
