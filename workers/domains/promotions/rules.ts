import type { PricingRule } from './engine';
import { memberPriceRule } from './member-price.rule';

/**
 * The promotion rules checkout applies, in order. A new kind of promotion is one module here
 * (满减, coupons and limited-time discounts join with the promotions issue).
 */
export const PRICING_RULES: readonly PricingRule[] = [memberPriceRule];
