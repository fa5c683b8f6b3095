/** Vitest glue for scenario tables (kept apart from harness.ts so the bench can import the harness). */
import { describe, expect, it } from 'vitest';
import type { Pool } from '../../../../src/core/pool.js';
import { Harness, type Row } from './harness.js';

/** Declares one describe block: a fresh Allocator over `pools`, rows in order, invariants after each. */
export function scenarioTable(title: string, pools: readonly Pool[], rows: readonly Row[]): void {
  describe(title, () => {
    const h = new Harness(pools);
    it.each(rows)('$name', (row) => {
      const got = row.op(h);
      if (typeof row.want === 'object' && row.want !== null) expect(got).toMatchObject(row.want);
      else expect(got).toEqual(row.want);
      h.check();
    });
  });
}
