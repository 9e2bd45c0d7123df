import type { Ctx } from '../../shared/context';
import { DAY_MS, shanghaiDay, shanghaiDayStart, shanghaiWeekday } from '../../shared/calendar';

/** The Monday 00:00 (Beijing) that starts the week of `ms`. */
const weekStart = (ms: number) => shanghaiDayStart(ms) - ((shanghaiWeekday(ms) + 6) % 7) * DAY_MS;

/** Complaint reasons read from a ticket's question; the first that matches wins. */
const REASONS: [string, RegExp][] = [
  ['物流延迟', /还没到|没收到|没到|太慢|延迟|物流|快递/],
  ['描述不符', /不符|不一样|色差|描述|假货|图片/],
  ['质量问题', /质量|坏了|破损|瑕疵|坏的|异味/],
  ['退款售后', /退款|退货|换货|售后/],
  ['服务态度', /态度|投诉|差评/],
];
export const reasonOf = (text: string) => REASONS.find(([, re]) => re.test(text))?.[0] ?? '其他';

interface TicketRow {
  conversation_id: string;
  created_at: number;
  first_response_at: number | null;
  closed_at: number | null;
  rating: number | null;
  first_response_breached_at: number | null;
  resolution_breached_at: number | null;
  subject: string;
}

const avg = (xs: number[]) => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10 : null);
const top = (m: Map<string, number>, n: number) =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map(([key, count]) => ({ key, count }));

/**
 * getSupportReport: per Beijing week (Monday first), how many conversations the bot resolved
 * alone, ticket first-response and resolution minutes, CSAT, SLA breaches; and over the whole
 * window the most asked questions (what answered them) and complaint reasons of tickets.
 */
export async function supportReport(ctx: Ctx, weeks: number) {
  const from = weekStart(ctx.now) - (weeks - 1) * 7 * DAY_MS;
  const d1 = ctx.env.DB;
  const [convs, tickets, answers, faqs] = await d1.batch<Record<string, unknown>>([
    d1.prepare('SELECT id, created_at FROM support_conversations WHERE created_at >= ?').bind(from),
    d1
      .prepare(
        `SELECT conversation_id, created_at, first_response_at, closed_at, rating, first_response_breached_at, resolution_breached_at, subject
         FROM support_tickets WHERE created_at >= ?`,
      )
      .bind(from),
    d1
      .prepare(
        `SELECT source FROM support_messages WHERE sender = 'bot' AND created_at >= ? AND source IS NOT NULL AND source <> 'greeting'`,
      )
      .bind(from),
    d1.prepare('SELECT id, question FROM support_faqs'),
  ]);
  const ticketRows = tickets!.results as unknown as TicketRow[];
  const withTicket = new Set(ticketRows.map((t) => t.conversation_id));
  const rows = Array.from({ length: weeks }, (_, i) => {
    const start = from + i * 7 * DAY_MS;
    const end = start + 7 * DAY_MS;
    const c = (convs!.results as { id: string; created_at: number }[]).filter((x) => x.created_at >= start && x.created_at < end);
    const t = ticketRows.filter((x) => x.created_at >= start && x.created_at < end);
    const ratings = t.flatMap((x) => (x.rating ? [x.rating] : []));
    const botOnly = c.filter((x) => !withTicket.has(x.id)).length;
    return {
      week: shanghaiDay(start),
      conversations: c.length,
      resolvedByBot: botOnly,
      autoResolutionRate: c.length ? Math.round((botOnly / c.length) * 1000) / 1000 : null,
      tickets: t.length,
      avgFirstResponseMinutes: avg(t.flatMap((x) => (x.first_response_at ? [(x.first_response_at - x.created_at) / 60_000] : []))),
      avgResolutionMinutes: avg(t.flatMap((x) => (x.closed_at ? [(x.closed_at - x.created_at) / 60_000] : []))),
      csat: avg(ratings),
      ratings: ratings.length,
      firstResponseBreaches: t.filter((x) => x.first_response_breached_at != null).length,
      resolutionBreaches: t.filter((x) => x.resolution_breached_at != null).length,
    };
  });
  const questionOf = new Map((faqs!.results as { id: string; question: string }[]).map((f) => [`faq:${f.id}`, f.question]));
  const asked = new Map<string, number>();
  for (const a of answers!.results as { source: string }[]) asked.set(a.source, (asked.get(a.source) ?? 0) + 1);
  const reasons = new Map<string, number>();
  for (const t of ticketRows) reasons.set(reasonOf(t.subject), (reasons.get(reasonOf(t.subject)) ?? 0) + 1);
  return {
    from: new Date(from).toISOString(),
    weeks: rows,
    topQuestions: top(asked, 10).map((x) => ({ source: x.key, label: questionOf.get(x.key) ?? x.key, count: x.count })),
    complaintReasons: top(reasons, 10).map((x) => ({ reason: x.key, count: x.count })),
  };
}
