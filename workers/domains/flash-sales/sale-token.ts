import { hmacHex, safeEqual } from '../../shared/crypto';

/**
 * Anti-bot sale token: an HMAC over (sale, shopper, expiry) that the API only issues once the sale
 * is live, so a script cannot prepare its reserve requests before the start; it is bound to one
 * shopper, so one token cannot be shared by a farm of accounts. Format: `<expiresAtMs>.<hex>`.
 */
const payload = (saleId: string, userId: string, exp: number) => `flash-sale-token\u0000${saleId}\u0000${userId}\u0000${exp}`;

export async function issueSaleToken(secret: string, saleId: string, userId: string, expiresAt: number): Promise<string> {
  return `${expiresAt}.${await hmacHex(secret, payload(saleId, userId, expiresAt))}`;
}

/** True when `token` was issued for this sale and shopper and has not expired. */
export async function verifySaleToken(
  secret: string,
  token: string | undefined,
  saleId: string,
  userId: string,
  now: number,
): Promise<boolean> {
  const m = token ? /^(\d{13})\.([0-9a-f]{64})$/.exec(token) : null;
  if (!m) return false;
  const exp = Number(m[1]);
  if (exp <= now) return false;
  return safeEqual(m[2]!, await hmacHex(secret, payload(saleId, userId, exp)));
}
