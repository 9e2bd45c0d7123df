import { eq } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { AppError } from '../../shared/errors';
import { DEFAULT_DISTANCE, findNearDuplicates, rememberFingerprint } from '../screening/fingerprint.service';
import { worse, type Verdict } from '../screening/matcher';
import { screen } from '../screening/screen.service';
import { approvedState, getContentRow, staffIdOf, transition } from './articles.service';
import type { AdminContentDto } from './dto';
import { toAdminDto, type StoredScreening } from './rows';
import { plainText } from './sanitize';
import { contentItems } from './schema';

/**
 * Sends a draft to review: title, summary and the body's text pass the compliance screening.
 * block → 422 content.screening_blocked with the matches (it stays a draft, the matches are kept
 * for the editor to highlight); review or warn, or text nearly copied from another article → held
 * in review for an operator; pass → approved (scheduled when it has a publish time).
 * Repeating a submit that already went through returns the content as it is.
 */
export async function submitArticle(ctx: Ctx, id: string): Promise<AdminContentDto> {
  staffIdOf(ctx);
  const row = await getContentRow(ctx, id);
  if (row.status !== 'draft') {
    if (row.status === 'taken_down')
      throw new AppError('content.invalid_transition', 409, 'edit taken-down content before submitting it again', { status: row.status });
    return toAdminDto(ctx, row);
  }
  const fields = { title: row.title, summary: row.summary ?? '', body: plainText(row.body) };
  let verdict: Verdict = 'pass';
  const stored: StoredScreening = { matches: [], duplicates: [] };
  for (const field of ['title', 'summary', 'body'] as const) {
    if (!fields[field]) continue;
    const r = await screen(ctx, fields[field]);
    verdict = worse(verdict, r.verdict);
    for (const m of r.matches)
      stored.matches.push({ term: m.term, category: m.category, severity: m.severity, start: m.start, end: m.end, hint: m.hint, field });
  }
  const text = `${fields.title}\n${fields.summary}\n${fields.body}`;
  if (verdict !== 'block') {
    const dups = await findNearDuplicates(ctx, text, DEFAULT_DISTANCE, { kind: 'article', exclude: { kind: 'article', sourceId: id } });
    stored.duplicates = dups.map((d) => ({ sourceId: d.sourceId, distance: d.distance }));
    // copied text is a person's call, not a machine's refusal
    if (stored.duplicates.length) verdict = worse(verdict, 'review');
  }
  const screenMatches = JSON.stringify(stored);
  if (verdict === 'block') {
    await ctx.db.update(contentItems).set({ screenVerdict: verdict, screenMatches, updatedAt: ctx.now }).where(eq(contentItems.id, id));
    throw new AppError('content.screening_blocked', 422, 'the text contains terms that cannot be published', {
      verdict,
      matches: stored.matches,
    });
  }
  const next = verdict === 'pass' ? approvedState(row.publishAt) : 'review';
  const dto = await transition(
    ctx,
    id,
    ['draft'],
    { status: next, screenVerdict: verdict, screenMatches, rejectReason: null },
    'submit',
    (r) => r.status !== 'draft' && r.status !== 'taken_down',
    row.publishAt === null ? undefined : eq(contentItems.publishAt, row.publishAt),
  );
  await rememberFingerprint(ctx, 'article', id, text);
  return dto;
}
