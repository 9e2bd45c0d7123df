import { badRequest } from '../../shared/errors';
import type { SpecDimension } from './schema';

/** "红色/500ml" — the unique key of a spec combination within a product. */
export const specKeyOf = (values: string[]) => values.join('/');

/** Every combination of the dimensions' values (colour × size …), in display order. */
export function combinations(dims: SpecDimension[]): string[][] {
  return dims.reduce<string[][]>((acc, d) => acc.flatMap((prefix) => d.values.map((v) => [...prefix, v])), [[]]);
}

/**
 * Checks SKU spec values against the dimensions: one value per dimension, each a declared value,
 * no combination twice. Errors name the offending SKU by its index (skus.3.specValues).
 */
export function validateSkuSpecs(dims: SpecDimension[], skuSpecs: string[][]): void {
  const seen = new Set<string>();
  skuSpecs.forEach((values, i) => {
    const path = `skus.${i}.specValues`;
    if (values.length !== dims.length)
      throw badRequest('validation.failed', `${path}: expected ${dims.length} spec value(s), got ${values.length}`, {
        in: 'json',
        issues: [
          { path, message: `expected one value for each of: ${dims.map((d) => d.name).join(', ') || '(no specs)'}`, code: 'custom' },
        ],
      });
    values.forEach((v, j) => {
      const dim = dims[j]!;
      if (!dim.values.includes(v))
        throw badRequest('validation.failed', `${path}: ${v} is not a value of ${dim.name}`, {
          in: 'json',
          issues: [{ path: `${path}.${j}`, message: `${v} is not one of ${dim.values.join(', ')}`, code: 'custom' }],
        });
    });
    const key = specKeyOf(values);
    if (seen.has(key))
      throw badRequest('validation.failed', `${path}: combination ${key} appears twice`, {
        in: 'json',
        issues: [{ path, message: `duplicate combination ${key}`, code: 'custom' }],
      });
    seen.add(key);
  });
}
