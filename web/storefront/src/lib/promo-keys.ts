/**
 * Idempotency-Keys for promotion writes (reserveFlashSale, openGroupBuyTeam, joinGroupBuyTeam,
 * claimCoupon). One key per shopper action: created at the first tap, sent again on every retry
 * of that same action (a second tap while unsure, a retry after a network error), and dropped
 * once the answer was definite, so the next tap is a new attempt. Pure: no Taro.
 */

/** A random key the API accepts (8–100 of letters, digits, `._:-`). */
export function newIdempotencyKey(prefix = 'sf', rand: () => number = Math.random, now: number = Date.now()): string {
  let r = '';
  while (r.length < 16)
    r += Math.floor(rand() * 36 ** 6)
      .toString(36)
      .padStart(6, '0');
  return `${prefix.replace(/[^\w.:-]/g, '') || 'sf'}-${now.toString(36)}-${r.slice(0, 16)}`;
}

/** The current attempt's key per scope (e.g. per sale id). */
export class AttemptKeys {
  private keys = new Map<string, string>();
  constructor(
    private prefix = 'sf',
    private make: (prefix: string) => string = (p) => newIdempotencyKey(p),
  ) {}

  /** The key of the attempt in progress for `scope`, creating it on the first call. */
  keyFor(scope: string): string {
    let k = this.keys.get(scope);
    if (!k) {
      k = this.make(this.prefix);
      this.keys.set(scope, k);
    }
    return k;
  }

  /** The attempt for `scope` is over (success or a definite refusal): the next one gets a new key. */
  settle(scope: string): void {
    this.keys.delete(scope);
  }
}
