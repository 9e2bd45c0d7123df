// The carrier webhook's signature check (HMAC over `<t>.<raw body>`); the route that applies the
// events is a flow (flows/tracking-update.routes.ts) because a delivery moves the order on.
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../shared/http';
import { hmacHex, safeEqual } from '../../shared/crypto';
import { AppError } from '../../shared/errors';

export const SIGNATURE_HEADER = 'X-Edgemall-Signature';
/** Signatures older (or further in the future) than this are replays or broken clocks. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;
const MAX_BODY_BYTES = 256 * 1024;

const badSignature = (message: string) => new AppError('logistics.invalid_signature', 401, message);

/** Parses `t=<unix seconds>,v1=<hex>[,v1=<hex>…]` (several v1 while a secret rotates). */
function parseSignature(header: string): { t: number; v1: string[] } | null {
  let t: number | null = null;
  const v1: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return null;
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (k === 't') {
      if (!/^\d{1,12}$/.test(v)) return null;
      t = Number(v);
    } else if (k === 'v1') {
      if (!/^[0-9a-f]{64}$/i.test(v)) return null;
      v1.push(v.toLowerCase());
    }
  }
  return t === null || v1.length === 0 ? null : { t, v1 };
}

/**
 * Verifies the HMAC over `<t>.<raw body>` before anything parses the body, so unsigned requests
 * learn nothing (not even validation errors). The body is read as bytes and must be strict UTF-8,
 * so the text we sign is byte-for-byte what the carrier signed.
 */
export const verifyTrackingSignature = createMiddleware<AppEnv>(async (c, next) => {
  const secret = c.env.LOGISTICS_WEBHOOK_SECRET;
  if (!secret) throw new AppError('logistics.webhook_not_configured', 503, 'tracking webhook is not configured');
  const header = c.req.header(SIGNATURE_HEADER);
  if (!header) throw badSignature(`missing ${SIGNATURE_HEADER} header`);
  const sig = parseSignature(header);
  if (!sig) throw badSignature(`malformed ${SIGNATURE_HEADER} header; expected t=<unix seconds>,v1=<hex hmac-sha256>`);
  const nowSeconds = Math.floor(Date.now() / 1000);
  if (Math.abs(nowSeconds - sig.t) > SIGNATURE_TOLERANCE_SECONDS) throw badSignature('signature timestamp is outside the 5-minute window');

  const bytes = await c.req.arrayBuffer();
  if (bytes.byteLength > MAX_BODY_BYTES) throw new AppError('logistics.payload_too_large', 413, 'tracking payload larger than 256 KiB');
  let body: string;
  try {
    body = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw badSignature('body is not valid UTF-8');
  }
  const expected = await hmacHex(secret, `${sig.t}.${body}`);
  if (!sig.v1.some((v) => safeEqual(v, expected))) throw badSignature('signature does not match');
  await next();
});
