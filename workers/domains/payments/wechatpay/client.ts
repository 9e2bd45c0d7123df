// WeChat Pay API v3 client for a directly connected merchant (普通商户), JSAPI / mini-program.
// Every request is signed with the merchant key; no response is believed until its
// Wechatpay-Signature verifies against the platform public key. The transport is injected, so
// the same code talks to api.mch.weixin.qq.com in production and to the in-project sandbox in
// dev and tests — the sandbox is only trustworthy as a test double if nothing here knows about it.
import { z } from 'zod';
import { isSandbox, type Env } from '../../../shared/env';
import { AppError } from '../../../shared/errors';
import {
  buildAuthorization,
  formatWechatTime,
  parseWechatTime,
  randomNonce,
  requestPaymentParams,
  responseSignatureMessage,
  unixSeconds,
  verifyMessage,
  WECHATPAY_CLOCK_SKEW_MS,
  type RequestPaymentParams,
} from './v3-crypto';

export const DEFAULT_WECHATPAY_API_BASE = 'https://api.mch.weixin.qq.com';

export interface WechatPayConfig {
  mchid: string;
  /** Merchant API certificate serial (Authorization serial_no). */
  mchSerial: string;
  /** Merchant API private key, PKCS#8 PEM. */
  mchPrivateKey: string;
  /** Expected Wechatpay-Serial of responses and notifications. */
  platformSerial: string;
  /** Platform public key, SPKI PEM. */
  platformPublicKey: string;
  /** 32-byte APIv3 key (notification resources). */
  apiV3Key: string;
  /** Without trailing slash. */
  apiBase: string;
}

const REQUIRED_VARS = [
  'WECHATPAY_MCHID',
  'WECHATPAY_MCH_SERIAL',
  'WECHATPAY_MCH_PRIVATE_KEY',
  'WECHATPAY_PLATFORM_SERIAL',
  'WECHATPAY_PLATFORM_PUBLIC_KEY',
  'WECHATPAY_APIV3_KEY',
] as const;

/**
 * Reads the WeChat Pay settings from the environment. Throws AppError 503 `payments.not_configured`
 * naming every missing variable (details.missing), so a half-configured deployment says exactly what to set.
 */
export function wechatPayConfig(env: Env): WechatPayConfig {
  const missing = REQUIRED_VARS.filter((k) => !env[k]?.trim());
  if (missing.length) {
    throw new AppError('payments.not_configured', 503, `WeChat Pay is not configured: set ${missing.join(', ')}`, { missing });
  }
  const apiV3Key = env.WECHATPAY_APIV3_KEY!;
  if (new TextEncoder().encode(apiV3Key).length !== 32) {
    throw new AppError('payments.not_configured', 503, 'WeChat Pay is not configured: WECHATPAY_APIV3_KEY must be exactly 32 bytes', {
      invalid: ['WECHATPAY_APIV3_KEY'],
    });
  }
  return {
    mchid: env.WECHATPAY_MCHID!.trim(),
    mchSerial: env.WECHATPAY_MCH_SERIAL!.trim(),
    mchPrivateKey: env.WECHATPAY_MCH_PRIVATE_KEY!,
    platformSerial: env.WECHATPAY_PLATFORM_SERIAL!.trim(),
    platformPublicKey: env.WECHATPAY_PLATFORM_PUBLIC_KEY!,
    apiV3Key,
    apiBase: (env.WECHATPAY_API_BASE?.trim() || DEFAULT_WECHATPAY_API_BASE).replace(/\/+$/, ''),
  };
}

/** Sends one HTTP request; `fetch` in production, the sandbox app in-process in dev and tests. */
export type WechatPayTransport = (req: Request) => Promise<Response>;

export interface PrepayJsapiInput {
  /** The mini-program appid bound to the merchant (WECHAT_APP_ID). */
  appid: string;
  /** Shown to the shopper in the WeChat bill; ≤ 127 characters. */
  description: string;
  /** Our id for the transaction: 6–32 of [0-9A-Za-z_-|*], unique per merchant. */
  outTradeNo: string;
  /** Absolute http(s) URL without query string. */
  notifyUrl: string;
  /** Integer fen. */
  amountTotal: number;
  payerOpenid: string;
  /** Epoch ms after which WeChat refuses to take the payment. */
  timeExpire?: number;
  /** Returned verbatim in queries and notifications (≤ 128 chars). */
  attach?: string;
}

export type TradeState = 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR';

