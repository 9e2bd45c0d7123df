// Operator segment rules as SQL over member_profiles (alias p). One translation serves counts,
// pages, the members list and the single-shopper check, so they never disagree. Lists are bound
// as one JSON parameter each (json_each), which keeps every statement under D1's 100 parameters.
import type { Layer, SegmentRules } from './schema';

export interface SqlPart {
  sql: string;
  params: unknown[];
}

/** The WHERE condition (without "WHERE") of a rule set; "1" when there are no rules. */
export function rulesWhere(r: SegmentRules): SqlPart {
  const conds: string[] = [];
  const params: unknown[] = [];
  const inList = (col: string, values: string[]) => {
    conds.push(`${col} IN (SELECT value FROM json_each(?))`);
    params.push(JSON.stringify(values));
  };
  if (r.layers?.length) inList('p.layer', r.layers);
  if (r.tierIds?.length) inList('p.tier_id', r.tierIds);
  if (r.cities?.length) inList('p.city', r.cities);
  const cmp = (expr: string, v: number | undefined) => {
    if (v === undefined) return;
    conds.push(`${expr} ?`);
    params.push(v);
  };
  cmp('p.spend >=', r.minSpend);
  cmp('p.spend <=', r.maxSpend);
  cmp('p.order_count >=', r.minOrders);
  cmp('p.order_count <=', r.maxOrders);
  cmp('p.last_order_at <', r.lastOrderBefore);
  cmp('p.last_order_at >=', r.lastOrderAfter);
  if (r.tagIds?.length) {
    conds.push('EXISTS (SELECT 1 FROM member_user_tags t WHERE t.user_id = p.user_id AND t.tag_id IN (SELECT value FROM json_each(?)))');
    params.push(JSON.stringify(r.tagIds));
  }
  return { sql: conds.length ? conds.join(' AND ') : '1', params };
}

/** The rules of a layer's segment. */
export const layerRules = (layer: Layer): SegmentRules => ({ layers: [layer] });
