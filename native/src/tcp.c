/*
 * TCP socket options Node has no API for, as needed by bgp-ts-lite:
 *   tcpSocket(options) -> fd      a non-blocking TCP socket with TCP MD5 (RFC 2385), TTL, minimum TTL
 *                                 (GTSM, RFC 5082) and source address set before any packet is sent;
 *                                 JS hands the fd to `new net.Socket({ fd })` and connects it.
 *   setTcpMd5(fd, peer, key)      adds/replaces ('' removes) the key for one peer on any TCP socket,
 *                                 typically a listener (accepted connections inherit it).
 *   setTtl(fd, family, ttl)       IP_TTL / IPV6_UNICAST_HOPS.
 *   setMinTtl(fd, family, ttl)    IP_MINTTL / IPV6_MINHOPCOUNT (0 turns the check off).
 *   socketOptions(fd)             reads back family, TTLs and SO_REUSEADDR (diagnostics and tests).
 * For family 6 the IPv4 options are set as well, so IPv4-mapped traffic on a dual-stack socket is covered.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "inet_addr.h"
#include "napi_util.h"
#include "tcp.h"

/* Kernel ABI (include/uapi/linux/tcp.h); glibc's copy of the struct differs between versions. */
#define HN_TCP_MD5SIG 14
#define HN_TCP_MD5SIG_MAXKEYLEN 80
struct hn_tcp_md5sig {
  struct sockaddr_storage tcpm_addr;
  uint8_t tcpm_flags;
  uint8_t tcpm_prefixlen;
  uint16_t tcpm_keylen;
  int tcpm_ifindex;
  uint8_t tcpm_key[HN_TCP_MD5SIG_MAXKEYLEN];
};
_Static_assert(sizeof(struct hn_tcp_md5sig) == 216, "struct tcp_md5sig is 216 bytes in the kernel ABI");

#ifndef IP_MINTTL
#define IP_MINTTL 21
#endif
#ifndef IPV6_MINHOPCOUNT
#define IPV6_MINHOPCOUNT 73
#endif

#define HN_TTL_MAX 255
#define HN_FD_MAX 0x7fffffff
#define HN_PORT_MAX 65535

typedef struct {
  int family; /* AF_INET / AF_INET6 */
  bool has_md5;
  char md5_peer[HN_ADDR_TEXT_MAX + 1];
  char md5_key[HN_TCP_MD5SIG_MAXKEYLEN + 1];
  size_t md5_keylen;
  int ttl;     /* -1: unset */
  int min_ttl; /* -1: unset */
  bool has_bind;
  hn_sockaddr bind_addr;
  bool reuse_addr;
} tcp_socket_options;

static int af_of(int family_number) {
  return family_number == 4 ? AF_INET : AF_INET6;
}

/* Parses `text` for a socket of family `af`; throws TypeError naming `what` when it cannot be used. */
static bool parse_for_family(napi_env env, const char *what, const char *text, int af, hn_sockaddr *out) {
  switch (hn_parse_ip(text, out)) {
  case HN_ADDR_OK:
    break;
  case HN_ADDR_UNKNOWN_SCOPE:
    hn_throw_type(env, "%s '%s' names an unknown interface scope", what, text);
    return false;
  case HN_ADDR_SCOPE_ON_IPV4:
    hn_throw_type(env, "%s '%s': an IPv4 address has no scope", what, text);
    return false;
  default:
    hn_throw_type(env, "%s '%s' is not an IPv4 or IPv6 address", what, text);
    return false;
  }
  if (!hn_to_family(out, af)) {
    hn_throw_type(env, "%s '%s' is IPv6 but the socket is IPv4", what, text);
    return false;
  }
  return true;
}

static bool set_int_opt(napi_env env, int fd, int level, int name, int value, const char *label) {
  if (setsockopt(fd, level, name, &value, sizeof value) != 0) {
    hn_throw_errno(env, errno, "setsockopt", "%s %d on fd %d", label, value, fd);
    return false;
  }
  return true;
}

