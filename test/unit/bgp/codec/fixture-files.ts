/** Reads the real-daemon captures in test/fixtures/bgp (one hex message per line after '#' lines). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURE_DIR = join(import.meta.dirname, '../../../fixtures/bgp');

export interface Fixture {
  readonly file: string;
  readonly provenance: string[];
  readonly messages: Uint8Array[];
}

export function readFixture(file: string): Fixture {
  const lines = readFileSync(join(FIXTURE_DIR, file), 'utf8').split('\n');
  return {
    file,
    provenance: lines.filter((l) => l.startsWith('#')),
    messages: lines.filter((l) => l.trim() !== '' && !l.startsWith('#')).map((l) => new Uint8Array(Buffer.from(l.trim(), 'hex'))),
  };
}

export function fixtureFiles(): string[] {
  return readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.hex')).sort();
}
