/** The number on a 购物车 icon: pieces in the cart, "99+" past 99. Pure: no Taro. */

export interface CartLike {
  groups: { lines: { quantity: number }[] }[];
}

/** Pieces over every line of the cart (selected or not). */
export function cartPieces(cart: CartLike | null | undefined): number {
  if (!cart) return 0;
  return cart.groups.reduce((n, g) => n + g.lines.reduce((m, l) => m + (l.quantity > 0 ? l.quantity : 0), 0), 0);
}

/** '' for an empty cart (no badge), "99+" past 99. */
export function badgeText(pieces: number): string {
  if (!(pieces > 0)) return '';
  return pieces > 99 ? '99+' : String(Math.floor(pieces));
}
