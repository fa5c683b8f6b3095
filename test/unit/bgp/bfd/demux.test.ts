import { describe, expect, it } from 'vitest';
import { BfdConfigError } from '../../../../src/bgp/bfd/fsm/index.js';
import {
  BfdDemux,
  BfdDuplicateSessionError,
  canonicalAddress,
  type DemuxTarget,
} from '../../../../src/bgp/bfd/session/index.js';
import { remote } from './fsm-helpers.js';

const v4: DemuxTarget = { peerAddress: '192.0.2.2', mode: 'single-hop', localDiscriminator: 100 };
const v6: DemuxTarget = { peerAddress: '2001:db8:bfd::2', mode: 'single-hop', localDiscriminator: 200 };
const mh: DemuxTarget = { peerAddress: '192.0.2.2', mode: 'multihop', localDiscriminator: 300 };

function demux(): BfdDemux<DemuxTarget> {
  const d = new BfdDemux<DemuxTarget>();
  d.add(v4);
  d.add(v6);
  d.add(mh);
  return d;
}

describe('BfdDemux (RFC 5880 §6.3, §6.8.6)', () => {
  it.each([
    {
      name: 'Your Discriminator selects the session',
      mode: 'single-hop',
      source: '192.0.2.2',
      your: 100,
      want: v4,
    },
    { name: 'same peer, multihop socket', mode: 'multihop', source: '192.0.2.2', your: 300, want: mh },
    { name: 'IPv6 by discriminator', mode: 'single-hop', source: '2001:db8:bfd::2', your: 200, want: v6 },
    {
      name: 'zero discriminator: by mode and source',
      mode: 'single-hop',
      source: '192.0.2.2',
      your: 0,
      want: v4,
    },
    { name: 'zero discriminator, multihop', mode: 'multihop', source: '192.0.2.2', your: 0, want: mh },
    {
      name: 'unknown discriminator',
      mode: 'single-hop',
      source: '192.0.2.2',
      your: 999,
      want: 'unknown-discriminator',
    },
    {
      name: 'discriminator of a multihop session on the single-hop socket',
      mode: 'single-hop',
      source: '192.0.2.2',
      your: 300,
      want: 'unknown-discriminator',
    },
    {
      name: 'discriminator from another address',
      mode: 'single-hop',
      source: '192.0.2.3',
      your: 100,
      want: 'address-mismatch',
    },
    {
      name: 'zero discriminator, unknown peer',
      mode: 'single-hop',
      source: '192.0.2.9',
      your: 0,
      want: 'no-session',
    },
  ] as const)('$name', ({ mode, source, your, want }) => {
    const result = demux().lookup(mode, source, remote({ state: 'Down', yourDiscriminator: your }));
    expect(result).toEqual(typeof want === 'string' ? { discard: want } : { session: want });
  });

  it('refuses a second session to the same peer and mode, or a reused discriminator', () => {
    const d = demux();
    expect(() => d.add({ ...v4, localDiscriminator: 101 })).toThrow(BfdDuplicateSessionError);
    expect(() => d.add({ ...v4, peerAddress: '192.0.2.7', localDiscriminator: 100 })).toThrow(
      BfdDuplicateSessionError,
    );
  });

  it('forgets removed sessions', () => {
    const d = demux();
    d.remove(v4);
    expect(d.size).toBe(2);
    expect(d.lookup('single-hop', '192.0.2.2', remote({ yourDiscriminator: 100 }))).toEqual({
      discard: 'unknown-discriminator',
    });
    expect(d.hasPeer('single-hop', '192.0.2.2')).toBe(false);
    expect(d.hasPeer('multihop', '192.0.2.2')).toBe(true);
  });
});

describe('canonicalAddress', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1', 'IPv4'],
    ['2001:DB8:BFD:0:0:0:0:1', '2001:db8:bfd::1', 'IPv6'],
    ['fe80::1%eth0', 'fe80::1%eth0', 'IPv6'],
  ])('%s → %s (%s)', (input, text, family) => {
    expect(canonicalAddress(input, 'peerAddress')).toEqual({ text, family });
  });

  it.each(['', 'bfd.example', '192.0.2.256', '192.0.2.1%eth0', 'fe80::1%', '2001:db8::/64'])(
    'rejects %j',
    (input) => {
      expect(() => canonicalAddress(input, 'peerAddress')).toThrowError(
        expect.objectContaining({ name: 'BfdConfigError', field: 'peerAddress' }),
      );
      expect(() => canonicalAddress(input, 'peerAddress')).toThrow(BfdConfigError);
    },
  );
});
