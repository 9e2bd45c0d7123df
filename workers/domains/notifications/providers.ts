import type { Env } from '../../shared/env';
import { isSandbox } from '../../shared/env';
import type { Logger } from '../../shared/log';

/** A WeChat mini-program subscribe message, exactly the body of cgi-bin/message/subscribe/send. */
export interface WechatSubscribePayload {
  touser: string;
  template_id: string;
  /** Mini-program page opened from the message. */
  page?: string;
  data: Record<string, { value: string }>;
  lang?: 'zh_CN';
}

/** An SMS by template: the gateway fills `params` into the template. The phone is personal data. */
export interface SmsPayload {
  phone: string;
  template: string;
  /** The signature (签名) the gateway puts in front; templated messages set it, notices use the gateway's default. */
  sign?: string;
  params: Record<string, string>;
}

/**
 * A final outcome. Transient failures (network, 5xx, "system busy", an expired access_token) are
 * thrown instead, so the queue retries the message.
 */
export type SendOutcome = { status: 'sent' } | { status: 'skipped'; reason: string } | { status: 'failed'; reason: string };

export type Channel = 'wechat_subscribe' | 'sms' | 'log';

export interface WechatSender {
  /** What notification_log.channel records for messages sent through it. */
  readonly channel: Channel;
  send(payload: WechatSubscribePayload, log: Logger): Promise<SendOutcome>;
}

/** SMS gateway. Only the log implementation exists so far (no SMS vendor is wired). */
export interface SmsProvider {
  readonly channel: Channel;
  send(payload: SmsPayload, log: Logger): Promise<SendOutcome>;
}

export interface NotificationProviders {
  wechat: WechatSender;
  sms: SmsProvider;
}

/**
 * Dev / sandbox sink for both channels: writes the payload to the log instead of sending it.
 * SMS payloads are logged by template and params only — never the phone number.
 */
export class LogSink implements WechatSender, SmsProvider {
  readonly channel = 'log' as const;
  async send(payload: WechatSubscribePayload | SmsPayload, log: Logger): Promise<SendOutcome> {
    if ('touser' in payload)
      log.info('notification (log sink): wechat subscribe message', {
        templateId: payload.template_id,
        page: payload.page,
        data: payload.data,
      });
    else log.info('notification (log sink): sms', { template: payload.template, sign: payload.sign, params: payload.params });
    return { status: 'sent' };
  }
}

const DEFAULT_WECHAT_API_BASE = 'https://api.weixin.qq.com';
/** errcodes meaning our access_token is no good: forget it and retry with a fresh one. */
const TOKEN_ERRCODES = new Set([40001, 40014, 42001]);
/** errcodes worth retrying later: system busy, API quota reached. */
const RETRY_ERRCODES = new Set([-1, 45009, 45011]);
/** 43101: the shopper has not subscribed to (or refused) this template — final, never retried. */
export const WECHAT_NOT_SUBSCRIBED = 43101;

export interface WechatSubscribeOptions {
  appId: string;
  appSecret: string;
  /** Default https://api.weixin.qq.com (env WECHAT_API_BASE overrides it). */
  apiBase?: string;
  /** Injected in tests to answer as WeChat would; defaults to the global fetch. */
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  now?: () => number;
  /** Per HTTP call; kept well under the consumer's in-flight lease. */
  timeoutMs?: number;
}

/**
 * Sends mini-program subscribe messages through WeChat's HTTP API. The access_token from
 * cgi-bin/token is cached on the instance until 5 minutes before it expires (instances are reused
 * per isolate by `providersFor`); concurrent sends share one token request.
 */
export class WechatSubscribeProvider implements WechatSender {
  readonly channel = 'wechat_subscribe' as const;
  private token: { value: string; expiresAt: number } | null = null;
  private pendingToken: Promise<string> | null = null;
  private readonly base: string;
  private readonly fetchFn: (input: string, init?: RequestInit) => Promise<Response>;
  private readonly now: () => number;
  private readonly timeoutMs: number;

