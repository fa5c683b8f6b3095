/** Reads the real-daemon captures in test/fixtures/bgp (one hex message per line after '#' lines). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodecContext } from '../../../../src/bgp/types.js';
import { codecContext } from '../../../laws/bgp-arbitraries.js';

export const FIXTURE_DIR = join(import.meta.dirname, '../../../fixtures/bgp');

export type Daemon = 'bird' | 'frr' | 'gobgp' | 'exabgp';

/**
 * The session each capture was made on, negotiated from the daemon's OPEN and the scripted peer's
 * (scripts/capture-bgp-fixtures.sh): BIRD sends ADD-PATH Path Identifiers for IPv4 unicast; FRR faced a
 * peer without the 4-octet AS capability; GoBGP did not offer extended messages.
 */
export const FIXTURE_CONTEXTS: Readonly<Record<Daemon, CodecContext>> = {
  bird: codecContext({
    fourOctetAs: true,
    extendedMessage: true,
    addPathReceive: new Set(['1/1']),
    addPathSend: new Set(['1/1']),
  }),
  frr: codecContext({ fourOctetAs: false, extendedMessage: true }),
  gobgp: codecContext({ fourOctetAs: true, extendedMessage: false }),
  exabgp: codecContext({ fourOctetAs: true, extendedMessage: true }),
};

export interface Fixture {
  readonly file: string;
  readonly daemon: Daemon;
  readonly provenance: string[];
  readonly messages: Uint8Array[];
}

export function readFixture(file: string): Fixture {
  const lines = readFileSync(join(FIXTURE_DIR, file), 'utf8').split('\n');
  return {
    file,
    daemon: file.split('-')[0] as Daemon,
    provenance: lines.filter((l) => l.startsWith('#')),
    messages: lines
      .filter((l) => l.trim() !== '' && !l.startsWith('#'))
      .map((l) => new Uint8Array(Buffer.from(l.trim(), 'hex'))),
  };
}

export function fixtureFiles(): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.hex'))
    .sort();
}

/** Every captured message with the context it was sent on. */
export function allFixtureMessages(): Array<{ bytes: Uint8Array; ctx: CodecContext }> {
  return fixtureFiles().flatMap((f) => {
    const fixture = readFixture(f);
    return fixture.messages.map((bytes) => ({ bytes, ctx: FIXTURE_CONTEXTS[fixture.daemon] }));
  });
}
