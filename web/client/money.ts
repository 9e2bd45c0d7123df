/** Money is integer fen (分) everywhere in the API. */

/** 12345 → "123.45" */
export function fenToYuanString(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return '';
  const neg = fen < 0;
  const abs = Math.abs(Math.trunc(fen));
  const s = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  return neg ? `-${s}` : s;
}

/** 12345 → "¥123.45" */
export function formatFen(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '—';
  const s = fenToYuanString(fen);
  return s.startsWith('-') ? `-¥${s.slice(1)}` : `¥${s}`;
}

/**
 * "123.45" → 12345, parsed as a decimal string (never through float multiplication, so
 * "0.29" is 29, not 28.999…). Returns null for anything that is not a yuan amount with at most
 * two decimals.
 */
export function yuanToFen(input: string | number | null | undefined): number | null {
  if (input === null || input === undefined) return null;
  const s = (typeof input === 'number' ? String(input) : input).trim().replace(/^¥/, '').replace(/,/g, '');
  const m = /^(-)?(\d*)(?:\.(\d{0,2}))?$/.exec(s);
  if (!m || (!m[2] && !m[3])) return null;
  const fen = Number(m[2] || '0') * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  if (!Number.isSafeInteger(fen)) return null;
  return m[1] ? -fen : fen;
}
