// Crockford base32 without padding: URL-safe, unambiguous, no sequence to enumerate.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** Random id with a type prefix, e.g. `prd_8k2m…`; 16 chars = 80 bits of randomness. */
export function newId(prefix: string, length = 16): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = '';
  for (const b of bytes) out += ALPHABET[b & 31];
  return `${prefix}_${out}`;
}
