import type { Ctx } from '../shared/context';
import { AppError } from '../shared/errors';
import { findProductIdByTitle, getAdminProduct } from '../domains/catalog/products.service';

/**
 * A seeded product by title and its SKU with the most stock. The demo's sales, deals and orders
 * name products, not SKUs: which SKU has the most stock changes as the demo sells.
 */
export async function demoSku(ctx: Ctx, merchantId: string, title: string) {
  const productId = await findProductIdByTitle(ctx, merchantId, title);
  if (!productId) throw new AppError('dev.seed_order', 500, `seed the demo shop first: "${title}" is missing`);
  const product = await getAdminProduct(ctx, productId);
  const sku = [...product.skus].sort((a, b) => b.stock - a.stock)[0];
  if (!sku) throw new AppError('dev.seed_data_invalid', 500, `"${title}" has no SKU`);
  return { productId, title, sku };
}

/** Refuses, saying which product, when the demo is about to take more units than there are. */
export function needStock(p: { title: string; sku: { stock: number } }, units: number): void {
  if (p.sku.stock < units)
    throw new AppError('dev.seed_stock', 409, `"${p.title}" has ${p.sku.stock} units in stock; the demo needs ${units}`);
}
