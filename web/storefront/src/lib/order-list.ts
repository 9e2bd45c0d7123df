/**
 * Cursor paging over one or several order statuses. listOrders filters by a single status, but the
 * 待收货 tab shows two (shipped and delivered): each status is paged on its own and the pages are
 * merged newest first, never showing an order before a newer one that a source has not sent yet.
 * Pure: the fetch is passed in.
 */

export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

export type FetchPage<T> = (status: string | undefined, cursor: string | undefined) => Promise<CursorPage<T>>;

interface Source<T> {
  status: string | undefined;
  buf: T[];
  cursor: string | undefined;
  done: boolean;
}

const timeOf = (x: { createdAt: string }) => Date.parse(x.createdAt) || 0;

export class MergedPager<T extends { id: string; createdAt: string }> {
  private sources: Source<T>[];
  private seen = new Set<string>();

  /** `statuses` empty: one source without a status filter (全部). */
  constructor(
    statuses: readonly string[],
    private fetch: FetchPage<T>,
  ) {
    const list = statuses.length ? statuses : [undefined];
    this.sources = list.map((status) => ({ status, buf: [], cursor: undefined, done: false }));
  }

  /** Nothing more to load. */
  get done(): boolean {
    return this.sources.every((s) => s.done && s.buf.length === 0);
  }

  /** The next orders, newest first; [] once done. */
  async next(): Promise<T[]> {
    const out: T[] = [];
    // A source may answer an empty page that still has a cursor: ask again a few times.
    for (let round = 0; round < 5 && out.length === 0 && !this.done; round++) {
      await Promise.all(
        this.sources
          .filter((s) => s.buf.length === 0 && !s.done)
          .map(async (s) => {
            const page = await this.fetch(s.status, s.cursor);
            s.buf.push(...page.items);
            s.cursor = page.nextCursor ?? undefined;
            s.done = !page.nextCursor;
          }),
      );
      for (;;) {
        // Another source may still hold something newer than every buffered order: wait for it.
        if (this.sources.some((s) => s.buf.length === 0 && !s.done)) break;
        let best: Source<T> | undefined;
        for (const s of this.sources) if (s.buf.length && (!best || timeOf(s.buf[0]!) > timeOf(best.buf[0]!))) best = s;
        if (!best) break;
        const item = best.buf.shift()!;
        // An order that changed status between two pages may come from two sources.
        if (this.seen.has(item.id)) continue;
        this.seen.add(item.id);
        out.push(item);
      }
    }
    return out;
  }
}
