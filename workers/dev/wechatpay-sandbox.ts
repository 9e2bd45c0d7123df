// A local stand-in for api.mch.weixin.qq.com that speaks the same v3 protocol: it checks our
// request signatures with the merchant public key, signs every answer and notification with its
// own platform key, encrypts notification resources with the APIv3 key and keeps its state in its
// own D1 tables. Dev and tests therefore exercise exactly the code production runs; only the
// transport differs. It refuses to do anything outside sandbox mode.
import { and, eq, sql } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { batchFailure, getDb, guard, stmt } from '../shared/db';
import { isSandbox, type Env } from '../shared/env';
import { AppError } from '../shared/errors';
import { sha256Hex } from '../shared/crypto';
import { clockNow } from '../shared/clock';
import { wxpaySandboxRefunds, wxpaySandboxTransactions } from './schema';
import {
  WECHATPAY_CLOCK_SKEW_MS,
  WECHATPAY_SIGNATURE_SCHEMA,
  encryptResource,
  formatWechatTime,
  parseAuthorization,
  parseWechatTime,
  randomNonce,
  requestSignatureMessage,
  responseSignatureMessage,
  signMessage,
  unixSeconds,
  verifyMessage,
} from '../domains/payments/wechatpay/v3-crypto';

type SandboxTransaction = typeof wxpaySandboxTransactions.$inferSelect;
type SandboxRefund = typeof wxpaySandboxRefunds.$inferSelect;

interface SandboxKeys {
  mchid: string;
  mchSerial: string;
  mchPublicKey: string;
  platformSerial: string;
  platformPrivateKey: string;
  apiV3Key: string;
  appId?: string;
}

const SANDBOX_VARS = [
  'WECHATPAY_MCHID',
  'WECHATPAY_MCH_SERIAL',
  'WXPAY_SANDBOX_MCH_PUBLIC_KEY',
  'WECHATPAY_PLATFORM_SERIAL',
  'WXPAY_SANDBOX_PLATFORM_PRIVATE_KEY',
  'WECHATPAY_APIV3_KEY',
] as const;

function sandboxKeys(env: Env): SandboxKeys | { missing: string[] } {
  const missing = SANDBOX_VARS.filter((k) => !env[k]);
  if (missing.length) return { missing };
  return {
    mchid: env.WECHATPAY_MCHID!.trim(),
    mchSerial: env.WECHATPAY_MCH_SERIAL!.trim(),
    mchPublicKey: env.WXPAY_SANDBOX_MCH_PUBLIC_KEY!,
    platformSerial: env.WECHATPAY_PLATFORM_SERIAL!.trim(),
    platformPrivateKey: env.WXPAY_SANDBOX_PLATFORM_PRIVATE_KEY!,
    apiV3Key: env.WECHATPAY_APIV3_KEY!,
    appId: env.WECHAT_APP_ID || undefined,
  };
}

/** For the exported controls: 503 unless sandbox mode is on and the sandbox has its keys. */
function requireSandbox(env: Env): SandboxKeys {
  if (!isSandbox(env)) throw new AppError('payments.sandbox_disabled', 503, 'the WeChat Pay sandbox only runs in sandbox mode');
  const keys = sandboxKeys(env);
  if ('missing' in keys) {
    throw new AppError('payments.sandbox_not_configured', 503, `WeChat Pay sandbox needs ${keys.missing.join(', ')}`, {
      missing: keys.missing,
    });
  }
  return keys;
}

// ---------------------------------------------------------------------------------------------
// Signed replies

/** A WeChat-style error: HTTP status plus `{ code, message, detail? }`. */
class WxError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
  }
}

/** Signs `timestamp\nnonce\nbody\n` with the sandbox platform key, the way WeChat signs every answer. */
async function signedReply(env: Env, status: number, payload: unknown | null): Promise<Response> {
  const body = payload === null ? '' : JSON.stringify(payload);
  const headers = new Headers({ 'Request-ID': `08${randomNonce(12)}` });
  if (payload !== null) headers.set('Content-Type', 'application/json; charset=utf-8');
  const keys = sandboxKeys(env);
  if (!('missing' in keys)) {
    const timestamp = unixSeconds();
    const nonce = randomNonce();
    headers.set('Wechatpay-Timestamp', timestamp);
    headers.set('Wechatpay-Nonce', nonce);
    headers.set('Wechatpay-Signature', await signMessage(keys.platformPrivateKey, responseSignatureMessage(timestamp, nonce, body)));
    headers.set('Wechatpay-Serial', keys.platformSerial);
  }
  return new Response(status === 204 ? null : body, { status, headers });
}

