import { asc, desc, eq } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { iso } from '../../shared/db';
import { notFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { CreateFaqInput, FaqDto, UpdateFaqInput } from './dto';
import { bestFaq, type FaqMatch } from './retrieval';
import { supportFaqs } from './schema';

type FaqRow = typeof supportFaqs.$inferSelect;

const toDto = (r: FaqRow): FaqDto => ({
  id: r.id,
  question: r.question,
  answer: r.answer,
  keywords: r.keywords,
  enabled: r.enabled,
  createdAt: iso(r.createdAt)!,
  updatedAt: iso(r.updatedAt)!,
});

/** createFaq */
export async function createFaq(ctx: Ctx, input: CreateFaqInput): Promise<FaqDto> {
  const row: FaqRow = {
    id: newId('faq'),
    question: input.question,
    answer: input.answer,
    keywords: [...new Set(input.keywords)],
    enabled: input.enabled,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  await ctx.db.insert(supportFaqs).values(row);
  return toDto(row);
}

/** listFaqs: all of them, enabled first, newest first. */
export async function listFaqs(ctx: Ctx): Promise<{ items: FaqDto[] }> {
  const rows = await ctx.db.select().from(supportFaqs).orderBy(desc(supportFaqs.enabled), desc(supportFaqs.createdAt), asc(supportFaqs.id));
  return { items: rows.map(toDto) };
}

/** updateFaq (also how an FAQ is disabled: enabled false). */
export async function updateFaq(ctx: Ctx, faqId: string, input: UpdateFaqInput): Promise<FaqDto> {
  const [row] = await ctx.db.select().from(supportFaqs).where(eq(supportFaqs.id, faqId)).limit(1);
  if (!row) throw notFound('support.faq_not_found', `FAQ ${faqId}`);
  const next: FaqRow = {
    ...row,
    question: input.question ?? row.question,
    answer: input.answer ?? row.answer,
    keywords: input.keywords ? [...new Set(input.keywords)] : row.keywords,
    enabled: input.enabled ?? row.enabled,
    updatedAt: ctx.now,
  };
  await ctx.db.update(supportFaqs).set(next).where(eq(supportFaqs.id, faqId));
  return toDto(next);
}

/** The enabled FAQ that answers a question confidently, or null (then a person should). */
export async function answerFromFaq(ctx: Ctx, question: string): Promise<(FaqMatch & { answer: string }) | null> {
  // The knowledge base is an operator's list (tens to a few hundred entries): ranked in memory.
  const rows = await ctx.db.select().from(supportFaqs).where(eq(supportFaqs.enabled, true)).limit(1000);
  const best = bestFaq(question, rows);
  if (!best) return null;
  return { ...best, answer: rows.find((r) => r.id === best.id)!.answer };
}
