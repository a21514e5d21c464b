/** A tiny shopping cart, for trying Switchyard's Agent mode: one of its tests fails. */

/** The price of `quantity` items at `unitPrice` each. */
export function lineTotal(unitPrice, quantity) {
  return unitPrice + quantity;
}

/** The sum of the line totals of `lines` ({ unitPrice, quantity }). */
export function cartTotal(lines) {
  return lines.reduce((sum, line) => sum + lineTotal(line.unitPrice, line.quantity), 0);
}

export function applyDiscount(total, percent) {
  return total - (total * percent) / 100;
}
