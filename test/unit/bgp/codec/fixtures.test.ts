/**
 * Real captures from BIRD, FRR, GoBGP and ExaBGP (scripts/capture-bgp-fixtures.sh): every message decodes
 * without warnings to the content the daemon was configured to send, re-encodes to an equal message, and
 * to the very same octets whenever the daemon laid it out as bgp-ts-lite does (one capabilities
 * parameter; attributes MP first, then ascending).
 */
import { describe, expect, it } from 'vitest';
import { mergeAs4Attributes } from '../../../../src/bgp/attributes/as4.js';
import { formatCommunity } from '../../../../src/bgp/attributes/communities.js';
import { formatLargeCommunity } from '../../../../src/bgp/attributes/large-communities.js';
import { wireOrder } from '../../../../src/bgp/attributes/list.js';
import { decodeMessage, encodeMessage } from '../../../../src/bgp/codec.js';
import { endOfRibFamily } from '../../../../src/bgp/messages/end-of-rib.js';
import { decodeShutdownCommunication } from '../../../../src/bgp/messages/shutdown-communication.js';
import { peerAsOf, validateOpen } from '../../../../src/bgp/messages/validate-open.js';
import { formatAddress, formatPrefix } from '../../../../src/bgp/nlri/prefix.js';
import type { BgpMessage, OpenMessage, PathAttribute, UpdateMessage } from '../../../../src/bgp/types.js';
import { hex } from './wire-builders.js';
import { FIXTURE_CONTEXTS, fixtureFiles, readFixture, type Daemon } from './fixture-files.js';

const TYPE_BY_FILE: Record<string, BgpMessage['type']> = {
  open: 'open',
  update: 'update',
  notification: 'notification',
  keepalive: 'keepalive',
  'route-refresh': 'route-refresh',
};
const OPT_PARM_LEN_AT = 28;
const FIRST_PARAM_LENGTH_AT = 30;
const PARAM_HEADER = 2;

function decodeAll(file: string): { daemon: Daemon; messages: BgpMessage[]; raw: Uint8Array[] } {
  const fixture = readFixture(file);
  const ctx = FIXTURE_CONTEXTS[fixture.daemon];
  const messages = fixture.messages.map((b) => {
    const { message, warnings } = decodeMessage(b, ctx);
    expect(warnings).toEqual([]);
    return message;
  });
  return { daemon: fixture.daemon, messages, raw: fixture.messages };
}

/** Whether bgp-ts-lite would lay this message out exactly as the daemon did. */
function sameLayout(m: BgpMessage, raw: Uint8Array): boolean {
  if (m.type === 'open')
    return raw[FIRST_PARAM_LENGTH_AT] === (raw[OPT_PARM_LEN_AT] as number) - PARAM_HEADER;
  if (m.type === 'update') return wireOrder(m.attributes).every((a, i) => a === m.attributes[i]);
  return true;
}

describe.each(fixtureFiles())('%s', (file) => {
  const fixture = readFixture(file);
  const version = file.split('-')[1] as string;

  it('says where it comes from', () => {
    expect(fixture.provenance[0]).toMatch(
      /^# provenance: captured by scripts\/capture-bgp-fixtures\.sh on \d{4}-\d{2}-\d{2}: /,
    );
    expect(fixture.provenance[0]).toContain(version);
    expect(fixture.messages.length).toBeGreaterThan(0);
  });

  it('decodes without warnings, re-encodes to an equal message (same octets when laid out alike)', () => {
    const { messages, raw } = decodeAll(file);
    const ctx = FIXTURE_CONTEXTS[fixture.daemon];
    messages.forEach((m, i) => {
      expect(m.type).toBe(TYPE_BY_FILE[file.replace(/^[a-z]+-[0-9.]+-/, '').replace('.hex', '')]);
      const again = decodeMessage(encodeMessage(m, ctx), ctx).message;
      expect(again).toEqual(m.type === 'update' ? { ...m, attributes: [...wireOrder(m.attributes)] } : m);
      if (sameLayout(m, raw[i] as Uint8Array))
        expect(hex(encodeMessage(m, ctx))).toBe(hex(raw[i] as Uint8Array));
    });
  });
});

// ------------------------------------------------------------------ what each daemon was configured to send

function open(daemon: string): OpenMessage {
  const file = fixtureFiles().find((f) => f.startsWith(`${daemon}-`) && f.endsWith('-open.hex')) as string;
  return decodeAll(file).messages[0] as OpenMessage;
}

function updates(daemon: string): UpdateMessage[] {
  const file = fixtureFiles().find((f) => f.startsWith(`${daemon}-`) && f.endsWith('-update.hex')) as string;
  return decodeAll(file).messages as UpdateMessage[];
}