// ---------------------------------------------------------------------------------------------
// Ids and shapes

function randomDigits(n: number): string {
  return [...crypto.getRandomValues(new Uint8Array(n))].map((b) => String(b % 10)).join('');
}

/** `wx` + yyyyMMddHHmmss (Beijing) + 20 hex, the 36-character shape of a real prepay_id. */
const newPrepayId = (now: number) => `wx${formatWechatTime(now).slice(0, 19).replace(/\D/g, '')}${randomNonce(10).toLowerCase()}`;
/** 28 digits starting 4200, like a real transaction_id. */
const newTransactionId = () => `4200${randomDigits(24)}`;
/** 29 digits starting 5030, like a real refund_id. */
const newRefundId = () => `5030${randomDigits(25)}`;

const TRADE_STATE_DESC: Record<SandboxTransaction['tradeState'], string> = {
  NOTPAY: '订单未支付',
  SUCCESS: '支付成功',
  CLOSED: '订单已关闭',
  REFUND: '转入退款',
};

/** The `transaction` object as WeChat returns it from queries and puts into TRANSACTION.* notifications. */
function transactionJson(t: SandboxTransaction, stateOverride?: SandboxTransaction['tradeState']): Record<string, unknown> {
  const state = stateOverride ?? t.tradeState;
  const paid = t.transactionId != null && t.successTime != null;
  const out: Record<string, unknown> = {
    appid: t.appid,
    mchid: t.mchid,
    out_trade_no: t.outTradeNo,
    trade_state: state,
    trade_state_desc: TRADE_STATE_DESC[state],
    amount: { total: t.amountTotal, currency: 'CNY', payer_currency: 'CNY' },
  };
  if (paid) {
    Object.assign(out, {
      transaction_id: t.transactionId,
      trade_type: 'JSAPI',
      bank_type: 'OTHERS',
      attach: '',
      success_time: formatWechatTime(t.successTime!),
      payer: { openid: t.payerOpenid },
      amount: { total: t.amountTotal, payer_total: t.amountTotal, currency: 'CNY', payer_currency: 'CNY' },
    });
  }
  return out;
}

