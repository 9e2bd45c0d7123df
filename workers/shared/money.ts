import { z } from '@hono/zod-openapi';

/** Money is integer fen (1 yuan = 100 fen) everywhere; these helpers keep it that way. */
export type Fen = number;

/** zod schema for a fen amount: a non-negative safe integer. */
export const fen = () =>
  z
    .number()
    .int('money is integer fen (1 yuan = 100)')
    .min(0)
    .max(1_000_000_000_00)
    .openapi({ description: 'integer fen (1 yuan = 100 fen)', example: 4990 });

/** Parses "49.90" / "49.9" / "49" yuan text (CSV, forms) into fen without float arithmetic. */
export function yuanToFen(text: string): Fen | null {
  const m = /^\s*(\d{1,10})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  const whole = Number(m[1]);
  const frac = Number((m[2] ?? '').padEnd(2, '0'));
  return whole * 100 + frac;
}

/** Renders fen as yuan text "49.90" for display and CSV export. */
export function fenToYuan(amount: Fen): string {
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
