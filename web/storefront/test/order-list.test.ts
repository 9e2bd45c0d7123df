import { describe, expect, it } from 'vitest';
import { MergedPager, type CursorPage } from '@/lib/order-list';

type O = { id: string; createdAt: string; status: string };
const at = (n: number) => new Date(Date.UTC(2026, 11, 1) + n * 60_000).toISOString();

/** A fake listOrders: each status's orders newest first, `size` per page, cursor = offset. */
function fake(data: Record<string, O[]>, size = 2) {
  const calls: string[] = [];
  const fetch = async (status: string | undefined, cursor: string | undefined): Promise<CursorPage<O>> => {
    calls.push(`${status ?? '*'}@${cursor ?? 0}`);
    const all = status
      ? (data[status] ?? [])
      : Object.values(data)
          .flat()
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const from = Number(cursor ?? 0);
    const items = all.slice(from, from + size);
    return { items, nextCursor: from + size < all.length ? String(from + size) : null };
  };
  return { fetch, calls };
}

async function drain(p: MergedPager<O>) {
  const pages: string[][] = [];
  for (let i = 0; i < 20 && !p.done; i++) pages.push((await p.next()).map((o) => o.id));
  return pages;
}

describe('MergedPager', () => {
  it('pages one source through its cursor', async () => {
    const data = { paid: [5, 4, 3, 2, 1].map((n) => ({ id: `p${n}`, createdAt: at(n), status: 'paid' })) };
    const f = fake(data);
    const p = new MergedPager<O>(['paid'], f.fetch);
    expect(await drain(p)).toEqual([['p5', 'p4'], ['p3', 'p2'], ['p1']]);
    expect(f.calls).toEqual(['paid@0', 'paid@2', 'paid@4']);
    expect(await p.next()).toEqual([]);
  });

  it('without statuses asks without a filter', async () => {
    const f = fake({ a: [{ id: 'x', createdAt: at(1), status: 'a' }] });
    const p = new MergedPager<O>([], f.fetch);
    expect(await drain(p)).toEqual([['x']]);
    expect(f.calls).toEqual(['*@0']);
  });

  it('merges several statuses newest first, never ahead of a source that may hold newer', async () => {
    const data = {
      shipped: [10, 7, 6, 1].map((n) => ({ id: `s${n}`, createdAt: at(n), status: 'shipped' })),
      delivered: [9, 8, 5, 4, 3].map((n) => ({ id: `d${n}`, createdAt: at(n), status: 'delivered' })),
    };
    const p = new MergedPager<O>(['shipped', 'delivered'], fake(data).fetch);
    const flat = (await drain(p)).flat();
    expect(flat).toEqual(['s10', 'd9', 'd8', 's7', 's6', 'd5', 'd4', 'd3', 's1']);
    expect(p.done).toBe(true);
  });

  it('shows an order that moved between two statuses once', async () => {
    const data = {
      shipped: [{ id: 'o1', createdAt: at(3), status: 'shipped' }],
      delivered: [
        { id: 'o1', createdAt: at(3), status: 'delivered' },
        { id: 'o2', createdAt: at(2), status: 'delivered' },
      ],
    };
    const p = new MergedPager<O>(['shipped', 'delivered'], fake(data).fetch);
    expect((await drain(p)).flat()).toEqual(['o1', 'o2']);
  });

  it('asks again when a page comes back empty but with a cursor', async () => {
    let n = 0;
    const p = new MergedPager<O>(['paid'], async () => {
      n++;
      return n === 1 ? { items: [], nextCursor: 'c1' } : { items: [{ id: 'a', createdAt: at(1), status: 'paid' }], nextCursor: null };
    });
    expect(await p.next()).toEqual([{ id: 'a', createdAt: at(1), status: 'paid' }]);
    expect(p.done).toBe(true);
  });
});