/** The `refund` object as WeChat returns it from the refund APIs. */
function refundJson(r: SandboxRefund, t: SandboxTransaction): Record<string, unknown> {
  return {
    refund_id: r.refundId,
    out_refund_no: r.outRefundNo,
    transaction_id: t.transactionId,
    out_trade_no: r.outTradeNo,
    channel: 'ORIGINAL',
    user_received_account: '支付用户零钱',
    ...(r.successTime != null ? { success_time: formatWechatTime(r.successTime) } : {}),
    create_time: formatWechatTime(r.createdAt),
    status: r.status,
    funds_account: 'AVAILABLE',
    amount: {
      total: r.amountTotal,
      refund: r.amountRefund,
      from: [],
      payer_total: r.amountTotal,
      payer_refund: r.amountRefund,
      settlement_refund: r.amountRefund,
      settlement_total: r.amountTotal,
      discount_refund: 0,
      currency: 'CNY',
      refund_fee: 0,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Request validation (the rules WeChat documents for these fields)

const OUT_TRADE_NO = z
  .string()
  .min(6)
  .max(32)
  .regex(/^[0-9A-Za-z_\-|*]+$/, 'only digits, letters and _-|*');
const NOTIFY_URL = z
  .string()
  .max(256)
  .refine((s) => {
    // WeChat: an absolute URL that carries no query string (https in production; http allowed here for localhost).
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && !u.search && !u.hash;
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL without query parameters');

const PrepayBody = z.object({
  appid: z.string().min(1).max(32),
  mchid: z.string().min(1).max(32),
  description: z.string().min(1).max(127),
  out_trade_no: OUT_TRADE_NO,
  time_expire: z
    .string()
    .refine((s) => parseWechatTime(s) !== undefined, 'must be RFC 3339 with an offset')
    .optional(),
  attach: z.string().max(128).optional(),
  notify_url: NOTIFY_URL,
  amount: z.object({ total: z.number().int().min(1), currency: z.literal('CNY').optional() }),
  payer: z.object({ openid: z.string().min(1).max(128) }),
});

const CloseBody = z.object({ mchid: z.string().min(1) });

const RefundBody = z
  .object({
    transaction_id: z.string().min(1).max(32).optional(),
    out_trade_no: OUT_TRADE_NO.optional(),
    out_refund_no: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[0-9A-Za-z_\-|*@]+$/, 'only digits, letters and _-|*@'),
    reason: z.string().min(1).max(80).optional(),
    notify_url: NOTIFY_URL.optional(),
    funds_account: z.string().optional(),
    amount: z.object({ refund: z.number().int().min(1), total: z.number().int().min(1), currency: z.literal('CNY') }),
  })
  .refine((b) => b.transaction_id || b.out_trade_no, { message: 'transaction_id or out_trade_no is required', path: ['out_trade_no'] });

async function parseBody<S extends z.ZodType>(c: Context<{ Bindings: Env }>, schema: S): Promise<z.infer<S>> {
  let json: unknown;
  try {
    json = JSON.parse(await c.req.text());
  } catch {
    throw new WxError(400, 'PARAM_ERROR', '请求体不是合法的JSON');
  }
  const r = schema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const field = issue.path.join('.') || '(body)';
    throw new WxError(400, 'PARAM_ERROR', `参数错误: ${field} ${issue.message}`, { field, location: 'body', issue: issue.message });
  }
  return r.data;
}

// ---------------------------------------------------------------------------------------------
// The app

/** The sandbox "api.mch.weixin.qq.com": mount nowhere, call `wxpaySandboxApp.fetch(request, env)` in-process. */
export const wxpaySandboxApp = new Hono<{ Bindings: Env }>();

wxpaySandboxApp.use('*', async (c, next) => {
  if (!isSandbox(c.env)) return c.json({ code: 'SANDBOX_DISABLED', message: 'the WeChat Pay sandbox only runs in sandbox mode' }, 503);
  const keys = sandboxKeys(c.env);
  if ('missing' in keys) return c.json({ code: 'SANDBOX_NOT_CONFIGURED', message: `set ${keys.missing.join(', ')}` }, 503);

  // Authentication exactly as WeChat does it: the signature covers method, path+query, timestamp, nonce and the raw body.
  const auth = parseAuthorization(c.req.header('Authorization'));
  if (!auth) throw new WxError(401, 'SIGN_ERROR', `Authorization 头缺失或不是 ${WECHATPAY_SIGNATURE_SCHEMA}`);
  if (auth.mchid !== keys.mchid) throw new WxError(401, 'SIGN_ERROR', '商户号不存在或与证书不匹配');
  if (auth.serialNo !== keys.mchSerial) throw new WxError(401, 'SIGN_ERROR', '商户证书序列号不正确');
  if (!/^\d{1,12}$/.test(auth.timestamp) || Math.abs(Date.now() - Number(auth.timestamp) * 1000) > WECHATPAY_CLOCK_SKEW_MS) {
    throw new WxError(401, 'SIGN_ERROR', '请求时间戳与当前时间相差过大');
  }
  const url = new URL(c.req.url);
  const body = c.req.method === 'GET' || c.req.method === 'HEAD' ? '' : await c.req.text();
  const message = requestSignatureMessage(c.req.method, `${url.pathname}${url.search}`, auth.timestamp, auth.nonceStr, body);
  if (!(await verifyMessage(keys.mchPublicKey, message, auth.signature))) throw new WxError(401, 'SIGN_ERROR', '签名错误');
  await next();
});

wxpaySandboxApp.onError(async (err, c) => {
  if (err instanceof WxError) {
    return signedReply(c.env, err.status, {
      code: err.code,
      message: err.message,
      ...(err.detail !== undefined ? { detail: err.detail } : {}),
    });
  }
  console.error('wxpay sandbox error', err);
  return signedReply(c.env, 500, { code: 'SYSTEM_ERROR', message: '系统错误' });
});

wxpaySandboxApp.notFound((c) => signedReply(c.env, 404, { code: 'NOT_FOUND', message: `sandbox has no ${c.req.method} ${c.req.path}` }));

/** JSAPI prepay. Same out_trade_no with the same amount/payer → the same prepay_id; different → INVALID_REQUEST. */
wxpaySandboxApp.post('/v3/pay/transactions/jsapi', async (c) => {
  const keys = requireSandbox(c.env);
  const b = await parseBody(c, PrepayBody);
  if (b.mchid !== keys.mchid) throw new WxError(400, 'PARAM_ERROR', '请求体中的 mchid 与请求头不一致');
  if (keys.appId && b.appid !== keys.appId) throw new WxError(400, 'APPID_MCHID_NOT_MATCH', 'appid和mch_id不匹配');
  const db = getDb(c.env.DB);
  const now = Date.now();
  // Insert-or-keep, then judge the stored row: concurrent identical prepays agree on one prepay_id.
  await db
    .insert(wxpaySandboxTransactions)
    .values({
      outTradeNo: b.out_trade_no,
      mchid: b.mchid,
      appid: b.appid,
      description: b.description,
      amountTotal: b.amount.total,
      payerOpenid: b.payer.openid,
      notifyUrl: b.notify_url,
      prepayId: newPrepayId(now),
      createdAt: now,
    })
    .onConflictDoNothing();
  const [t] = await db.select().from(wxpaySandboxTransactions).where(eq(wxpaySandboxTransactions.outTradeNo, b.out_trade_no));
  if (!t) throw new WxError(500, 'SYSTEM_ERROR', '系统错误');
  if (t.amountTotal !== b.amount.total || t.payerOpenid !== b.payer.openid || t.appid !== b.appid) {
    throw new WxError(400, 'INVALID_REQUEST', '201 商户订单号重复: 同一笔交易不能以不同参数多次提交');
  }
  if (t.tradeState === 'SUCCESS' || t.tradeState === 'REFUND') throw new WxError(400, 'ORDERPAID', '该订单已支付');
  if (t.tradeState === 'CLOSED') throw new WxError(400, 'ORDER_CLOSED', '该订单已关闭');
  // WeChat lets the merchant refresh the notify_url while the order is unpaid.
  if (t.notifyUrl !== b.notify_url) {
    await db.update(wxpaySandboxTransactions).set({ notifyUrl: b.notify_url }).where(eq(wxpaySandboxTransactions.outTradeNo, t.outTradeNo));
  }
  return signedReply(c.env, 200, { prepay_id: t.prepayId });
});

wxpaySandboxApp.get('/v3/pay/transactions/out-trade-no/:outTradeNo', async (c) => {
  const keys = requireSandbox(c.env);
  const mchid = c.req.query('mchid');
  if (!mchid) throw new WxError(400, 'PARAM_ERROR', '缺少参数 mchid', { field: 'mchid', location: 'query' });
  if (mchid !== keys.mchid) throw new WxError(400, 'PARAM_ERROR', 'mchid 与请求头不一致', { field: 'mchid', location: 'query' });
  const [t] = await getDb(c.env.DB)
    .select()
    .from(wxpaySandboxTransactions)
    .where(eq(wxpaySandboxTransactions.outTradeNo, c.req.param('outTradeNo')));
  if (!t) throw new WxError(404, 'ORDER_NOT_EXIST', '订单不存在');
  return signedReply(c.env, 200, transactionJson(t));
});

wxpaySandboxApp.post('/v3/pay/transactions/out-trade-no/:outTradeNo/close', async (c) => {
  const keys = requireSandbox(c.env);
  const b = await parseBody(c, CloseBody);
  if (b.mchid !== keys.mchid) throw new WxError(400, 'PARAM_ERROR', 'mchid 与请求头不一致');
  const db = getDb(c.env.DB);
  const outTradeNo = c.req.param('outTradeNo');
  // Only an unpaid order closes; the guard in WHERE keeps a concurrent payment from being closed over.
  const closed = await db
    .update(wxpaySandboxTransactions)
    .set({ tradeState: 'CLOSED' })
    .where(and(eq(wxpaySandboxTransactions.outTradeNo, outTradeNo), eq(wxpaySandboxTransactions.tradeState, 'NOTPAY')))
    .returning({ outTradeNo: wxpaySandboxTransactions.outTradeNo });
  if (closed.length) return signedReply(c.env, 204, null);
  const [t] = await db.select().from(wxpaySandboxTransactions).where(eq(wxpaySandboxTransactions.outTradeNo, outTradeNo));
  if (!t) throw new WxError(404, 'ORDER_NOT_EXIST', '订单不存在');
  if (t.tradeState === 'CLOSED') return signedReply(c.env, 204, null); // closing twice is fine at WeChat
  throw new WxError(400, 'ORDERPAID', '该订单已支付,不能关闭');
});

wxpaySandboxApp.post('/v3/refund/domestic/refunds', async (c) => {
  requireSandbox(c.env);
  const b = await parseBody(c, RefundBody);
  const db = getDb(c.env.DB);
  const [t] = await db
    .select()
    .from(wxpaySandboxTransactions)
    .where(
      b.out_trade_no
        ? eq(wxpaySandboxTransactions.outTradeNo, b.out_trade_no)
        : eq(wxpaySandboxTransactions.transactionId, b.transaction_id!),
    );
  if (!t) throw new WxError(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
  if (b.transaction_id && t.transactionId !== b.transaction_id)
    throw new WxError(400, 'INVALID_REQUEST', 'transaction_id 与 out_trade_no 不匹配');

  const existing = async () => {
    const [r] = await db.select().from(wxpaySandboxRefunds).where(eq(wxpaySandboxRefunds.outRefundNo, b.out_refund_no));
    if (!r) return null;
    // Retrying one refund is idempotent at WeChat; reusing its number for something else is not.
    if (r.outTradeNo !== t.outTradeNo || r.amountRefund !== b.amount.refund) {
      throw new WxError(400, 'INVALID_REQUEST', '退款单号重复: 同一退款单号的参数与之前不一致');
    }
    return signedReply(c.env, 200, refundJson(r, t));
  };
  const again = await existing();
  if (again) return again;

  if (t.tradeState !== 'SUCCESS' && t.tradeState !== 'REFUND') throw new WxError(400, 'INVALID_REQUEST', '订单未支付,不能退款');
  if (b.amount.total !== t.amountTotal) throw new WxError(400, 'INVALID_REQUEST', '订单金额与原订单金额不一致');
  if (t.refundedTotal + b.amount.refund > t.amountTotal) throw new WxError(400, 'NOT_ENOUGH', '申请退款金额超过订单可退金额');

  const now = Date.now();
  const refund: SandboxRefund = {
    outRefundNo: b.out_refund_no,
    outTradeNo: t.outTradeNo,
    refundId: newRefundId(),
    amountRefund: b.amount.refund,
    amountTotal: t.amountTotal,
    status: 'PROCESSING',
    notifyUrl: b.notify_url ?? null,
    createdAt: now,
    successTime: null,
  };
  const d1 = c.env.DB;
  try {
    // One atomic batch: the guard re-checks the refundable balance at write time, so concurrent
    // refunds can never together exceed the amount (the read above is only for the error message).
    await d1.batch([
      guard(
        d1,
        `(SELECT refunded_total + ? <= amount_total AND trade_state IN ('SUCCESS','REFUND') FROM wxpay_sandbox_transactions WHERE out_trade_no = ?)`,
        b.amount.refund,
        t.outTradeNo,
      ),
      stmt(
        d1,
        db
          .update(wxpaySandboxTransactions)
          .set({ refundedTotal: sql`${wxpaySandboxTransactions.refundedTotal} + ${b.amount.refund}`, tradeState: 'REFUND' })
          .where(eq(wxpaySandboxTransactions.outTradeNo, t.outTradeNo)),
      ),
      stmt(d1, db.insert(wxpaySandboxRefunds).values(refund)),
    ]);
  } catch (err) {
    const kind = batchFailure(err);
    if (kind === 'unique') {
      const raced = await existing();
      if (raced) return raced;
    }
    if (kind === 'guard') throw new WxError(400, 'NOT_ENOUGH', '申请退款金额超过订单可退金额');
    throw err;
  }
  return signedReply(c.env, 200, refundJson(refund, { ...t, tradeState: 'REFUND' }));
});

wxpaySandboxApp.get('/v3/refund/domestic/refunds/:outRefundNo', async (c) => {
  requireSandbox(c.env);
  const db = getDb(c.env.DB);
  const [r] = await db
    .select()
    .from(wxpaySandboxRefunds)
    .where(eq(wxpaySandboxRefunds.outRefundNo, c.req.param('outRefundNo')));
  if (!r) throw new WxError(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
  const [t] = await db.select().from(wxpaySandboxTransactions).where(eq(wxpaySandboxTransactions.outTradeNo, r.outTradeNo));
  if (!t) throw new WxError(500, 'SYSTEM_ERROR', '系统错误');
  return signedReply(c.env, 200, refundJson(r, t));
});

// ---------------------------------------------------------------------------------------------
// Notifications and the sandbox controls

/** A notification as WeChat would POST it: deliver `body` with `headers` to the notify URL. */
export interface SignedNotification {
  id: string;
  eventType: string;
  headers: Record<string, string>;
  body: string;
}

/** The delivery function the controls call; in the app it hands the request to our own notify route. */
export type NotificationDeliver = (req: Request) => Promise<Response>;

/** Builds the POST WeChat would send to `url` (a fresh Request each time, so a notification can be replayed). */
export function notificationRequest(url: string, n: SignedNotification): Request {
  return new Request(url, { method: 'POST', headers: n.headers, body: n.body });
}

const SUMMARIES: Record<string, string> = {
  'TRANSACTION.SUCCESS': '支付成功',
  'REFUND.SUCCESS': '退款成功',
  'REFUND.ABNORMAL': '退款异常',
  'REFUND.CLOSED': '退款关闭',
};

/**
 * WeChat repeats a notification's id on every retry. Deriving it from the event and the object
 * makes a second sandboxPay of the same transaction a faithful "retry", which is what receivers
 * must dedupe.
 */
async function stableNotificationId(eventType: string, key: string): Promise<string> {
  const h = await sha256Hex(`${eventType}:${key}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const NONCE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** 12 characters: their bytes are the 96-bit GCM IV, as in WeChat's notifications. */
const resourceNonce = () => [...crypto.getRandomValues(new Uint8Array(12))].map((b) => NONCE_ALPHABET[b % NONCE_ALPHABET.length]).join('');

/**
 * Builds a notification exactly as WeChat sends it: the resource JSON encrypted with the APIv3 key
 * (AEAD_AES_256_GCM, associated_data = originalType), the envelope signed with the sandbox platform
 * key over `timestamp\nnonce\nbody\n`, and the Wechatpay-* headers. `now` (epoch ms) sets
 * create_time and the signature timestamp, so tests can build stale notifications. 503 outside sandbox.
 */
export async function buildSignedNotification(
  env: Env,
  eventType: string,
  resourceObject: Record<string, unknown>,
  originalType: 'transaction' | 'refund' | string,
  options: { id?: string; now?: number; summary?: string } = {},
): Promise<SignedNotification> {
  const keys = requireSandbox(env);
  // The shop's clock (moved forward on a dev server): the notification must look fresh to it.
  const now = options.now ?? clockNow();
  const nonce = resourceNonce();
  const ciphertext = await encryptResource(keys.apiV3Key, JSON.stringify(resourceObject), nonce, originalType);
  const id = options.id ?? crypto.randomUUID();
  const body = JSON.stringify({
    id,
    create_time: formatWechatTime(now),
    resource_type: 'encrypt-resource',
    event_type: eventType,
    summary: options.summary ?? SUMMARIES[eventType] ?? eventType,
    resource: { original_type: originalType, algorithm: 'AEAD_AES_256_GCM', ciphertext, associated_data: originalType, nonce },
  });
  const timestamp = unixSeconds(now);
  const headerNonce = randomNonce();
  const signature = await signMessage(keys.platformPrivateKey, responseSignatureMessage(timestamp, headerNonce, body));
  return {
    id,
    eventType,
    body,
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': 'Mozilla/4.0',
      'Wechatpay-Serial': keys.platformSerial,
      'Wechatpay-Signature': signature,
      'Wechatpay-Signature-Type': WECHATPAY_SIGNATURE_SCHEMA,
      'Wechatpay-Timestamp': timestamp,
      'Wechatpay-Nonce': headerNonce,
    },
  };
}

export interface SandboxDelivery {
  /** The notify URL the notification went to. */
  url: string;
  notification: SignedNotification;
  /** HTTP status our notify endpoint answered; 0 when `deliver` threw. */
  status: number;
  /** What `deliver` threw, if it did. */
  deliveryError?: string;
}

async function deliverTo(url: string, notification: SignedNotification, deliver: NotificationDeliver): Promise<SandboxDelivery> {
  try {
    const res = await deliver(notificationRequest(url, notification));
    await res.body?.cancel();
    return { url, notification, status: res.status };
  } catch (err) {
    // WeChat would simply retry later; report it so the caller can see the endpoint failed.
    return { url, notification, status: 0, deliveryError: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * "The shopper paid": marks the sandbox transaction SUCCESS (new transaction_id, success_time now)
 * and delivers a signed TRANSACTION.SUCCESS notification to its notify_url through `deliver`.
 * Paying an already-paid transaction changes nothing and re-delivers the same notification id (a
 * WeChat retry). 404 `payments.sandbox_transaction_not_found`, 409 `payments.sandbox_transaction_closed`,
 * 503 outside sandbox.
 */
export async function sandboxPay(
  env: Env,
  outTradeNo: string,
  deliver: NotificationDeliver,
): Promise<SandboxDelivery & { transaction: Record<string, unknown> }> {
  requireSandbox(env);
  const db = getDb(env.DB);
  // RFC 3339 carries seconds; storing whole seconds keeps queries and notifications identical.
  // The shop's clock, so a payment made while a dev server lives in the future is stamped then.
  const now = Math.floor(clockNow() / 1000) * 1000;
  await db
    .update(wxpaySandboxTransactions)
    .set({ tradeState: 'SUCCESS', transactionId: newTransactionId(), successTime: now })
    .where(and(eq(wxpaySandboxTransactions.outTradeNo, outTradeNo), eq(wxpaySandboxTransactions.tradeState, 'NOTPAY')));
  const [t] = await db.select().from(wxpaySandboxTransactions).where(eq(wxpaySandboxTransactions.outTradeNo, outTradeNo));
  if (!t) throw new AppError('payments.sandbox_transaction_not_found', 404, `no sandbox transaction ${outTradeNo} (prepay first)`);
  if (t.tradeState === 'CLOSED')
    throw new AppError('payments.sandbox_transaction_closed', 409, `sandbox transaction ${outTradeNo} is closed`);
  const transaction = transactionJson(t, 'SUCCESS');
  const notification = await buildSignedNotification(env, 'TRANSACTION.SUCCESS', transaction, 'transaction', {
    id: await stableNotificationId('TRANSACTION.SUCCESS', t.transactionId!),
  });
  return { ...(await deliverTo(t.notifyUrl, notification, deliver)), transaction };
}

/**
 * "WeChat finished the refund": marks the sandbox refund SUCCESS and delivers a signed
 * REFUND.SUCCESS notification to the refund's notify_url (else the transaction's) through
 * `deliver`. Completing twice re-delivers the same notification id. 404
 * `payments.sandbox_refund_not_found`, 409 `payments.sandbox_refund_not_successful`, 503 outside sandbox.
 */
export async function sandboxCompleteRefund(
  env: Env,
  outRefundNo: string,
  deliver: NotificationDeliver,
): Promise<SandboxDelivery & { refund: Record<string, unknown> }> {
  const keys = requireSandbox(env);
  const db = getDb(env.DB);
  const now = Math.floor(clockNow() / 1000) * 1000;
  await db
    .update(wxpaySandboxRefunds)
    .set({ status: 'SUCCESS', successTime: now })
    .where(and(eq(wxpaySandboxRefunds.outRefundNo, outRefundNo), eq(wxpaySandboxRefunds.status, 'PROCESSING')));
  const [r] = await db.select().from(wxpaySandboxRefunds).where(eq(wxpaySandboxRefunds.outRefundNo, outRefundNo));
  if (!r) throw new AppError('payments.sandbox_refund_not_found', 404, `no sandbox refund ${outRefundNo}`);
  if (r.status !== 'SUCCESS')
    throw new AppError('payments.sandbox_refund_not_successful', 409, `sandbox refund ${outRefundNo} is ${r.status}`);
  const [t] = await db.select().from(wxpaySandboxTransactions).where(eq(wxpaySandboxTransactions.outTradeNo, r.outTradeNo));
  if (!t) throw new AppError('payments.sandbox_transaction_not_found', 404, `no sandbox transaction ${r.outTradeNo}`);
  const refund = {
    mchid: keys.mchid,
    out_trade_no: r.outTradeNo,
    transaction_id: t.transactionId,
    out_refund_no: r.outRefundNo,
    refund_id: r.refundId,
    refund_status: 'SUCCESS',
    success_time: formatWechatTime(r.successTime!),
    amount: { total: r.amountTotal, refund: r.amountRefund, payer_total: r.amountTotal, payer_refund: r.amountRefund },
    user_received_account: '支付用户零钱',
  };
  const notification = await buildSignedNotification(env, 'REFUND.SUCCESS', refund, 'refund', {
    id: await stableNotificationId('REFUND.SUCCESS', r.refundId),
  });
  return { ...(await deliverTo(r.notifyUrl ?? t.notifyUrl, notification, deliver)), refund };
}