static bool apply_md5(napi_env env, int fd, int af, const char *peer, const char *key, size_t keylen) {
  hn_sockaddr addr;
  if (!parse_for_family(env, "peer", peer, af, &addr)) {
    return false;
  }
  struct hn_tcp_md5sig sig;
  memset(&sig, 0, sizeof sig);
  memcpy(&sig.tcpm_addr, &addr.storage, addr.len);
  /* The kernel keys MD5 by address only; a link-local scope is not part of the match. */
  if (af == AF_INET6) {
    ((struct sockaddr_in6 *)&sig.tcpm_addr)->sin6_scope_id = 0;
  }
  sig.tcpm_keylen = (uint16_t)keylen;
  memcpy(sig.tcpm_key, key, keylen);
  if (setsockopt(fd, IPPROTO_TCP, HN_TCP_MD5SIG, &sig, sizeof sig) != 0) {
    int err = errno;
    if (keylen == 0 && err == ENOENT) {
      return true; /* removing a key that is not there: already in the wanted state */
    }
    hn_throw_errno(env, err, "setsockopt", "TCP_MD5SIG for peer %s", peer);
    return false;
  }
  return true;
}

static bool apply_ttl(napi_env env, int fd, int af, int ttl) {
  if (af == AF_INET6 && !set_int_opt(env, fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, ttl, "IPV6_UNICAST_HOPS")) {
    return false;
  }
  return set_int_opt(env, fd, IPPROTO_IP, IP_TTL, ttl, "IP_TTL");
}

static bool apply_min_ttl(napi_env env, int fd, int af, int ttl) {
  if (af == AF_INET6 && !set_int_opt(env, fd, IPPROTO_IPV6, IPV6_MINHOPCOUNT, ttl, "IPV6_MINHOPCOUNT")) {
    return false;
  }
  return set_int_opt(env, fd, IPPROTO_IP, IP_MINTTL, ttl, "IP_MINTTL");
}

static bool get_opt_int(napi_env env, napi_value obj, const char *key, const char *what, int64_t min,
                        int64_t max, int *out) {
  napi_value v;
  bool present = false;
  if (!hn_get_optional(env, obj, key, &v, &present)) {
    return false;
  }
  if (!present) {
    return true;
  }
  int64_t value = 0;
  if (!hn_get_int(env, v, what, min, max, &value)) {
    return false;
  }
  *out = (int)value;
  return true;
}

static bool read_md5_option(napi_env env, napi_value options, tcp_socket_options *o) {
  napi_value md5, peer, key;
  bool present = false;
  if (!hn_get_optional(env, options, "md5", &md5, &present)) {
    return false;
  }
  if (!present) {
    return true;
  }
  size_t len = 0;
  if (!hn_require_object(env, md5, "options.md5") || !hn_get_optional(env, md5, "peer", &peer, &present) ||
      !hn_get_string(env, peer, "options.md5.peer", o->md5_peer, HN_ADDR_TEXT_MAX, &len, true) ||
      !hn_get_optional(env, md5, "key", &key, &present) ||
      !hn_get_string(env, key, "options.md5.key", o->md5_key, HN_TCP_MD5SIG_MAXKEYLEN, &o->md5_keylen, false)) {
    return false;
  }
  if (o->md5_keylen == 0) {
    hn_throw_range(env, "options.md5.key must not be empty (omit options.md5 for no key)");
    return false;
  }
  o->has_md5 = true;
  hn_sockaddr check;
  return parse_for_family(env, "options.md5.peer", o->md5_peer, o->family, &check);
}

static bool read_bind_options(napi_env env, napi_value options, tcp_socket_options *o) {
  napi_value v;
  bool present = false;
  hn_any(&o->bind_addr, o->family);
  if (!hn_get_optional(env, options, "bindAddress", &v, &present)) {
    return false;
  }
  if (present) {
    char text[HN_ADDR_TEXT_MAX + 1];
    size_t len = 0;
    if (!hn_get_string(env, v, "options.bindAddress", text, HN_ADDR_TEXT_MAX, &len, true) ||
        !parse_for_family(env, "options.bindAddress", text, o->family, &o->bind_addr)) {
      return false;
    }
    o->has_bind = true;
  }
  int port = -1;
  if (!get_opt_int(env, options, "bindPort", "options.bindPort", 0, HN_PORT_MAX, &port)) {
    return false;
  }
  if (port >= 0) {
    hn_set_port(&o->bind_addr, (uint16_t)port);
    o->has_bind = true;
  }
  if (!hn_get_optional(env, options, "reuseAddr", &v, &present)) {
    return false;
  }
  return !present || hn_get_bool(env, v, "options.reuseAddr", &o->reuse_addr);
}

