import { useEffect, useState } from 'react';
import { api } from '@/api';

/**
 * listFlashSales carries no picture, so the flash-sale page borrows each product's (the SKU's own
 * image when it has one, else the product's main image). Fetched once per product per app run.
 */
const cache = new Map<string, Promise<string | null>>();

function imageOf(productId: string, skuId?: string): Promise<string | null> {
  const k = `${productId}/${skuId ?? ''}`;
  let p = cache.get(k);
  if (!p) {
    p = api
      .call('getProduct', { path: { productId } })
      .then((prd) => prd.skus.find((s) => s.id === skuId)?.image?.url ?? prd.mainImage?.url ?? prd.images.find(Boolean)?.url ?? null)
      .catch(() => {
        cache.delete(k); // try again on the next render that asks
        return null;
      });
    cache.set(k, p);
  }
  return p;
}

/** Picture URL per `productId/skuId` key, filled in as the answers arrive. */
export function useProductImages(items: { productId: string; skuId?: string }[]): Record<string, string> {
  const [urls, setUrls] = useState<Record<string, string>>({});
  const wanted = items.map((i) => `${i.productId}/${i.skuId ?? ''}`).join(',');
  useEffect(() => {
    let alive = true;
    for (const i of items) {
      const k = `${i.productId}/${i.skuId ?? ''}`;
      void imageOf(i.productId, i.skuId).then((u) => {
        if (alive && u) setUrls((m) => (m[k] === u ? m : { ...m, [k]: u }));
      });
    }
    return () => {
      alive = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [wanted]);
  return urls;
}

export const imageKey = (i: { productId: string; skuId?: string }) => `${i.productId}/${i.skuId ?? ''}`;
