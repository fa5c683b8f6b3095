import { describe, expect, it } from 'vitest';

import {
  buildArpFrame,
  buildGratuitousArp,
  ArpOp,
  parseIpBytes,
  parseMac,
} from '../../../../src/l2/wire/index.js';
import { gratuitousArpSender } from '../../../../bench/failover/garp.js';
import { firstLogTime } from '../../../../bench/failover/herald.js';
import { keepalivedConfig } from '../../../../bench/failover/keepalived.js';
import { HERALD_TUNED_FLAGS, parseOptions } from '../../../../bench/failover/options.js';

const VIP = '192.0.2.200';
const MAC = '02:00:00:00:00:11';

describe('gratuitousArpSender', () => {
  it('recognises gratuitous requests and replies for the VIP', () => {
    for (const op of ['request', 'reply'] as const) {
      expect(gratuitousArpSender(buildGratuitousArp(parseIpBytes(VIP), parseMac(MAC), op), VIP)).toBe(MAC);
    }
  });

  it('ignores other addresses, ordinary requests and garbage', () => {
    const other = buildGratuitousArp(parseIpBytes('192.0.2.201'), parseMac(MAC), 'request');
    expect(gratuitousArpSender(other, VIP)).toBeUndefined();
    const request = buildArpFrame(
      { destination: parseMac('ff:ff:ff:ff:ff:ff'), source: parseMac(MAC) },
      {
        op: ArpOp.REQUEST,
        senderMac: parseMac(MAC),
        senderIp: parseIpBytes('192.0.2.100'),
        targetMac: new Uint8Array(6),
        targetIp: parseIpBytes(VIP),
      },
    );
    expect(gratuitousArpSender(request, VIP)).toBeUndefined();
    expect(gratuitousArpSender(new Uint8Array([1, 2, 3]), VIP)).toBeUndefined();
  });
});

describe('keepalivedConfig', () => {
  it('is VRRPv3 with the priority, advert_int and VIP on eth0', () => {
    const conf = keepalivedConfig({ name: 'node-2' }, 100, 0.1, VIP);
    expect(conf).toContain('vrrp_version 3');
    expect(conf).toContain('router_id node-2');
    expect(conf).toContain('priority 100');
    expect(conf).toContain('advert_int 0.1');
    expect(conf).toContain(`${VIP}/24 dev eth0`);
    expect(conf).toContain('vrrp_garp_master_delay 0');
  });

  it('rejects out-of-range priorities and intervals', () => {
    expect(() => keepalivedConfig({ name: 'n' }, 255, 1, VIP)).toThrow(/priority/);
    expect(() => keepalivedConfig({ name: 'n' }, 100, 0.001, VIP)).toThrow(/advert_int/);
  });
});

describe('parseOptions', () => {
  it('defaults to 20 trials of every target, 2 with --smoke', () => {
    const o = parseOptions([]);
    expect(o.trials).toBe(20);
    expect(o.targets).toEqual(['keepalived-1s', 'keepalived-0.1s', 'herald-default', 'herald-tuned']);
    expect(o.tunedFlags).toEqual(HERALD_TUNED_FLAGS);
    expect(parseOptions(['--smoke']).trials).toBe(2);
  });

  it('takes trials, targets and tuned flags', () => {
    const o = parseOptions([
      '--trials',
      '5',
      '--targets',
      'herald-tuned,keepalived-0.1s',
      '--tuned-flags',
      '--probe-interval 50ms',
    ]);
    expect(o).toMatchObject({ trials: 5, targets: ['herald-tuned', 'keepalived-0.1s'] });
    expect(o.tunedFlags).toEqual(['--probe-interval', '50ms']);
  });

  it('names the bad flag', () => {
    expect(() => parseOptions(['--trials', '0'])).toThrow(/--trials/);
    expect(() => parseOptions(['--targets', 'vrrpd'])).toThrow(/unknown target 'vrrpd'/);
  });
});

describe('firstLogTime', () => {
  const log = [
    'not json',
    '{"level":30,"time":900,"ip":"192.0.2.200","msg":"announcing"}',
    '{"level":30,"time":1100,"ip":"192.0.2.201","msg":"announcing"}',
    '{"level":30,"time":1200,"ip":"192.0.2.200","msg":"withdrawn"}',
    '{"level":30,"time":1300,"ip":"192.0.2.200","msg":"announcing"}',
    '{"broken announcing',
  ].join('\n');

  it('finds the first matching line at or after the kill', () => {
    expect(firstLogTime(log, 'announcing', VIP, 1000)).toBe(1300);
    expect(firstLogTime(log, 'announcing', VIP, 800)).toBe(900);
    expect(firstLogTime(log, 'announcing', VIP, 1301)).toBeUndefined();
  });
});
