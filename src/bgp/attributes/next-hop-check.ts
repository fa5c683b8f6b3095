/**
 * RFC 4271 §6.3: a NEXT_HOP must be a valid IP host address. 0.0.0.0, multicast (224.0.0.0/4) and the
 * limited broadcast address are not; RFC 7606 §7.3 makes that treat-as-withdraw. Checks that need the
 * session (the receiver's own address, a shared subnet on eBGP) are left to the session.
 */
import { IPV4_MULTICAST_FIRST_OCTET_MAX, IPV4_MULTICAST_FIRST_OCTET_MIN } from '../constants.js';

const ALL_ZEROS = 0;
const ALL_ONES = 0xff;

export function isValidIPv4NextHop(address: Uint8Array): boolean {
  const first = address[0] as number;
  if (first >= IPV4_MULTICAST_FIRST_OCTET_MIN && first <= IPV4_MULTICAST_FIRST_OCTET_MAX) return false;
  let zeros = 0;
  let ones = 0;
  for (const b of address) {
    if (b === ALL_ZEROS) zeros++;
    else if (b === ALL_ONES) ones++;
  }
  return zeros !== address.length && ones !== address.length;
}
