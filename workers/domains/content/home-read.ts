import { asc, eq, inArray } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { mediaUrl } from '../media/media.service';
import { productCards } from './cards';
import type { HomeLink, StoreHomeSectionDto } from './dto';
import { cachedHome } from './home-cache';
import { showingAt } from './home.service';
import { contentItems, homeSections } from './schema';

/** A section as cached: its schedule, and for each linked article the time it goes public (null: not public). */
interface Built {
  row: { enabled: boolean; startsAt: number | null; endsAt: number | null };
  dto: StoreHomeSectionDto;
  /** per slide / entry (and moreLink last): when its linked article goes public; undefined for other links */
  linkFrom: (number | null | undefined)[];
}

async function build(ctx: Ctx): Promise<Built[]> {
  const rows = await ctx.db.select().from(homeSections).where(eq(homeSections.enabled, true)).orderBy(asc(homeSections.position));
  const payloads = rows.map((r) => JSON.parse(r.payload) as Record<string, any>);
  const links: HomeLink[] = payloads.flatMap((p) => [
    ...(p.slides ?? []).map((s: any) => s.link),
    ...(p.entries ?? []).map((e: any) => e.link),
    p.moreLink,
  ]);
  const contentIds = [...new Set(links.filter((l) => l?.type === 'article').map((l) => l!.target))];
  const content = contentIds.length
    ? await ctx.db
        .select({ id: contentItems.id, status: contentItems.status, publishAt: contentItems.publishAt })
        .from(contentItems)
        .where(inArray(contentItems.id, contentIds))
    : [];
  const publicFrom = new Map(content.map((c) => [c.id, c.status === 'scheduled' || c.status === 'published' ? c.publishAt : null]));
  const fromOf = (l: HomeLink | null | undefined) => (l?.type === 'article' ? (publicFrom.get(l.target) ?? null) : undefined);
  const img = (key: string | null | undefined) => (key ? mediaUrl(ctx.env, key) : null);

  const out: Built[] = [];
  for (const [i, r] of rows.entries()) {
    const p = payloads[i]!;
    const dto: StoreHomeSectionDto = { id: r.id, kind: r.kind, title: r.title };
    let linkFrom: (number | null | undefined)[] = [];
    if (r.kind === 'banner') {
      dto.slides = p.slides.map((s: any) => ({ imageUrl: img(s.imageMediaKey)!, title: s.title ?? null, link: s.link ?? null }));
      linkFrom = p.slides.map((s: any) => fromOf(s.link));
    } else if (r.kind === 'topic_entry') {
      dto.entries = p.entries.map((e: any) => ({ title: e.title, imageUrl: img(e.imageMediaKey), link: e.link }));
      linkFrom = p.entries.map((e: any) => fromOf(e.link));
    } else {
      // off-sale products leave the rail (an article keeps them, marked 已下架)
      dto.products = await productCards(ctx, p.productIds, { onlySellable: true });
      dto.moreLink = p.moreLink ?? null;
      linkFrom = [fromOf(p.moreLink)];
    }
    out.push({ row: r, dto, linkFrom });
  }
  return out;
}

const due = (from: number | null | undefined, now: number) => from === undefined || (from !== null && from <= now);

/**
 * 首页装修 for the storefront: the sections showing now, in order. Slides and entries that link to
 * an article not yet public are left out until its publish time; an empty section is left out.
 */
export async function currentHomeSections(ctx: Ctx): Promise<{ items: StoreHomeSectionDto[] }> {
  const built = await cachedHome(() => build(ctx));
  const items: StoreHomeSectionDto[] = [];
  for (const b of built) {
    if (!showingAt(b.row, ctx.now)) continue;
    const dto = { ...b.dto };
    if (dto.slides) dto.slides = dto.slides.filter((_, i) => due(b.linkFrom[i], ctx.now));
    if (dto.entries) dto.entries = dto.entries.filter((_, i) => due(b.linkFrom[i], ctx.now));
    if (dto.moreLink && !due(b.linkFrom[0], ctx.now)) dto.moreLink = null;
    if ((dto.slides && !dto.slides.length) || (dto.entries && !dto.entries.length) || (dto.products && !dto.products.length)) continue;
    items.push(dto);
  }
  return { items };
}
