/**
 * Shared rules of the community-style attributes, a non-empty list of fixed-size items: RFC 7606 §7.8
 * (COMMUNITIES, 4 octets), §7.14 (EXTENDED COMMUNITIES, 8) and RFC 8092 §6 (LARGE_COMMUNITY, 12). A
 * length that is not a non-zero multiple of the item size is treat-as-withdraw.
 */
import { UpdateSubcode } from '../constants.js';
import { BgpInputError } from '../errors.js';
import type { Reader } from '../wire/reader.js';
import type { AttributeInput } from './spec.js';

/** Checks the value length and returns the number of items. */
export function itemCount(r: Reader, input: AttributeInput, name: string, itemSize: number): number {
  const length = r.remaining;
  if (length === 0 || length % itemSize !== 0) {
    throw input.fail(
      UpdateSubcode.ATTRIBUTE_LENGTH_ERROR,
      `${name} length ${length} is not a non-zero multiple of ${itemSize}`,
    );
  }
  return length / itemSize;
}

export function checkNotEmpty(field: string, count: number): void {
  if (count === 0) throw new BgpInputError(field, 'an empty list would be malformed (RFC 7606); omit it');
}