static bool read_socket_options(napi_env env, napi_value options, tcp_socket_options *o) {
  memset(o, 0, sizeof *o);
  o->ttl = -1;
  o->min_ttl = -1;
  napi_value v;
  bool present = false;
  int64_t family = 0;
  if (!hn_require_object(env, options, "options") || !hn_get_optional(env, options, "family", &v, &present)) {
    return false;
  }
  if (!present) {
    hn_throw_type(env, "options.family must be 4 or 6");
    return false;
  }
  if (!hn_get_int(env, v, "options.family", 4, 6, &family)) {
    return false;
  }
  if (family == 5) {
    hn_throw_range(env, "options.family must be 4 or 6, got 5");
    return false;
  }
  o->family = af_of((int)family);
  return get_opt_int(env, options, "ttl", "options.ttl", 1, HN_TTL_MAX, &o->ttl) &&
         get_opt_int(env, options, "minTtl", "options.minTtl", 0, HN_TTL_MAX, &o->min_ttl) &&
         read_md5_option(env, options, o) && read_bind_options(env, options, o);
}

static bool configure_socket(napi_env env, int fd, const tcp_socket_options *o) {
  int one = 1;
  if (o->reuse_addr && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0) {
    hn_throw_errno(env, errno, "setsockopt", "SO_REUSEADDR on fd %d", fd);
    return false;
  }
  if (o->has_md5 && !apply_md5(env, fd, o->family, o->md5_peer, o->md5_key, o->md5_keylen)) {
    return false;
  }
  if (o->ttl >= 0 && !apply_ttl(env, fd, o->family, o->ttl)) {
    return false;
  }
  if (o->min_ttl >= 0 && !apply_min_ttl(env, fd, o->family, o->min_ttl)) {
    return false;
  }
  if (o->has_bind && bind(fd, (const struct sockaddr *)&o->bind_addr.storage, o->bind_addr.len) != 0) {
    hn_throw_errno(env, errno, "bind", "binding the TCP socket's source address");
    return false;
  }
  return true;
}

