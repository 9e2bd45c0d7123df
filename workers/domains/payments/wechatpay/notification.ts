// Incoming WeChat Pay notifications (支付通知 / 退款结果通知). Nothing in a notification is
// believed until the whole check passes: headers, replay window, platform serial, signature over
// the raw body, then decryption. Anything less is a 401 and no processing at all.
import { z } from 'zod';
import type { Env } from '../../../shared/env';
import { AppError } from '../../../shared/errors';
import {
  WECHATPAY_CLOCK_SKEW_MS,
  WECHATPAY_SIGNATURE_SCHEMA,
  decryptResource,
  parseWechatTime,
  responseSignatureMessage,
  verifyMessage,
} from './v3-crypto';

export interface VerifiedNotification {
  /** Unique per notification; WeChat's retries of one notification repeat it (dedupe on it). */
  id: string;
  /** e.g. TRANSACTION.SUCCESS, REFUND.SUCCESS, REFUND.ABNORMAL, REFUND.CLOSED */
  eventType: string;
  /** 'encrypt-resource' */
  resourceType: string;
  summary: string;
  /** As sent (RFC 3339), when present. */
  createTime?: string;
  /** 'transaction' | 'refund' */
  originalType?: string;
  /** The decrypted resource JSON. */
  resource: Record<string, unknown>;
}

const badSignature = (reason: string) =>
  new AppError('payments.bad_notification_signature', 401, 'WeChat Pay notification failed verification', { reason });

const Envelope = z.object({
  id: z.string().min(1),
  create_time: z.string().optional(),
  resource_type: z.string(),
  event_type: z.string().min(1),
  summary: z.string().default(''),
  resource: z.object({
    algorithm: z.string(),
    ciphertext: z.string().min(1),
    nonce: z.string().min(1),
    associated_data: z.string().optional(),
    original_type: z.string().optional(),
  }),
});

/**
 * Verifies and decrypts one notification. `rawBody` must be the body exactly as received (the
 * signature covers its bytes; never re-serialise parsed JSON). `now` is epoch ms.
 *
 * Throws AppError 401 `payments.bad_notification_signature` (missing headers, unknown serial, bad
 * signature, undecryptable resource), 401 `payments.notification_expired` (timestamp more than 5
 * minutes from `now` either way — a replay), or 503 `payments.not_configured`.
 */
export async function verifyNotification(env: Env, headers: Headers, rawBody: string, now: number): Promise<VerifiedNotification> {
  const missing = (['WECHATPAY_PLATFORM_SERIAL', 'WECHATPAY_PLATFORM_PUBLIC_KEY', 'WECHATPAY_APIV3_KEY'] as const).filter((k) => !env[k]);
  if (missing.length)
    throw new AppError('payments.not_configured', 503, `WeChat Pay is not configured: set ${missing.join(', ')}`, { missing });

  const timestamp = headers.get('Wechatpay-Timestamp');
  const nonce = headers.get('Wechatpay-Nonce');
  const signature = headers.get('Wechatpay-Signature');
  const serial = headers.get('Wechatpay-Serial');
  if (!timestamp || !nonce || !signature || !serial) throw badSignature('missing Wechatpay-Timestamp/Nonce/Signature/Serial header');
  const signatureType = headers.get('Wechatpay-Signature-Type');
  if (signatureType && signatureType !== WECHATPAY_SIGNATURE_SCHEMA) throw badSignature(`unsupported signature type ${signatureType}`);

  if (!/^\d{1,12}$/.test(timestamp)) throw badSignature('malformed timestamp');
  if (Math.abs(now - Number(timestamp) * 1000) > WECHATPAY_CLOCK_SKEW_MS) {
    throw new AppError('payments.notification_expired', 401, 'WeChat Pay notification timestamp is outside the 5-minute window', {
      timestamp: Number(timestamp),
    });
  }
  // Checked before the signature: with a rotated platform key the serial says which key to use,
  // and a serial we do not know means a key we do not have.
  if (serial.trim() !== env.WECHATPAY_PLATFORM_SERIAL!.trim()) throw badSignature(`unknown platform serial ${serial}`);
  // WeChat's own probes send signatures starting WECHATPAY/SIGNTEST/: they must fail here, and do.
  const valid = await verifyMessage(env.WECHATPAY_PLATFORM_PUBLIC_KEY!, responseSignatureMessage(timestamp, nonce, rawBody), signature);
  if (!valid) throw badSignature('signature does not match');

  let envelope: z.infer<typeof Envelope>;
  try {
    envelope = Envelope.parse(JSON.parse(rawBody));
  } catch {
    throw badSignature('body is not a WeChat Pay notification');
  }
  if (envelope.resource_type !== 'encrypt-resource' || envelope.resource.algorithm !== 'AEAD_AES_256_GCM') {
    throw badSignature(`unsupported resource ${envelope.resource_type}/${envelope.resource.algorithm}`);
  }
  let resource: unknown;
  try {
    resource = JSON.parse(await decryptResource(env.WECHATPAY_APIV3_KEY!, envelope.resource));
  } catch {
    // Signed by WeChat yet undecryptable: our APIv3 key is wrong. 401 makes WeChat retry once it is fixed.
    throw badSignature('resource does not decrypt with the APIv3 key');
  }
  if (!resource || typeof resource !== 'object' || Array.isArray(resource)) throw badSignature('resource is not a JSON object');
  return {
    id: envelope.id,
    eventType: envelope.event_type,
    resourceType: envelope.resource_type,
    summary: envelope.summary,
    createTime: envelope.create_time,
    originalType: envelope.resource.original_type,
    resource: resource as Record<string, unknown>,
  };
}

