import type { Ctx } from '../shared/context';
import { AppError } from '../shared/errors';
import { encodePng } from './png';
import { createCategory, listCategories } from '../domains/catalog/categories.service';
import { createProduct, findProductIdByTitle } from '../domains/catalog/products.service';
import { CreateCategoryInput, CreateProductInput } from '../domains/catalog/dto';
import type { CategoryDto } from '../domains/catalog/dto';
import { uploadMedia } from '../domains/media/media.service';
import { ensureMerchant, getMerchant } from '../domains/merchants/merchants.service';
import { DEMO_CATEGORIES, DEMO_PRODUCTS, TEA_MERCHANT, type DemoCategory, type DemoProduct } from './demo-seed-data';

/** What one seed call created (all zero and `alreadySeeded` when everything was already there). */
export interface DemoSeedResult {
  alreadySeeded: boolean;
  categories: number;
  products: number;
  skus: number;
  images: number;
  merchants: number;
}

/** Products created at once: overlaps image encoding with D1/R2 round trips without flooding either. */
const PRODUCT_CONCURRENCY = 6;
/** Title look-ups at once (plain indexed reads). */
const LOOKUP_CONCURRENCY = 12;
const IMAGE_SIZE = 400;

/**
 * Seeds the demo shop (categories, products with generated images, a second merchant) through the
 * catalog, media and merchants services, so everything the seed writes obeys the same rules as the
 * admin API. Idempotent and resumable: every category is looked up by name under its parent and
 * every product by title within its merchant, and only what is missing is created — a second run
 * creates nothing and a run that died half-way is completed, not duplicated.
 *
 * Runs as `ctx.actor` (platform staff: the admin who called the dev route).
 */
export async function seedDemoShop(ctx: Ctx): Promise<DemoSeedResult> {
  const t0 = Date.now();
  const result: DemoSeedResult = { alreadySeeded: false, categories: 0, products: 0, skus: 0, images: 0, merchants: 0 };
  // Every product goes through the dto before anything is written: bad seed data fails loudly, not half-way.
  const inputs = DEMO_PRODUCTS.map(productInput);

  // ---- merchants ----
  if (!(await merchantExists(ctx, TEA_MERCHANT.id))) {
    await ensureMerchant(ctx, { id: TEA_MERCHANT.id, name: TEA_MERCHANT.name, commissionBps: TEA_MERCHANT.commissionBps });
    result.merchants++;
  }

  // ---- categories: parents before children, each created only if its name is free under its parent ----
  // Siblings are independent, so each level of a subtree is created concurrently.
  const leafIds = new Map<string, string>();
  const existing = await categoryIndex(ctx);
  const ensureTree = async (nodes: DemoCategory[], parentId: string | null, path: string[]): Promise<void> => {
    await Promise.all(
      nodes.map(async (node, i) => {
        const here = [...path, node.name];
        let id = existing.get(indexKey(parentId, node.name));
        if (!id) {
          id = await createCategoryOnce(ctx, existing, parentId, node.name, i * 10);
          result.categories++;
        }
        if (node.children?.length) await ensureTree(node.children, id, here);
        else leafIds.set(pathKey(here), id);
      }),
    );
  };
  await ensureTree(DEMO_CATEGORIES, null, []);

  // ---- products: look up every title, then create the missing ones in small concurrent batches ----
  const present = await mapLimit(DEMO_PRODUCTS, LOOKUP_CONCURRENCY, (p) => findProductIdByTitle(ctx, p.merchantId, p.title));
  const missing = DEMO_PRODUCTS.map((p, i) => {
    const categoryId = leafIds.get(pathKey(p.categoryPath));
    if (!categoryId) throw seedDataError(`demo product "${p.title}" names an unknown leaf category ${p.categoryPath.join(' › ')}`);
    return { p, i, categoryId, input: inputs[i]! };
  }).filter((_, i) => present[i] === null);
  await mapLimit(missing, PRODUCT_CONCURRENCY, async ({ p, i, categoryId, input }) => {
    const png = await productImage(p.color, shapeFor(p), i);
    const media = await uploadMedia(ctx, { bytes: png, contentType: 'image/png', purpose: 'product' });
    result.images++;
    await createProduct(ctx, { ...input, categoryId, mainMediaKey: media.key });
    result.products++;
    result.skus += p.skus.length;
  });

  result.alreadySeeded = result.categories === 0 && result.products === 0 && result.merchants === 0;
  ctx.log.info('demo shop seeded', { ...result, ms: Date.now() - t0 });
  return result;
}

