import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDiscount, cartTotal, lineTotal } from '../src/cart.js';

test('a line costs its unit price times its quantity', () => {
  assert.equal(lineTotal(4, 3), 12);
});

test('a cart costs the sum of its lines', () => {
  assert.equal(cartTotal([{ unitPrice: 2, quantity: 5 }, { unitPrice: 1, quantity: 1 }]), 11);
});

test('a discount takes a percentage off', () => {
  assert.equal(applyDiscount(200, 10), 180);
});
