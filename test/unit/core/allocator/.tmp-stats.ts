import fc from 'fast-check';
import { Harness } from './harness.js';
import { allocatorModelProperty } from './model.js';
const c: Record<string, number> = {};
const inc = (k: string) => (c[k] = (c[k] ?? 0) + 1);
const orig = Harness.prototype.allocate;
Harness.prototype.allocate = function (req, e) {
  const r = orig.call(this, req, e);
  inc(r.ok ? 'ok:' + r.allocation.source : 'err:' + r.error.kind);
  if (r.cleared) inc('cleared:' + r.cleared.reason.kind);
  if (r.ok && r.allocation.additionalFamilyError)
    inc('additional:' + r.allocation.additionalFamilyError.kind);
  if (r.ok && r.allocation.source === 'kept' && r.allocation.changed) inc('kept-changed');
  if (r.ok && r.allocation.ips.some((ip) => this.alloc.usersOf(ip).length > 1)) inc('shared');
  if (r.ok && r.allocation.ips.length === 2) inc('dual');
  return r;
};
const os = Harness.prototype.setPools;
Harness.prototype.setPools = function (p) {
  const r = os.call(this, p);
  c.moved = (c.moved ?? 0) + r.moved.length;
  c.reassigned = (c.reassigned ?? 0) + r.reassigned.length;
  return r;
};
const orr = Harness.prototype.restore;
Harness.prototype.restore = function (reqs) {
  const r = orr.call(this, reqs);
  c.restored = (c.restored ?? 0) + r.restored;
  return r;
};
const t = performance.now();
fc.assert(allocatorModelProperty(), { numRuns: 10000 });
console.log(
  performance.now() - t,
  Object.entries(c)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k}=${v / 2}`)
    .join(' '),
);
