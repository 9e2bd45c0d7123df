/** Bindings and vars the Worker receives; mirrors wrangler.toml. */
export interface Env {
  DB: D1Database;
  SKU_STOCK: DurableObjectNamespace;
  /** One SupportChat per customer-service conversation: its live WebSockets. */
  SUPPORT_CHAT: DurableObjectNamespace;
  MEDIA: R2Bucket;
  NOTIFICATIONS: Queue;
  SETTLEMENT: Queue;
  /** Templated (marketing and service) messages, apart from the transactional notices on NOTIFICATIONS. */
  MARKETING: Queue;
  /** "production" | "development" | "test" */
  ENVIRONMENT: string;
  /** "true" turns on sandbox logins (ignored when ENVIRONMENT is production). */
  SANDBOX?: string;
  PUBLIC_BASE_URL?: string;
  /** Smallest side (px) of a product image upload; default 200 (tests set 1: their fixtures are tiny). */
  MEDIA_MIN_PRODUCT_SIDE?: string;
  /** HS256 secret for access tokens. */
  JWT_SECRET?: string;
  /** AES-256-GCM keys for personal data, "kid:base64key[,kid:base64key…]"; the first encrypts. */
  PII_KEYS?: string;
  SEED_ADMIN_EMAIL?: string;
  SEED_ADMIN_PASSWORD?: string;
  WECHAT_APP_ID?: string;
  WECHAT_APP_SECRET?: string;
  /** Override of https://api.weixin.qq.com, for tests of the real login path. */
  WECHAT_API_BASE?: string;

  // WeChat Pay API v3 (JSAPI / mini-program). Secrets in production; generated test keys locally.
  WECHATPAY_MCHID?: string;
  /** Serial number of the merchant API certificate (sent in the Authorization header). */
  WECHATPAY_MCH_SERIAL?: string;
  /** Merchant API private key, PKCS#8 PEM. */
  WECHATPAY_MCH_PRIVATE_KEY?: string;
  /** Serial of the WeChat Pay platform certificate / public key (Wechatpay-Serial header). */
  WECHATPAY_PLATFORM_SERIAL?: string;
  /** WeChat Pay platform public key, SPKI PEM: verifies responses and notifications. */
  WECHATPAY_PLATFORM_PUBLIC_KEY?: string;
  /** 32-byte APIv3 key: decrypts notification resources (AEAD_AES_256_GCM). */
  WECHATPAY_APIV3_KEY?: string;
  /** Default https://api.mch.weixin.qq.com; in sandbox mode the in-project sandbox answers instead. */
  WECHATPAY_API_BASE?: string;
  /** Sandbox only: the sandbox's platform private key (signs its notifications). */
  WXPAY_SANDBOX_PLATFORM_PRIVATE_KEY?: string;
  /** Sandbox only: our merchant public key, so the sandbox can check our request signatures. */
  WXPAY_SANDBOX_MCH_PUBLIC_KEY?: string;
  /** Flash-sale bot defence (wrangler.toml [[ratelimits]]): reserve calls per shopper, and per client IP. */
  FLASH_SHOPPER_LIMITER?: RateLimit;
  FLASH_IP_LIMITER?: RateLimit;
  /** Public merchant applications per client IP. */
  ONBOARDING_IP_LIMITER?: RateLimit;
  /** Task-centre events (browse / share a product) the storefront reports, per shopper. */
  TASK_EVENT_LIMITER?: RateLimit;
  /** Review photo / video uploads per shopper. */
  REVIEW_UPLOAD_LIMITER?: RateLimit;
  /** Points for a published review (default 10), and extra when it has photos or a video (default 10). */
  REVIEW_POINTS?: string;
  REVIEW_MEDIA_POINTS?: string;
  /** Content views, dwell, clicks and shares the storefront reports, per shopper or device. */
  CONTENT_EVENT_LIMITER?: RateLimit;
  /** Minutes before an unpaid order closes (default 30). */
  ORDER_PAYMENT_TIMEOUT_MINUTES?: string;
  /** Shared secret carriers use to sign tracking webhooks (HMAC-SHA256). */
  LOGISTICS_WEBHOOK_SECRET?: string;
  /** WeChat subscribe-message template id for "order paid" (keywords: see notifications.service.ts). */
  WECHAT_TEMPLATE_ORDER_PAID?: string;
  /** WeChat subscribe-message template id for "order shipped". */
  WECHAT_TEMPLATE_ORDER_SHIPPED?: string;
  /** WeChat subscribe-message template id for "refund result". */
  WECHAT_TEMPLATE_REFUND_RESULT?: string;
  /** Days after completion that after-sales stay open and settlement waits (default 15). */
  AFTERSALE_WINDOW_DAYS?: string;
}

/**
 * Sandbox features (deterministic WeChat login, SMS codes in the log) can never be on in production,
 * whatever SANDBOX says — the check lives here so no caller can forget it.
 */
export function isSandbox(env: Env): boolean {
  return env.ENVIRONMENT !== 'production' && env.SANDBOX === 'true';
}

export function requireSecret(env: Env, name: 'JWT_SECRET' | 'PII_KEYS'): string {
  const v = env[name];
  if (!v) throw new Error(`secret ${name} is not configured`);
  return v;
}