function notification(daemon: string) {
  const file = fixtureFiles().find(
    (f) => f.startsWith(`${daemon}-`) && f.endsWith('-notification.hex'),
  ) as string;
  return decodeAll(file).messages[0] as Extract<BgpMessage, { type: 'notification' }>;
}

const find = <K extends PathAttribute['kind']>(m: UpdateMessage, kind: K) =>
  m.attributes.find((a): a is Extract<PathAttribute, { kind: K }> => a.kind === kind);
const announcing = (list: UpdateMessage[], prefix: string) =>
  list.find((u) =>
    [...u.nlri, ...(find(u, 'mp-reach-nlri')?.nlri ?? [])].some((n) => formatPrefix(n.prefix) === prefix),
  ) as UpdateMessage;
const communities = (u: UpdateMessage) => find(u, 'communities')?.values.map(formatCommunity);

describe('BIRD 2', () => {
  it('OPEN: AS_TRANS with the 4-octet AS capability, ADD-PATH send for IPv4, enhanced route refresh', () => {
    const o = open('bird');
    expect({ myAs: o.myAs, peerAs: peerAsOf(o), holdTime: o.holdTime, bgpId: o.bgpId }).toEqual({
      myAs: 23456,
      peerAs: 4200000001,
      holdTime: 90,
      bgpId: 0xc0000201,
    });
    expect(o.capabilities).toEqual(
      expect.arrayContaining([
        { kind: 'multiprotocol', afi: 1, safi: 1 },
        { kind: 'multiprotocol', afi: 2, safi: 1 },
        { kind: 'add-path', families: [{ afi: 1, safi: 1, direction: 'send' }] },
        { kind: 'enhanced-route-refresh' },
        { kind: 'extended-message' },
      ]),
    );
    expect(validateOpen(o, { peerAs: 4200000001, localAs: 65002, localBgpId: 0xc0000202 })).toBeUndefined();
  });

  it('UPDATE: IPv4 routes with Path Identifiers, MED, communities, extended and large communities', () => {
    const v4 = announcing(updates('bird'), '198.51.100.0/24');
    expect(v4.nlri.map((n) => formatPrefix(n.prefix))).toEqual(['198.51.100.0/24', '203.0.113.0/25']);
    expect(v4.nlri.every((n) => typeof n.pathId === 'number')).toBe(true);

    expect(formatAddress(find(v4, 'next-hop')?.address as Uint8Array)).toBe('192.0.2.1');
    expect(find(v4, 'as-path')?.segments).toEqual([{ type: 2, asns: [4200000001] }]);
    expect(find(v4, 'multi-exit-disc')?.value).toBe(50);
    expect(communities(v4)).toEqual(['65000:100', 'no-export']);
    expect(find(v4, 'large-communities')?.values.map(formatLargeCommunity)).toEqual(['4200000001:1:2']);
    expect(find(v4, 'extended-communities')?.values.map(hex)).toEqual(['0002fde800000001']);
  });

  it('UPDATE: IPv6 in MP_REACH_NLRI, whose Extended Length flag on a short value is kept', () => {
    const v6 = announcing(updates('bird'), '2001:db8:100::/48');
    const reach = find(v6, 'mp-reach-nlri');
    expect(reach?.nextHops.map(formatAddress)).toEqual(['2001:db8::1']);
    expect(reach?.flags).toBe(0x90);
  });

  it('End-of-RIB for both families, and BoRR/EoRR around the refresh it was asked for', () => {
    expect(
      updates('bird')
        .map(endOfRibFamily)
        .filter((f) => f !== undefined),
    ).toEqual([
      { afi: 1, safi: 1 },
      { afi: 2, safi: 1 },
    ]);
    const refresh = decodeAll(
      fixtureFiles().find((f) => f.startsWith('bird-') && f.endsWith('route-refresh.hex')) as string,
    ).messages;
    expect(refresh.map((m) => m.type === 'route-refresh' && [m.afi, m.subtype])).toEqual([
      [1, 1],
      [1, 2],
      [1, 0],
      [2, 0],
    ]);
  });

  it('Cease / Administrative Shutdown with its shutdown communication', () => {
    const n = notification('bird');
    expect([n.code, n.subcode]).toEqual([6, 2]);
    expect(decodeShutdownCommunication(n.data)).toEqual({
      kind: 'text',
      text: 'Herald fixture: planned maintenance',
      trailing: new Uint8Array(0),
    });
  });
});