  constructor(private readonly opts: WechatSubscribeOptions) {
    this.base = (opts.apiBase ?? DEFAULT_WECHAT_API_BASE).replace(/\/+$/, '');
    this.fetchFn = opts.fetch ?? ((input, init) => fetch(input, init));
    this.now = opts.now ?? Date.now;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  async send(payload: WechatSubscribePayload, log: Logger): Promise<SendOutcome> {
    const token = await this.accessToken();
    const res = await this.fetchFn(`${this.base}/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) throw new Error(`wechat subscribe/send answered HTTP ${res.status}`);
    const body = (await res.json()) as { errcode?: number; errmsg?: string };
    const code = body.errcode ?? 0;
    const what = `wechat errcode ${code}: ${body.errmsg ?? ''}`.trim();
    if (code === 0) return { status: 'sent' };
    if (code === WECHAT_NOT_SUBSCRIBED) return { status: 'skipped', reason: `${what} (not subscribed or refused)` };
    if (TOKEN_ERRCODES.has(code)) {
      this.token = null;
      throw new Error(`${what} (access_token rejected; a fresh one is fetched on retry)`);
    }
    if (RETRY_ERRCODES.has(code)) throw new Error(what);
    // Anything else (bad openid, template id or data) fails the same way on every retry.
    log.warn('wechat refused the subscribe message', { errcode: code, errmsg: body.errmsg, templateId: payload.template_id });
    return { status: 'failed', reason: what };
  }

  private accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > this.now()) return Promise.resolve(this.token.value);
    this.pendingToken ??= this.fetchToken().finally(() => {
      this.pendingToken = null;
    });
    return this.pendingToken;
  }

  private async fetchToken(): Promise<string> {
    const { appId, appSecret } = this.opts;
    // The URL carries the secret: it is never logged or put in an error message.
    const url = `${this.base}/cgi-bin/token?grant_type=client_credential&appid=${encodeURIComponent(appId)}&secret=${encodeURIComponent(appSecret)}`;
    const res = await this.fetchFn(url, { signal: AbortSignal.timeout(this.timeoutMs) });
    if (!res.ok) throw new Error(`wechat cgi-bin/token answered HTTP ${res.status}`);
    const body = (await res.json()) as { access_token?: string; expires_in?: number; errcode?: number; errmsg?: string };
    if (!body.access_token) throw new Error(`wechat cgi-bin/token refused: errcode ${body.errcode ?? '?'} ${body.errmsg ?? ''}`.trim());
    const ttlSeconds = body.expires_in ?? 7200;
    // Refresh 5 minutes early (WeChat keeps the old token valid for 5 minutes after a refresh).
    this.token = { value: body.access_token, expiresAt: this.now() + Math.max(60, ttlSeconds - 300) * 1000 };
    return body.access_token;
  }
}

let override: Partial<NotificationProviders> | null = null;

/** Tests only: replaces the providers the consumer uses (null restores the real selection). */
export function setNotificationProviders(p: Partial<NotificationProviders> | null): void {
  override = p;
}

const logSink = new LogSink();
/** One WeChat provider per isolate and app, so its access_token cache outlives a single message. */
const wechatProviders = new Map<string, WechatSubscribeProvider>();

/** True when subscribe messages really go to WeChat (not sandbox, app id and secret configured). */
export function wechatConfigured(env: Env): boolean {
  return !isSandbox(env) && !!env.WECHAT_APP_ID && !!env.WECHAT_APP_SECRET;
}

/**
 * The providers for this environment: WeChat's real API when configured outside the sandbox,
 * the log sink otherwise (dev). SMS always goes to the log sink — no SMS gateway is wired yet.
 */
export function providersFor(env: Env): NotificationProviders {
  let wechat: WechatSender = logSink;
  if (wechatConfigured(env)) {
    const apiBase = env.WECHAT_API_BASE ?? DEFAULT_WECHAT_API_BASE;
    // The secret is part of the key so a rotated secret gets a fresh provider (and token).
    const key = `${env.WECHAT_APP_ID}:${env.WECHAT_APP_SECRET}@${apiBase}`;
    let p = wechatProviders.get(key);
    if (!p) {
      p = new WechatSubscribeProvider({ appId: env.WECHAT_APP_ID!, appSecret: env.WECHAT_APP_SECRET!, apiBase });
      wechatProviders.set(key, p);
    }
    wechat = p;
  }
  return { wechat: override?.wechat ?? wechat, sms: override?.sms ?? logSink };
}
