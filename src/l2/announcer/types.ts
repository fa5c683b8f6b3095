/**
 * The announcer's public types (interfaces, events, counters) and the validation of its arguments
 * (addresses to canonical text and bytes, interface descriptions to MAC bytes).
 */
import { formatIpBytes, parseIpBytes, parseMac } from '../wire/addresses.js';
import { AnnouncerError, type LinkProtocol } from './port.js';

export interface AnnouncerInterface {
  readonly name: string;
  /** aa:bb:cc:dd:ee:ff */
  readonly mac: string;
  readonly ifindex: number;
}

export interface AnnouncerConflict {
  readonly ip: string;
  readonly mac: string;
  readonly interface: string;
}

export interface AnnouncerLinkError {
  readonly interface: string;
  readonly protocol: LinkProtocol;
  readonly error: Error;
  /** The connection stopped receiving and was closed; setInterfaces() or announce() reopens it. */
  readonly fatal: boolean;
}

/** MetalLB's metallb_layer2_{requests_received,responses_sent,gratuitous_sent} per address. */
export interface AnnouncerCounters {
  requestsReceived: number;
  responsesSent: number;
  gratuitousSent: number;
}

export interface AnnouncerEvents {
  conflict: [AnnouncerConflict];
  linkError: [AnnouncerLinkError];
}

export interface Iface {
  readonly name: string;
  readonly mac: Uint8Array;
  readonly ifindex: number;
}

export function canonicalIp(ip: unknown): { text: string; bytes: Uint8Array } {
  if (typeof ip !== 'string') throw new AnnouncerError('ip', `must be a string, got ${typeof ip}`);
  let bytes: Uint8Array;
  try {
    bytes = parseIpBytes(ip);
  } catch {
    throw new AnnouncerError('ip', `"${ip}" is not an IP address`);
  }
  return { text: formatIpBytes(bytes), bytes };
}

export function checkInterface(iface: AnnouncerInterface, i: number): Iface {
  const field = `interfaces[${i}]`;
  if (typeof iface?.name !== 'string' || iface.name.length === 0) {
    throw new AnnouncerError(`${field}.name`, 'must be a non-empty string');
  }
  if (!Number.isInteger(iface.ifindex) || iface.ifindex < 1) {
    throw new AnnouncerError(`${field}.ifindex`, `must be a positive integer, got ${String(iface.ifindex)}`);
  }
  try {
    return { name: iface.name, mac: parseMac(String(iface.mac).toLowerCase()), ifindex: iface.ifindex };
  } catch {
    throw new AnnouncerError(`${field}.mac`, `"${String(iface.mac)}" is not a MAC like aa:bb:cc:dd:ee:ff`);
  }
}