describe('FRR 8', () => {
  it('OPEN: keeps the capabilities bgp-ts-lite does not know (Cisco route refresh, hostname, LLGR)', () => {
    const o = open('frr');
    expect({ myAs: o.myAs, peerAs: peerAsOf(o), holdTime: o.holdTime }).toEqual({
      myAs: 23456,
      peerAs: 4200000002,
      holdTime: 180,
    });
    expect(
      o.capabilities.filter((c) => c.kind === 'unknown').map((c) => c.kind === 'unknown' && c.code),
    ).toEqual([128, 73, 71]);
  });

  it('UPDATE to a 2-octet peer: AS_TRANS in AS_PATH, the real path in AS4_PATH, merged on receipt', () => {
    const v4 = announcing(updates('frr'), '198.51.100.0/24');
    expect(find(v4, 'as-path')?.segments).toEqual([{ type: 2, asns: [23456] }]);
    expect(find(v4, 'as4-path')?.segments).toEqual([{ type: 2, asns: [4200000002] }]);
    const merged = mergeAs4Attributes(v4.attributes, false);
    expect(merged.find((a) => a.kind === 'as-path')).toMatchObject({
      segments: [{ type: 2, asns: [4200000002] }],
    });
    expect(merged.some((a) => a.kind === 'as4-path')).toBe(false);
    expect(communities(v4)).toEqual(['65000:100', 'graceful-shutdown']);
  });

  it('UPDATE: IPv6 next hop as global + link-local (RFC 2545)', () => {
    const reach = find(announcing(updates('frr'), '2001:db8:100::/48'), 'mp-reach-nlri');
    expect(reach?.nextHops.map(formatAddress)[0]).toBe('2001:db8::1');
    expect(reach?.nextHops[1]?.subarray(0, 2)).toEqual(Uint8Array.of(0xfe, 0x80));
  });
});

describe('GoBGP 3', () => {
  it('OPEN: extended next hop for IPv4 over IPv6, FQDN capability kept opaque', () => {
    const o = open('gobgp');
    expect(o.capabilities).toContainEqual({
      kind: 'extended-next-hop',
      entries: [{ afi: 1, safi: 1, nextHopAfi: 2 }],
    });
    // FQDN (code 73): hostname length, hostname (the capturing machine's), domain length, domain.
    const fqdn = o.capabilities.find((c) => c.kind === 'unknown' && c.code === 73);
    const data = fqdn?.kind === 'unknown' ? fqdn.data : new Uint8Array(0);
    expect(data.length).toBe(2 + (data[0] as number) + (data[1 + (data[0] as number)] as number));
  });

  it('UPDATE: ORIGIN incomplete, AGGREGATOR, blackhole community', () => {
    const v4 = announcing(updates('gobgp'), '198.51.100.0/24');
    expect(find(v4, 'origin')?.value).toBe(2);
    expect(find(v4, 'aggregator')).toMatchObject({ asn: 65001, address: Uint8Array.of(192, 0, 2, 1) });
    expect(communities(v4)).toEqual(['65000:100', 'blackhole']);
  });

  it('Cease / Administrative Reset with its shutdown communication', () => {
    const n = notification('gobgp');
    expect([n.code, n.subcode]).toEqual([6, 4]);
    expect(decodeShutdownCommunication(n.data)).toMatchObject({
      kind: 'text',
      text: 'Herald fixture: planned maintenance',
    });
  });
});

describe('ExaBGP 4', () => {
  it('OPEN: graceful restart with the Restart State bit and forwarding state for both families', () => {
    expect(open('exabgp').capabilities).toContainEqual({
      kind: 'graceful-restart',
      restartState: true,
      notification: false,
      restartTime: 120,
      families: [
        { afi: 1, safi: 1, forwardingState: true },
        { afi: 2, safi: 1, forwardingState: true },
      ],
    });
  });

  it('UPDATE: MP_REACH_NLRI after the other attributes is decoded; IPv6 End-of-RIB with Extended Length', () => {
    const list = updates('exabgp');
    const v6 = announcing(list, '2001:db8:100::/48');
    expect(v6.attributes.at(-1)?.kind).toBe('mp-reach-nlri');
    expect(list.map(endOfRibFamily).filter((f) => f !== undefined)).toEqual([
      { afi: 1, safi: 1 },
      { afi: 2, safi: 1 },
    ]);
    expect(list.at(-1)?.attributes[0]?.flags).toBe(0x90);
  });

  it('answers a zero Marker with Message Header Error / Connection Not Synchronized', () => {
    const n = notification('exabgp');
    expect([n.code, n.subcode]).toEqual([1, 1]);
  });
});
