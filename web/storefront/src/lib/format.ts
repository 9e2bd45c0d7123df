export { formatFen, fenToYuanString } from '@edgemall/client/money';

/** ISO time → "12-04 18:30" (Asia/Shanghai, the shop's day), or "2026-12-04 18:30" with `year`. */
export function formatTime(iso: string | null | undefined, { year = false } = {}): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return '';
  const d = new Date(t + 8 * 3600_000); // UTC+8, no DST
  const p = (n: number) => String(n).padStart(2, '0');
  const md = `${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
  return year ? `${d.getUTCFullYear()}-${md}` : md;
}
