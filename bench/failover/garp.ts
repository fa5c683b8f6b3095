/**
 * Recognises a gratuitous ARP for one address in a raw Ethernet frame (pure): an ARP request or reply
 * whose sender and target protocol addresses both equal the address. Returns the sender MAC, or
 * undefined for anything else (including frames that do not decode).
 */
import { L2WireError, classifyFrame, formatIpBytes, formatMac } from '../../src/l2/wire/index.js';

export function gratuitousArpSender(frame: Uint8Array, ip: string): string | undefined {
  let classified;
  try {
    classified = classifyFrame(frame);
  } catch (error) {
    if (error instanceof L2WireError) return undefined;
    throw error;
  }
  if (classified.kind !== 'arp') return undefined;
  const { arp } = classified;
  if (formatIpBytes(arp.senderIp) !== ip || formatIpBytes(arp.targetIp) !== ip) return undefined;
  return formatMac(arp.senderMac);
}
