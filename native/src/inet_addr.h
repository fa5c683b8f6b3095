/*
 * IP address strings to socket addresses for Herald's addon: IPv4, IPv6 with an optional "%scope"
 * (interface name or index), and conversion between an IPv4 address and its IPv4-mapped IPv6 form so a
 * peer can be given in either form for a socket of either family.
 */
#ifndef HERALD_INET_ADDR_H
#define HERALD_INET_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

/* Longest accepted address text: an IPv6 address, '%' and an interface name. */
#define HN_ADDR_TEXT_MAX 64

typedef struct {
  struct sockaddr_storage storage;
  socklen_t len;
  int family; /* AF_INET or AF_INET6 */
} hn_sockaddr;

typedef enum {
  HN_ADDR_OK = 0,
  HN_ADDR_INVALID = 1,       /* not an IPv4 or IPv6 literal */
  HN_ADDR_UNKNOWN_SCOPE = 2, /* "%name" does not name an interface */
  HN_ADDR_SCOPE_ON_IPV4 = 3, /* "%scope" after an IPv4 address */
} hn_addr_result;

/* Parses an address literal (port 0). */
hn_addr_result hn_parse_ip(const char *text, hn_sockaddr *out);

/*
 * Converts addr to `family` in place: IPv4 -> ::ffff:a.b.c.d for AF_INET6, and an IPv4-mapped IPv6
 * address -> IPv4 for AF_INET. Returns false when the address cannot be expressed in that family.
 */
bool hn_to_family(hn_sockaddr *addr, int family);

/* The wildcard address (0.0.0.0 or ::) of a family. */
void hn_any(hn_sockaddr *out, int family);

void hn_set_port(hn_sockaddr *addr, uint16_t port);

/* 4 or 6 for AF_INET / AF_INET6. */
int hn_family_number(int af);

#endif
