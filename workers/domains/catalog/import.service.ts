import Papa from 'papaparse';
import type { Ctx } from '../../shared/context';
import { badRequest } from '../../shared/errors';
import { yuanToFen } from '../../shared/money';
import { resolveCategoryRef } from './categories.service';
import { createProduct, findProductIdByTitle } from './products.service';
import { merchantForNewProduct } from './access';
import { CreateProductInput } from './dto';

export const IMPORT_MAX_ROWS = 2000;
export const IMPORT_COLUMNS = [
  'spu',
  'title',
  'category',
  'subtitle',
  'material',
  'origin',
  'attributes',
  'specs',
  'price',
  'original_price',
  'cost',
  'stock',
  'low_stock_threshold',
  'barcode',
  'weight_g',
  'status',
] as const;
const REQUIRED = ['spu', 'title', 'category', 'price', 'stock'] as const;

interface RowError {
  line: number;
  field: string | null;
  message: string;
}

type Row = Record<string, string> & { __line: number };

/** "品牌=膳魔师;容量=500ml" → { 品牌: '膳魔师', 容量: '500ml' } (keeps order). */
function parsePairs(text: string): [string, string][] | null {
  if (!text.trim()) return [];
  const pairs: [string, string][] = [];
  for (const part of text
    .split(/[;；]/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([^=：:]+)[=：:](.+)$/.exec(part);
    if (!m) return null;
    pairs.push([m[1]!.trim(), m[2]!.trim()]);
  }
  return pairs;
}

function intField(row: Row, field: string, errors: RowError[], opts: { required?: boolean; min?: number } = {}): number | undefined {
  const raw = (row[field] ?? '').trim();
  if (!raw) {
    if (opts.required) errors.push({ line: row.__line, field, message: `${field} is required` });
    return undefined;
  }
  if (!/^-?\d+$/.test(raw) || Number(raw) < (opts.min ?? 0)) {
    errors.push({ line: row.__line, field, message: `${field} must be a whole number ≥ ${opts.min ?? 0}, got "${raw}"` });
    return undefined;
  }
  return Number(raw);
}

function moneyField(row: Row, field: string, errors: RowError[], required = false): number | undefined {
  const raw = (row[field] ?? '').trim();
  if (!raw) {
    if (required) errors.push({ line: row.__line, field, message: `${field} is required` });
    return undefined;
  }
  const v = yuanToFen(raw);
  if (v === null) errors.push({ line: row.__line, field, message: `${field} must be a yuan amount like 49.90, got "${raw}"` });
  return v ?? undefined;
}

/**
 * Bulk import from CSV: one row per SKU, rows sharing `spu` form one product. Every row is
 * checked first; a product with any bad row is not imported at all (each product is written in
 * one batch, so there are no half products), and the report names every bad line. Products whose
 * title already exists for the merchant are refused, so re-running an import does not duplicate.
 */
export async function importProductsCsv(ctx: Ctx, csv: string, opts: { dryRun: boolean; merchantId?: string }) {
  const merchantId = merchantForNewProduct(ctx, opts.merchantId);
  const parsed = Papa.parse<Record<string, string>>(csv.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (h) => h.trim().toLowerCase(),
  });
  const headers = parsed.meta.fields ?? [];
  const missingCols = REQUIRED.filter((c) => !headers.includes(c));
  if (missingCols.length)
    throw badRequest('catalog.import_bad_header', `CSV header is missing column(s): ${missingCols.join(', ')}`, {
      expected: IMPORT_COLUMNS,
    });
  const unknownCols = headers.filter((h) => !(IMPORT_COLUMNS as readonly string[]).includes(h));
  if (unknownCols.length)
    throw badRequest('catalog.import_bad_header', `unknown column(s): ${unknownCols.join(', ')}`, { expected: IMPORT_COLUMNS });
  if (parsed.data.length > IMPORT_MAX_ROWS) throw badRequest('catalog.import_too_large', `at most ${IMPORT_MAX_ROWS} rows per import`);

  const errors: RowError[] = parsed.errors.map((e) => ({ line: (e.row ?? 0) + 2, field: null, message: `CSV: ${e.message}` }));
  // Line numbers as a spreadsheet shows them: the header is line 1.
  const rows: Row[] = parsed.data.map(
    (r, i) => Object.assign(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, (v ?? '').trim()])), { __line: i + 2 }) as Row,
  );

  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    if (!r.spu) {
      errors.push({ line: r.__line, field: 'spu', message: 'spu is required (rows with the same spu form one product)' });
      continue;
    }
    groups.set(r.spu, [...(groups.get(r.spu) ?? []), r]);
  }

  const ready: { spu: string; lines: number[]; input: CreateProductInput }[] = [];
  for (const [spu, group] of groups) {
    const errs: RowError[] = [];
    const first = group[0]!;
    const categoryId = first.category ? await resolveCategoryRef(ctx, first.category) : null;
    if (!categoryId)
      errs.push({
        line: first.__line,
        field: 'category',
        message: `unknown category "${first.category}" (use a cat_ id or a path like 家居生活/厨房用品/保温杯)`,
      });
    const attributes = parsePairs(first.attributes ?? '');
    if (!attributes) errs.push({ line: first.__line, field: 'attributes', message: 'attributes must look like 品牌=膳魔师;容量=500ml' });
    const status = first.status || 'draft';
    if (status !== 'draft' && status !== 'on_sale')
      errs.push({ line: first.__line, field: 'status', message: 'status must be draft or on_sale' });

    const dims: { name: string; values: string[] }[] = [];
    const skuInputs = group.map((r) => {
      const specs = parsePairs(r.specs ?? '');
      if (!specs) errs.push({ line: r.__line, field: 'specs', message: 'specs must look like 颜色=红色;容量=500ml' });
      const specValues: string[] = [];
      for (const [name, value] of specs ?? []) {
        let dim = dims.find((d) => d.name === name);
        if (!dim) dims.push((dim = { name, values: [] }));
        if (!dim.values.includes(value)) dim.values.push(value);
        specValues.push(value);
      }
      return {
        line: r.__line,
        sku: {
          specValues,
          price: moneyField(r, 'price', errs, true),
          originalPrice: moneyField(r, 'original_price', errs),
          cost: moneyField(r, 'cost', errs),
          stock: intField(r, 'stock', errs, { required: true }),
          lowStockThreshold: intField(r, 'low_stock_threshold', errs),
          barcode: r.barcode || null,
          weightG: intField(r, 'weight_g', errs),
        },
      };
    });
    if (errs.length === 0) {
      const candidate = CreateProductInput.safeParse({
        categoryId,
        title: first.title,
        subtitle: first.subtitle ?? '',
        material: first.material ?? '',
        origin: first.origin ?? '',
        attributes: Object.fromEntries(attributes ?? []),
        specDims: dims,
        skus: skuInputs.map((s) => s.sku),
        status,
        merchantId: opts.merchantId,
      });
      if (!candidate.success) {
        for (const issue of candidate.error.issues) {
          // skus.<i>.<field> points at the i-th row of the group; product fields at its first row.
          const [head, idx, field] = issue.path.map(String);
          const line = head === 'skus' && idx !== undefined ? (skuInputs[Number(idx)]?.line ?? first.__line) : first.__line;
          errs.push({ line, field: head === 'skus' ? (field ?? 'specs') : (head ?? null), message: issue.message });
        }
      } else {
        const keys = new Set<string>();
        for (const s of skuInputs) {
          const key = s.sku.specValues.join('/');
          if (s.sku.specValues.length !== dims.length)
            errs.push({
              line: s.line,
              field: 'specs',
              message: `every row of spu ${spu} needs a value for each of ${dims.map((d) => d.name).join(', ')}`,
            });
          else if (keys.has(key)) errs.push({ line: s.line, field: 'specs', message: `combination ${key} appears twice in spu ${spu}` });
          keys.add(key);
        }
        if (errs.length === 0 && (await findProductIdByTitle(ctx, merchantId, candidate.data.title)))
          errs.push({ line: first.__line, field: 'title', message: `a product titled "${candidate.data.title}" already exists` });
        if (errs.length === 0) ready.push({ spu, lines: group.map((r) => r.__line), input: candidate.data });
      }
    }
    errors.push(...errs);
  }

  const importedProductIds: string[] = [];
  let skusImported = 0;
  if (!opts.dryRun) {
    for (const p of ready) {
      try {
        const created = await createProduct(ctx, p.input);
        importedProductIds.push(created.id);
        skusImported += created.skus.length;
      } catch (e) {
        errors.push({ line: p.lines[0]!, field: null, message: e instanceof Error ? e.message : String(e) });
      }
    }
  }
  errors.sort((a, b) => a.line - b.line);
  return {
    dryRun: opts.dryRun,
    rows: rows.length,
    productsImported: opts.dryRun ? 0 : importedProductIds.length,
    skusImported,
    importedProductIds,
    errors,
  };
}
