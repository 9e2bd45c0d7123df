import type { Ctx } from '../../shared/context';
import { watchedProducts } from '../catalog/product-watch.service';
import type { ProductCardDto } from './dto';

/**
 * Product cards with the live price and stock, in the given order. Unknown (deleted) products are
 * left out; off-sale ones are kept with onSale false (已下架) unless `onlySellable`.
 */
export async function productCards(ctx: Ctx, ids: string[], opts: { onlySellable?: boolean } = {}): Promise<ProductCardDto[]> {
  if (!ids.length) return [];
  const found = await watchedProducts(ctx, ids);
  const out: ProductCardDto[] = [];
  for (const id of ids) {
    const p = found.get(id);
    if (!p || (opts.onlySellable && !p.sellable)) continue;
    out.push({
      productId: p.id,
      title: p.title,
      price: p.minPrice,
      imageUrl: p.imageUrl,
      onSale: p.sellable,
      inStock: p.inStock,
      label: !p.sellable ? '已下架' : !p.inStock ? '已售罄' : null,
    });
  }
  return out;
}
