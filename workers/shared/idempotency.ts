import { z } from '@hono/zod-openapi';

/**
 * An Idempotency-Key: 8–100 letters, digits or `._:-`. Long enough to be unique per attempt
 * (a UUID fits), short enough to index, and free of characters that would need escaping in the
 * ids and ledger refs derived from it (`claim:<key>`, `adj:<key>`).
 */
const IDEMPOTENCY_KEY_PATTERN = /^[\w.:-]{8,100}$/;

// One message for a missing and a malformed key, so every route refuses a bad key the same way.
const MESSAGE = 'send an Idempotency-Key header of 8–100 letters, digits or ._:- and repeat it on retries';

const key = () => z.string({ error: MESSAGE }).regex(IDEMPOTENCY_KEY_PATTERN, MESSAGE);

// Documented identically on every route; only the parameter's `required` flag differs.
const doc = {
  description: '8–100 letters, digits or ._:-; send the same key again on a retry to get the first result instead of acting twice',
  example: 'k-3f9c2a7e-5b1d-4c8e-9a2f-6d7e8f9a0b1c',
};

/**
 * `request.headers` of a create/pay route that cannot run without a key (a retry must not order,
 * reserve, take a seat or draw twice). A missing or malformed key is `400 validation.failed`
 * naming `idempotency-key`, like every other invalid input.
 */
export const requiredIdempotencyHeader = z.object({
  'idempotency-key': key().openapi(doc),
});

/**
 * `request.headers` of a route where the key is optional: without one every call acts anew; with
 * one a retry returns the first result. A malformed key is refused exactly as on the required routes.
 */
export const optionalIdempotencyHeader = z.object({
  'idempotency-key': key().optional().openapi(doc),
});