export interface TransactionStatus {
  outTradeNo: string;
  tradeState: TradeState | string;
  tradeStateDesc?: string;
  transactionId?: string;
  /** Integer fen ordered. */
  amountTotal: number;
  /** Integer fen the payer actually paid (after WeChat-side discounts). */
  payerTotal?: number;
  /** Epoch ms. */
  successTime?: number;
  payerOpenid?: string;
}

export interface RefundInput {
  outTradeNo: string;
  /** Our id for the refund (≤ 64 chars); repeating it with the same amount is idempotent at WeChat. */
  outRefundNo: string;
  reason?: string;
  notifyUrl?: string;
  /** Integer fen to refund now. */
  refund: number;
  /** Integer fen of the original transaction (WeChat checks it matches). */
  total: number;
}

export type RefundStatus = 'SUCCESS' | 'CLOSED' | 'PROCESSING' | 'ABNORMAL';

export interface RefundResult {
  refundId: string;
  outRefundNo: string;
  outTradeNo: string;
  transactionId: string;
  status: RefundStatus | string;
  amountRefund: number;
  amountTotal: number;
  /** Epoch ms, when status is SUCCESS. */
  successTime?: number;
  /** Epoch ms. */
  createTime?: number;
  userReceivedAccount?: string;
}

/** What a WeChat error reply carries; it becomes AppError.details. */
export interface WechatErrorDetails {
  /** HTTP status WeChat answered with. */
  status: number;
  /** WeChat's error code, e.g. ORDER_NOT_EXIST, PARAM_ERROR, NOT_ENOUGH, SIGN_ERROR. */
  code: string;
  message: string;
  requestId?: string;
  /** Whether the error reply carried a (verified) signature; WeChat does not sign every error. */
  signed: boolean;
  detail?: unknown;
}

const PrepayResponse = z.object({ prepay_id: z.string().min(1) });

const TransactionResponse = z.object({
  mchid: z.string().optional(),
  out_trade_no: z.string(),
  transaction_id: z.string().optional(),
  trade_state: z.string(),
  trade_state_desc: z.string().optional(),
  success_time: z.string().optional(),
  payer: z.object({ openid: z.string().optional() }).optional(),
  amount: z.object({ total: z.number().int(), payer_total: z.number().int().optional() }),
});

const RefundResponse = z.object({
  refund_id: z.string(),
  out_refund_no: z.string(),
  transaction_id: z.string(),
  out_trade_no: z.string(),
  status: z.string(),
  success_time: z.string().optional(),
  create_time: z.string().optional(),
  user_received_account: z.string().optional(),
  amount: z.object({ total: z.number().int(), refund: z.number().int() }),
});

const badSignature = (reason: string) =>
  new AppError('payments.bad_response_signature', 502, 'WeChat Pay response failed signature verification', { reason });

const unexpected = (what: string, extra?: Record<string, unknown>) =>
  new AppError('payments.wechat_error', 502, `unexpected WeChat Pay response: ${what}`, { code: 'UNEXPECTED_RESPONSE', ...extra });

/** Signed v3 calls for one merchant. Construct with {@link createWechatPayClient} unless a test needs a custom transport. */
export class WechatPayClient {
  private readonly now: () => number;

