// The RFM layer rules (用户分层), pure so the boundaries are tested without a database.
import { DAY_MS } from '../../../shared/calendar';
import type { Layer } from './schema';

export interface LayerThresholds {
  newDays: number;
  dormantDays: number;
  lostDays: number;
}

/** What the layer is decided from: one shopper's registration and order history. */
export interface RfmFigures {
  registeredAt: number;
  /** paid purchases, ever */
  orderCount: number;
  /** the last paid order, null if none */
  lastOrderAt: number | null;
}

export const LAYER_NAMES: Record<Layer, string> = { new: '新客', active: '活跃', dormant: '沉睡', lost: '流失' };

/** The segment id a layer has wherever a segment is named (campaigns, coupon issues): 'layer:dormant'. */
export const layerSegmentId = (l: Layer) => `layer:${l}`;

/**
 * A shopper's layer at `now`:
 * - 新客: registered less than `newDays` days ago with at most one order;
 * - otherwise by the days since their last paid order (since registering, if they never ordered):
 *   under `dormantDays` → 活跃, under `lostDays` → 沉睡, else 流失.
 * A boundary day counts as the later layer: exactly 60 days without an order is 沉睡 at 60.
 */
export function layerOf(f: RfmFigures, t: LayerThresholds, now: number): Layer {
  if (now - f.registeredAt < t.newDays * DAY_MS && f.orderCount <= 1) return 'new';
  const quiet = now - (f.lastOrderAt ?? f.registeredAt);
  if (quiet >= t.lostDays * DAY_MS) return 'lost';
  if (quiet >= t.dormantDays * DAY_MS) return 'dormant';
  return 'active';
}
