/** Herald's pure Layer 2 wire codecs: Ethernet II, ARP, IPv6, ICMPv6 and NDP, plus frame builders. */
export * from './addresses.js';
export * from './arp.js';
export * from './builders.js';
export * from './codec.js';
export * from './constants.js';
export * from './cursor.js';
export * from './errors.js';
export * from './ethernet.js';
export * from './frame.js';
export * from './icmpv6.js';
export * from './ipv6.js';
export * from './ndp.js';