  constructor(
    readonly config: WechatPayConfig,
    private readonly transport: WechatPayTransport,
    options: { now?: () => number } = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** JSAPI prepay (`POST /v3/pay/transactions/jsapi`) → the prepay_id (valid 2 hours at WeChat). */
  async prepayJsapi(input: PrepayJsapiInput): Promise<{ prepayId: string }> {
    const body: Record<string, unknown> = {
      appid: input.appid,
      mchid: this.config.mchid,
      description: input.description,
      out_trade_no: input.outTradeNo,
      notify_url: input.notifyUrl,
      amount: { total: input.amountTotal, currency: 'CNY' },
      payer: { openid: input.payerOpenid },
    };
    if (input.timeExpire !== undefined) body.time_expire = formatWechatTime(input.timeExpire);
    if (input.attach !== undefined) body.attach = input.attach;
    const json = await this.call('POST', '/v3/pay/transactions/jsapi', body);
    const parsed = PrepayResponse.safeParse(json);
    if (!parsed.success) throw unexpected('prepay without prepay_id');
    return { prepayId: parsed.data.prepay_id };
  }

  /** `GET /v3/pay/transactions/out-trade-no/{out_trade_no}`. Unknown orders → wechat_error with details.code ORDER_NOT_EXIST. */
  async queryByOutTradeNo(outTradeNo: string): Promise<TransactionStatus> {
    const path = `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}?mchid=${encodeURIComponent(this.config.mchid)}`;
    const parsed = TransactionResponse.safeParse(await this.call('GET', path));
    if (!parsed.success) throw unexpected('transaction shape', { issues: parsed.error.issues.map((i) => i.path.join('.')) });
    const t = parsed.data;
    // A genuine signed answer about another order (replayed within the window) must not be taken for this one.
    if (t.out_trade_no !== outTradeNo || (t.mchid !== undefined && t.mchid !== this.config.mchid))
      throw unexpected('answer is about another transaction');
    return {
      outTradeNo: t.out_trade_no,
      tradeState: t.trade_state,
      tradeStateDesc: t.trade_state_desc,
      transactionId: t.transaction_id || undefined,
      amountTotal: t.amount.total,
      payerTotal: t.amount.payer_total,
      successTime: parseWechatTime(t.success_time),
      payerOpenid: t.payer?.openid || undefined,
    };
  }

  /** `POST /v3/pay/transactions/out-trade-no/{out_trade_no}/close` (204). A paid order → wechat_error details.code ORDERPAID. */
  async close(outTradeNo: string): Promise<void> {
    await this.call('POST', `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}/close`, { mchid: this.config.mchid });
  }

  /** `POST /v3/refund/domestic/refunds`. Usually answers PROCESSING; the result arrives as REFUND.* notification. */
  async refund(input: RefundInput): Promise<RefundResult> {
    const body: Record<string, unknown> = {
      out_trade_no: input.outTradeNo,
      out_refund_no: input.outRefundNo,
      amount: { refund: input.refund, total: input.total, currency: 'CNY' },
    };
    // WeChat rejects empty strings for optional fields; leave them out instead.
    if (input.reason) body.reason = input.reason;
    if (input.notifyUrl) body.notify_url = input.notifyUrl;
    const result = this.toRefund(await this.call('POST', '/v3/refund/domestic/refunds', body));
    if (result.outRefundNo !== input.outRefundNo) throw unexpected('answer is about another refund');
    return result;
  }

  /** `GET /v3/refund/domestic/refunds/{out_refund_no}`. Unknown refunds → wechat_error details.code RESOURCE_NOT_EXISTS. */
  async queryRefund(outRefundNo: string): Promise<RefundResult> {
    const result = this.toRefund(await this.call('GET', `/v3/refund/domestic/refunds/${encodeURIComponent(outRefundNo)}`));
    if (result.outRefundNo !== outRefundNo) throw unexpected('answer is about another refund');
    return result;
  }

  /** `wx.requestPayment` parameters for a prepay id, signed with this merchant's key. */
  paymentParams(appId: string, prepayId: string): Promise<RequestPaymentParams> {
    return requestPaymentParams({ appId, prepayId, privateKey: this.config.mchPrivateKey, timestamp: unixSeconds(this.now()) });
  }

  private toRefund(json: unknown): RefundResult {
    const parsed = RefundResponse.safeParse(json);
    if (!parsed.success) throw unexpected('refund shape', { issues: parsed.error.issues.map((i) => i.path.join('.')) });
    const r = parsed.data;
    return {
      refundId: r.refund_id,
      outRefundNo: r.out_refund_no,
      outTradeNo: r.out_trade_no,
      transactionId: r.transaction_id,
      status: r.status,
      amountRefund: r.amount.refund,
      amountTotal: r.amount.total,
      successTime: parseWechatTime(r.success_time),
      createTime: parseWechatTime(r.create_time),
      userReceivedAccount: r.user_received_account,
    };
  }

  /** One signed round trip; returns the verified, parsed JSON body (null for 204). */
  private async call(method: 'GET' | 'POST', pathWithQuery: string, payload?: unknown): Promise<unknown> {
    // The signature covers these exact bytes, so serialise once and send the same string.
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const authorization = await buildAuthorization({
      mchid: this.config.mchid,
      serialNo: this.config.mchSerial,
      privateKey: this.config.mchPrivateKey,
      method,
      urlPathWithQuery: pathWithQuery,
      body,
      timestamp: unixSeconds(this.now()),
      nonce: randomNonce(),
    });
    const headers: Record<string, string> = {
      Authorization: authorization,
      Accept: 'application/json',
      // WeChat rejects v3 requests without a User-Agent.
      'User-Agent': 'edgemall-wechatpay/1.0',
    };
    if (method !== 'GET') headers['Content-Type'] = 'application/json';
    const req = new Request(`${this.config.apiBase}${pathWithQuery}`, { method, headers, body: method === 'GET' ? undefined : body });

    let res: Response;
    let text: string;
    try {
      res = await this.transport(req);
      text = await res.text();
    } catch (err) {
      // The outcome is unknown (the request may have reached WeChat): callers retry with the same out_* number.
      throw new AppError('payments.wechat_unreachable', 502, 'WeChat Pay could not be reached', {
        cause: err instanceof Error ? err.message : String(err),
      });
    }

    const requestId = res.headers.get('Request-ID') ?? undefined;
    const hasSignature = res.headers.has('Wechatpay-Signature');
    // Success replies are acted on, so they must be signed. WeChat signs most errors too, and a
    // signature that is present but wrong is an attack or a key mix-up either way.
    if (res.ok || hasSignature) await this.verifyResponse(res.headers, text);

    if (!res.ok) {
      let err: { code?: unknown; message?: unknown; detail?: unknown } = {};
      try {
        err = JSON.parse(text);
      } catch {
        /* gateways answer HTML now and then */
      }
      const details: WechatErrorDetails = {
        status: res.status,
        code: typeof err.code === 'string' ? err.code : `HTTP_${res.status}`,
        message: typeof err.message === 'string' ? err.message : text.slice(0, 200),
        requestId,
        signed: hasSignature,
        ...(err.detail !== undefined ? { detail: err.detail } : {}),
      };
      throw new AppError(
        'payments.wechat_error',
        502,
        `WeChat Pay ${method} ${pathWithQuery.split('?')[0]} failed: ${details.code} ${details.message}`,
        details,
      );
    }
    if (!text) return null;
    try {
      return JSON.parse(text);
    } catch {
      throw unexpected('body is not JSON', { requestId });
    }
  }

  private async verifyResponse(headers: Headers, body: string): Promise<void> {
    const timestamp = headers.get('Wechatpay-Timestamp');
    const nonce = headers.get('Wechatpay-Nonce');
    const signature = headers.get('Wechatpay-Signature');
    const serial = headers.get('Wechatpay-Serial');
    if (!timestamp || !nonce || !signature || !serial) throw badSignature('missing Wechatpay-* signature headers');
    if (serial !== this.config.platformSerial) throw badSignature(`unknown platform serial ${serial}`);
    if (!/^\d{1,12}$/.test(timestamp) || Math.abs(this.now() - Number(timestamp) * 1000) > WECHATPAY_CLOCK_SKEW_MS) {
      throw badSignature('timestamp outside the 5-minute window');
    }
    const ok = await verifyMessage(this.config.platformPublicKey, responseSignatureMessage(timestamp, nonce, body), signature);
    if (!ok) throw badSignature('signature does not match');
  }
}

/** Anything with a Hono-style `fetch(request, env)`, e.g. the WeChat Pay sandbox app. */
export interface InProcessApp {
  fetch(request: Request, env: Env): Response | Promise<Response>;
}

/**
 * The in-process stand-in for api.mch.weixin.qq.com that sandbox-mode clients talk to. Production
 * code never imports workers/dev, so the sandbox is handed over from there (useSandboxWechatPay)
 * rather than imported here; it is only ever used when isSandbox(env).
 */
let sandboxWechatPay: InProcessApp | null = null;

/** Development only (workers/dev): registers the WeChat Pay sandbox that sandbox-mode clients call in-process. */
export function useSandboxWechatPay(app: InProcessApp): void {
  sandboxWechatPay = app;
}

/**
 * The client for this environment. Production: `fetch` against WECHATPAY_API_BASE (default
 * https://api.mch.weixin.qq.com). Sandbox (isSandbox(env)): requests are handed in-process to
 * `app` (default the registered WeChat Pay sandbox), so dev and tests run the full signed protocol
 * without a network. Throws 503 `payments.not_configured` when keys are missing, and 503
 * `payments.sandbox_not_configured` in sandbox mode when no sandbox was registered.
 */
export function createWechatPayClient(env: Env, app?: InProcessApp): WechatPayClient {
  const config = wechatPayConfig(env);
  if (isSandbox(env)) {
    const target = app ?? sandboxWechatPay;
    if (!target)
      throw new AppError(
        'payments.sandbox_not_configured',
        503,
        'sandbox mode is on but no WeChat Pay sandbox is registered (workers/dev registers it)',
      );
    return new WechatPayClient(config, async (req) => target.fetch(req, env));
  }
  return new WechatPayClient(config, (req) => fetch(req));
}
