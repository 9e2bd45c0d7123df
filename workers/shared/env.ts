/** Bindings and vars the Worker receives; mirrors wrangler.toml. */
export interface Env {
  DB: D1Database;
  SKU_STOCK: DurableObjectNamespace;
  MEDIA: R2Bucket;
  NOTIFICATIONS: Queue;
  SETTLEMENT: Queue;
  /** "production" | "development" | "test" */
  ENVIRONMENT: string;
  /** "true" turns on sandbox logins (ignored when ENVIRONMENT is production). */
  SANDBOX?: string;
  PUBLIC_BASE_URL?: string;
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