static napi_value tcp_socket(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  tcp_socket_options o;
  if (!hn_get_args(env, info, "tcpSocket", 1, argv) || !read_socket_options(env, argv[0], &o)) {
    return NULL;
  }
  int fd = socket(o.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
  if (fd < 0) {
    hn_throw_errno(env, errno, "socket", "creating an IPv%d TCP socket", hn_family_number(o.family));
    return NULL;
  }
  if (!configure_socket(env, fd, &o)) {
    close(fd);
    return NULL;
  }
  napi_value result;
  if (napi_create_int32(env, fd, &result) != napi_ok) {
    close(fd);
    napi_throw_error(env, "ERR_HERALD_NATIVE", "tcpSocket: cannot return the fd");
    return NULL;
  }
  return result;
}

/* Reads an fd argument and the socket's address family (SO_DOMAIN). */
static bool get_socket_fd(napi_env env, napi_value v, int *fd, int *af) {
  int64_t value = 0;
  if (!hn_get_int(env, v, "fd", 0, HN_FD_MAX, &value)) {
    return false;
  }
  *fd = (int)value;
  socklen_t len = sizeof *af;
  if (getsockopt(*fd, SOL_SOCKET, SO_DOMAIN, af, &len) != 0) {
    hn_throw_errno(env, errno, "getsockopt", "SO_DOMAIN of fd %d", *fd);
    return false;
  }
  if (*af != AF_INET && *af != AF_INET6) {
    hn_throw_errno(env, EAFNOSUPPORT, "getsockopt", "fd %d is not an IPv4 or IPv6 socket", *fd);
    return false;
  }
  return true;
}

static napi_value set_tcp_md5(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int fd = -1, af = 0;
  char peer[HN_ADDR_TEXT_MAX + 1], key[HN_TCP_MD5SIG_MAXKEYLEN + 1];
  size_t peer_len = 0, key_len = 0;
  if (!hn_get_args(env, info, "setTcpMd5", 3, argv) ||
      !hn_get_string(env, argv[1], "peer", peer, HN_ADDR_TEXT_MAX, &peer_len, true) ||
      !hn_get_string(env, argv[2], "key", key, HN_TCP_MD5SIG_MAXKEYLEN, &key_len, false) ||
      !get_socket_fd(env, argv[0], &fd, &af)) {
    return NULL;
  }
  apply_md5(env, fd, af, peer, key, key_len);
  return NULL;
}

/* Shared argument handling of setTtl / setMinTtl: (fd, family 4|6, ttl in [min, 255]). */
static bool get_ttl_args(napi_env env, napi_callback_info info, const char *fn, int min, int *fd, int *af,
                         int *ttl) {
  napi_value argv[3];
  int64_t family = 0, value = 0;
  int sock_af = 0;
  if (!hn_get_args(env, info, fn, 3, argv) || !hn_get_int(env, argv[1], "family", 4, 6, &family)) {
    return false;
  }
  if (family == 5) {
    hn_throw_range(env, "family must be 4 or 6, got 5");
    return false;
  }
  if (!hn_get_int(env, argv[2], "ttl", min, HN_TTL_MAX, &value) || !get_socket_fd(env, argv[0], fd, &sock_af)) {
    return false;
  }
  *af = af_of((int)family);
  *ttl = (int)value;
  return true;
}

static napi_value set_ttl(napi_env env, napi_callback_info info) {
  int fd = -1, af = 0, ttl = 0;
  if (get_ttl_args(env, info, "setTtl", 1, &fd, &af, &ttl)) {
    apply_ttl(env, fd, af, ttl);
  }
  return NULL;
}

static napi_value set_min_ttl(napi_env env, napi_callback_info info) {
  int fd = -1, af = 0, ttl = 0;
  if (get_ttl_args(env, info, "setMinTtl", 0, &fd, &af, &ttl)) {
    apply_min_ttl(env, fd, af, ttl);
  }
  return NULL;
}

static bool read_int_opt(napi_env env, int fd, int level, int name, const char *label, int *out) {
  socklen_t len = sizeof *out;
  if (getsockopt(fd, level, name, out, &len) != 0) {
    hn_throw_errno(env, errno, "getsockopt", "%s of fd %d", label, fd);
    return false;
  }
  return true;
}

static napi_value socket_options(napi_env env, napi_callback_info info) {
  napi_value argv[1], result;
  int fd = -1, af = 0, ttl = 0, min_ttl = 0, v4_ttl = 0, v4_min_ttl = 0, reuse = 0;
  if (!hn_get_args(env, info, "socketOptions", 1, argv) || !get_socket_fd(env, argv[0], &fd, &af) ||
      !read_int_opt(env, fd, IPPROTO_IP, IP_TTL, "IP_TTL", &v4_ttl) ||
      !read_int_opt(env, fd, IPPROTO_IP, IP_MINTTL, "IP_MINTTL", &v4_min_ttl) ||
      !read_int_opt(env, fd, SOL_SOCKET, SO_REUSEADDR, "SO_REUSEADDR", &reuse)) {
    return NULL;
  }
  ttl = v4_ttl;
  min_ttl = v4_min_ttl;
  if (af == AF_INET6 && (!read_int_opt(env, fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, "IPV6_UNICAST_HOPS", &ttl) ||
                         !read_int_opt(env, fd, IPPROTO_IPV6, IPV6_MINHOPCOUNT, "IPV6_MINHOPCOUNT", &min_ttl))) {
    return NULL;
  }
  if (napi_create_object(env, &result) != napi_ok) {
    napi_throw_error(env, "ERR_HERALD_NATIVE", "socketOptions: cannot create the result object");
    return NULL;
  }
  if (!hn_set_int(env, result, "family", hn_family_number(af)) ||
      !hn_set_int(env, result, "ttl", ttl) || !hn_set_int(env, result, "minTtl", min_ttl) ||
      !hn_set_int(env, result, "ipv4Ttl", v4_ttl) || !hn_set_int(env, result, "ipv4MinTtl", v4_min_ttl) ||
      !hn_set_bool(env, result, "reuseAddr", reuse != 0)) {
    return NULL;
  }
  return result;
}

bool herald_tcp_init(napi_env env, napi_value exports) {
  return hn_export(env, exports, "tcpSocket", tcp_socket) && hn_export(env, exports, "setTcpMd5", set_tcp_md5) &&
         hn_export(env, exports, "setTtl", set_ttl) && hn_export(env, exports, "setMinTtl", set_min_ttl) &&
         hn_export(env, exports, "socketOptions", socket_options);
}
