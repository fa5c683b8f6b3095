import { describe, expect, it } from 'vitest';
import { formatMs, parseDuration } from '../../../src/config/duration.js';

describe('metav1.Duration (Go time.ParseDuration) text', () => {
  it.each([
    ['0', 0],
    ['90s', 90_000],
    ['1m30s', 90_000],
    ['1.5h', 5_400_000],
    ['500ms', 500],
    ['1500us', 1.5],
    ['1500\u00b5s', 1.5],
    ['1500\u03bcs', 1.5],
    ['2000000ns', 2],
    ['+3s', 3_000],
    ['-3s', -3_000],
    ['.5s', 500],
    ['1.s', 1_000],
    ['1h2m3s4ms', 3_723_004],
  ])('%s = %s ms', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, ms });
  });

  it.each([
    ['', 'expected a number and a unit'],
    ['90', 'expected a number and a unit'],
    ['s', 'expected a number and a unit'],
    ['1d', 'unknown unit "d"'],
    ['1 s', 'expected a number and a unit'],
    ['1S', 'expected a number and a unit'],
    ['3000000h', 'out of range'],
    ['-', 'expected a number and a unit'],
  ])('rejects %j (%s)', (text, reason) => {
    const parsed = parseDuration(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });

  it('formats milliseconds for messages', () => {
    expect([formatMs(0), formatMs(500), formatMs(1500), formatMs(90_000)]).toEqual([
      '0s',
      '500ms',
      '1.5s',
      '90s',
    ]);
  });
});