/**
 * The reply WeChat expects from a notify URL: success is HTTP 204 with no body (WeChat accepts
 * 200 or 204); failure is 4xx/5xx with `{"code":"FAIL","message":"…"}`, after which WeChat retries
 * (15s, 15s, 30s, 3m, 10m, … over about a day).
 */
export function wechatReply(ok: boolean, message = 'failed', status?: number): Response {
  if (ok) return new Response(null, { status: status ?? 204 });
  return new Response(JSON.stringify({ code: 'FAIL', message }), {
    status: status ?? 500,
    headers: { 'Content-Type': 'application/json' },
  });
}

/** A failure reply for a thrown error: an AppError keeps its status (401, 503, …), anything else is 500. */
export function wechatErrorReply(err: unknown): Response {
  if (err instanceof AppError) return wechatReply(false, `${err.code}: ${err.message}`, err.status >= 400 ? err.status : 500);
  return wechatReply(false, 'internal error', 500);
}

// ---- Typed views of the decrypted resources, so callers compare numbers and ids, not unknowns. ----

const badResource = (what: string, issues: z.core.$ZodIssue[]) =>
  new AppError('payments.bad_notification_resource', 400, `WeChat Pay ${what} resource has an unexpected shape`, {
    issues: issues.map((i) => `${i.path.join('.')}: ${i.message}`),
  });

const TransactionResource = z.object({
  mchid: z.string(),
  appid: z.string(),
  out_trade_no: z.string(),
  transaction_id: z.string(),
  trade_type: z.string(),
  trade_state: z.string(),
  success_time: z.string().optional(),
  attach: z.string().optional(),
  payer: z.object({ openid: z.string() }).partial().optional(),
  amount: z.object({
    total: z.number().int(),
    payer_total: z.number().int().optional(),
    currency: z.string().optional(),
  }),
});

export interface TransactionNotice {
  mchid: string;
  appid: string;
  outTradeNo: string;
  transactionId: string;
  tradeType: string;
  tradeState: string;
  /** Epoch ms. */
  successTime?: number;
  payerOpenid?: string;
  /** Integer fen ordered. */
  amountTotal: number;
  /** Integer fen paid by the shopper. */
  payerTotal?: number;
  currency?: string;
  attach?: string;
}

/** The decrypted `transaction` resource of TRANSACTION.SUCCESS, typed; 400 `payments.bad_notification_resource` if malformed. */
export function parseTransactionResource(resource: Record<string, unknown>): TransactionNotice {
  const r = TransactionResource.safeParse(resource);
  if (!r.success) throw badResource('transaction', r.error.issues);
  const t = r.data;
  return {
    mchid: t.mchid,
    appid: t.appid,
    outTradeNo: t.out_trade_no,
    transactionId: t.transaction_id,
    tradeType: t.trade_type,
    tradeState: t.trade_state,
    successTime: parseWechatTime(t.success_time),
    payerOpenid: t.payer?.openid,
    amountTotal: t.amount.total,
    payerTotal: t.amount.payer_total,
    currency: t.amount.currency,
    attach: t.attach,
  };
}

const RefundResource = z.object({
  mchid: z.string(),
  out_trade_no: z.string(),
  transaction_id: z.string(),
  out_refund_no: z.string(),
  refund_id: z.string(),
  refund_status: z.string(),
  success_time: z.string().optional(),
  user_received_account: z.string().optional(),
  amount: z.object({
    total: z.number().int(),
    refund: z.number().int(),
    payer_total: z.number().int().optional(),
    payer_refund: z.number().int().optional(),
  }),
});

export interface RefundNotice {
  mchid: string;
  outTradeNo: string;
  transactionId: string;
  outRefundNo: string;
  refundId: string;
  /** SUCCESS | CLOSED | ABNORMAL */
  refundStatus: string;
  /** Epoch ms. */
  successTime?: number;
  amountTotal: number;
  amountRefund: number;
  payerTotal?: number;
  payerRefund?: number;
  userReceivedAccount?: string;
}

/** The decrypted `refund` resource of REFUND.* notifications, typed; 400 `payments.bad_notification_resource` if malformed. */
export function parseRefundResource(resource: Record<string, unknown>): RefundNotice {
  const r = RefundResource.safeParse(resource);
  if (!r.success) throw badResource('refund', r.error.issues);
  const t = r.data;
  return {
    mchid: t.mchid,
    outTradeNo: t.out_trade_no,
    transactionId: t.transaction_id,
    outRefundNo: t.out_refund_no,
    refundId: t.refund_id,
    refundStatus: t.refund_status,
    successTime: parseWechatTime(t.success_time),
    amountTotal: t.amount.total,
    amountRefund: t.amount.refund,
    payerTotal: t.amount.payer_total,
    payerRefund: t.amount.payer_refund,
    userReceivedAccount: t.user_received_account,
  };
}