/** Stands in for ids that exist only once categories and images are created, so the dto can check the rest up front. */
const PLACEHOLDER_CATEGORY_ID = 'cat_seedplaceholder';

/**
 * The createProduct input of a demo product, parsed by the dto so defaults apply and bad seed data
 * fails loudly. The caller fills in the real category id and main image key.
 */
function productInput(p: DemoProduct): CreateProductInput {
  const parsed = CreateProductInput.safeParse({
    categoryId: PLACEHOLDER_CATEGORY_ID,
    title: p.title,
    subtitle: p.subtitle,
    material: p.material,
    origin: p.origin,
    attributes: p.attributes,
    detailHtml: p.detailHtml,
    specDims: p.specDims,
    skus: p.skus.map((s) => ({
      specValues: s.specValues,
      stock: s.stock,
      price: s.price,
      originalPrice: s.originalPrice,
      cost: s.cost,
      lowStockThreshold: s.lowStockThreshold,
      barcode: s.barcode,
      weightG: s.weightG,
    })),
    status: 'on_sale',
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw seedDataError(`demo product "${p.title}": ${issue?.path.join('.')} — ${issue?.message}`, parsed.error.issues);
  }
  // Set after parsing: the dto's id pattern (`mch_` + [0-9a-z]) does not admit the underscore in
  // `mch_demo_tea`; createProduct itself takes any existing merchant id from platform staff.
  return { ...parsed.data, merchantId: p.merchantId };
}

const seedDataError = (message: string, details?: unknown) => new AppError('dev.seed_data_invalid', 500, message, details);

async function merchantExists(ctx: Ctx, id: string): Promise<boolean> {
  try {
    await getMerchant(ctx, id);
    return true;
  } catch (e) {
    if (e instanceof Error && (e as AppError).code === 'merchants.not_found') return false;
    throw e;
  }
}

const indexKey = (parentId: string | null, name: string) => `${parentId ?? ''}\u0000${name}`;
const pathKey = (path: readonly string[]) => path.join('\u0000');

/** parentId + name → id over every category, disabled ones included (a disabled demo category is still "there"). */
async function categoryIndex(ctx: Ctx): Promise<Map<string, string>> {
  const all: CategoryDto[] = await listCategories(ctx, { includeDisabled: true });
  return new Map(all.map((c) => [indexKey(c.parentId, c.name), c.id]));
}

/**
 * Creates a category; if another seed run created the same one in the meantime (the service refuses
 * duplicate sibling names with 409), uses that one instead.
 */
async function createCategoryOnce(
  ctx: Ctx,
  index: Map<string, string>,
  parentId: string | null,
  name: string,
  sortOrder: number,
): Promise<string> {
  try {
    const created = await createCategory(ctx, CreateCategoryInput.parse({ name, parentId, sortOrder }));
    index.set(indexKey(parentId, name), created.id);
    return created.id;
  } catch (e) {
    if ((e as AppError).code !== 'catalog.category_name_taken') throw e;
    const fresh = await categoryIndex(ctx);
    const id = fresh.get(indexKey(parentId, name));
    if (!id) throw e;
    index.set(indexKey(parentId, name), id);
    return id;
  }
}

/** Runs `fn` over `items` with at most `limit` in flight; results keep the input order. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

// ---- product images ------------------------------------------------------------------------

type Shape = 'bottle' | 'tee' | 'disc' | 'leaf' | 'box';

/** A silhouette that hints at what the product is, so the demo grid is not 60 identical squares. */
function shapeFor(p: DemoProduct): Shape {
  const [top, , leaf] = p.categoryPath;
  if (leaf.includes('杯')) return 'bottle';
  if (top === '服饰鞋包' && leaf !== '双肩包') return 'tee';
  if (top === '食品茶饮') return 'leaf';
  if (top === '数码电器') return 'disc';
  return 'box';
}

function hexToRgb(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw seedDataError(`bad demo colour ${hex}`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}

/** Signed distance to a rounded box centred at the origin (negative inside). */
function sdRoundBox(px: number, py: number, halfW: number, halfH: number, r: number): number {
  const qx = Math.abs(px) - halfW + r;
  const qy = Math.abs(py) - halfH + r;
  const ox = Math.max(qx, 0);
  const oy = Math.max(qy, 0);
  return Math.sqrt(ox * ox + oy * oy) + Math.min(Math.max(qx, qy), 0) - r;
}

/** Signed distance of pixel (x, y) to the shape drawn in a 400×400 image. */
function shapeDistance(shape: Shape, x: number, y: number): number {
  switch (shape) {
    case 'bottle':
      return Math.min(sdRoundBox(x - 200, y - 222, 72, 118, 34), sdRoundBox(x - 200, y - 86, 56, 24, 10));
    case 'tee':
      return Math.min(sdRoundBox(x - 200, y - 232, 88, 112, 14), sdRoundBox(x - 200, y - 150, 152, 38, 16));
    case 'disc':
      return Math.hypot(x - 200, y - 196) - 128;
    case 'leaf':
      // The intersection of two offset circles: a leaf (vesica) shape.
      return Math.max(Math.hypot(x - 270, y - 196) - 150, Math.hypot(x - 130, y - 196) - 150);
    case 'box':
      return sdRoundBox(x - 200, y - 196, 124, 124, 30);
  }
}

/**
 * A 400×400 PNG: a soft diagonal gradient in the product's colour with a shaded silhouette, a
 * floor shadow and a faint dotted texture whose spacing varies by product.
 */
function productImage(hex: string, shape: Shape, seed: number): Promise<Uint8Array> {
  const [r, g, b] = hexToRgb(hex);
  // Background runs from near-white to a pastel of the colour.
  const bg0 = [r + (255 - r) * 0.9, g + (255 - g) * 0.9, b + (255 - b) * 0.9];
  const bg1 = [r + (255 - r) * 0.6, g + (255 - g) * 0.6, b + (255 - b) * 0.6];
  // The silhouette runs from a lifted tone at the top to a deeper one at the bottom.
  const fg0 = [r + (255 - r) * 0.18, g + (255 - g) * 0.18, b + (255 - b) * 0.18];
  const fg1 = [r * 0.7, g * 0.7, b * 0.7];
  const dot = 14 + (seed % 4) * 4;
  const max = IMAGE_SIZE - 1;

  return encodePng(IMAGE_SIZE, IMAGE_SIZE, (x, y) => {
    const t = (x + y) / (2 * max);
    let cr = bg0[0]! + (bg1[0]! - bg0[0]!) * t;
    let cg = bg0[1]! + (bg1[1]! - bg0[1]!) * t;
    let cb = bg0[2]! + (bg1[2]! - bg0[2]!) * t;

    // Faint dots in the background.
    const mx = (x % dot) - dot / 2;
    const my = (y % dot) - dot / 2;
    if (mx * mx + my * my < 3) {
      cr *= 0.96;
      cg *= 0.96;
      cb *= 0.96;
    }

    // Floor shadow: an ellipse under the silhouette, darker towards its centre.
    const ex = (x - 200) / 130;
    const ey = (y - 350) / 14;
    const e = ex * ex + ey * ey;
    if (e < 1) {
      const k = 1 - 0.22 * (1 - e);
      cr *= k;
      cg *= k;
      cb *= k;
    }

    // The silhouette, anti-aliased over one pixel by its signed distance.
    const d = shapeDistance(shape, x, y);
    const a = d <= -0.5 ? 1 : d >= 0.5 ? 0 : 0.5 - d;
    if (a > 0) {
      const v = y / max;
      let sr = fg0[0]! + (fg1[0]! - fg0[0]!) * v;
      let sg = fg0[1]! + (fg1[1]! - fg0[1]!) * v;
      let sb = fg0[2]! + (fg1[2]! - fg0[2]!) * v;
      // A vertical highlight band on the left third gives the shape some volume.
      const band = d < -8 ? Math.max(0, 1 - Math.abs(x - 150) / 14) * 0.35 : 0;
      sr += (255 - sr) * band;
      sg += (255 - sg) * band;
      sb += (255 - sb) * band;
      cr += (sr - cr) * a;
      cg += (sg - cg) * a;
      cb += (sb - cb) * a;
    }
    return [Math.round(cr), Math.round(cg), Math.round(cb)];
  });
}
