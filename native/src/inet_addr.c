/*
 * Address parsing and IPv4 <-> IPv4-mapped IPv6 conversion (see inet_addr.h).
 */
#include "inet_addr.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

static bool parse_scope(const char *scope, uint32_t *index) {
  if (*scope == '\0') {
    return false;
  }
  char *end = NULL;
  unsigned long numeric = strtoul(scope, &end, 10);
  if (*end == '\0' && numeric > 0 && numeric <= UINT32_MAX) {
    *index = (uint32_t)numeric;
    return true;
  }
  *index = if_nametoindex(scope);
  return *index != 0;
}

hn_addr_result hn_parse_ip(const char *text, hn_sockaddr *out) {
  memset(out, 0, sizeof *out);
  char host[HN_ADDR_TEXT_MAX + 1];
  if (strlen(text) > HN_ADDR_TEXT_MAX) {
    return HN_ADDR_INVALID;
  }
  strcpy(host, text);
  char *percent = strchr(host, '%');
  if (percent != NULL) {
    *percent = '\0';
  }

  struct sockaddr_in *v4 = (struct sockaddr_in *)&out->storage;
  if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
    if (percent != NULL) {
      return HN_ADDR_SCOPE_ON_IPV4;
    }
    v4->sin_family = AF_INET;
    out->family = AF_INET;
    out->len = sizeof *v4;
    return HN_ADDR_OK;
  }

  struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&out->storage;
  if (inet_pton(AF_INET6, host, &v6->sin6_addr) != 1) {
    return HN_ADDR_INVALID;
  }
  if (percent != NULL && !parse_scope(percent + 1, &v6->sin6_scope_id)) {
    return HN_ADDR_UNKNOWN_SCOPE;
  }
  v6->sin6_family = AF_INET6;
  out->family = AF_INET6;
  out->len = sizeof *v6;
  return HN_ADDR_OK;
}

bool hn_to_family(hn_sockaddr *addr, int family) {
  if (addr->family == family) {
    return true;
  }
  if (family == AF_INET6) {
    struct sockaddr_in v4 = *(struct sockaddr_in *)&addr->storage;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&addr->storage;
    memset(&addr->storage, 0, sizeof addr->storage);
    v6->sin6_family = AF_INET6;
    v6->sin6_port = v4.sin_port;
    v6->sin6_addr.s6_addr[10] = 0xff;
    v6->sin6_addr.s6_addr[11] = 0xff;
    memcpy(&v6->sin6_addr.s6_addr[12], &v4.sin_addr, sizeof v4.sin_addr);
    addr->family = AF_INET6;
    addr->len = sizeof *v6;
    return true;
  }
  struct sockaddr_in6 v6 = *(struct sockaddr_in6 *)&addr->storage;
  if (!IN6_IS_ADDR_V4MAPPED(&v6.sin6_addr)) {
    return false;
  }
  struct sockaddr_in *v4 = (struct sockaddr_in *)&addr->storage;
  memset(&addr->storage, 0, sizeof addr->storage);
  v4->sin_family = AF_INET;
  v4->sin_port = v6.sin6_port;
  memcpy(&v4->sin_addr, &v6.sin6_addr.s6_addr[12], sizeof v4->sin_addr);
  addr->family = AF_INET;
  addr->len = sizeof *v4;
  return true;
}

void hn_any(hn_sockaddr *out, int family) {
  memset(out, 0, sizeof *out);
  out->family = family;
  if (family == AF_INET) {
    struct sockaddr_in *v4 = (struct sockaddr_in *)&out->storage;
    v4->sin_family = AF_INET;
    v4->sin_addr.s_addr = htonl(INADDR_ANY);
    out->len = sizeof *v4;
  } else {
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&out->storage;
    v6->sin6_family = AF_INET6;
    v6->sin6_addr = in6addr_any;
    out->len = sizeof *v6;
  }
}

void hn_set_port(hn_sockaddr *addr, uint16_t port) {
  if (addr->family == AF_INET) {
    ((struct sockaddr_in *)&addr->storage)->sin_port = htons(port);
  } else {
    ((struct sockaddr_in6 *)&addr->storage)->sin6_port = htons(port);
  }
}

int hn_family_number(int af) {
  return af == AF_INET ? 4 : 6;
}
