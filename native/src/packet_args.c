/* Argument parsing for packet.c (see packet_args.h). */
#include "packet_args.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "napi_util.h"

#define HN_ETHERTYPE_MAX 0xffff
#define HN_RCVBUF_MAX 0x7fffffff
#define HN_BPF_MAXINSNS 4096

/* Reads [{ code, jt, jf, k }] into a malloc'd array; throws TypeError/RangeError naming the instruction. */
struct sock_filter *hn_read_bpf_filter(napi_env env, napi_value array, uint32_t *count) {
  bool is_array = false;
  napi_is_array(env, array, &is_array);
  if (!is_array) {
    hn_throw_type(env, "filter must be an array of { code, jt, jf, k }");
    return NULL;
  }
  napi_get_array_length(env, array, count);
  if (*count > HN_BPF_MAXINSNS) {
    hn_throw_range(env, "filter must have at most %d instructions, got %u", HN_BPF_MAXINSNS, *count);
    return NULL;
  }
  struct sock_filter *insns = calloc(*count == 0 ? 1 : *count, sizeof *insns);
  if (insns == NULL) {
    hn_throw_errno(env, ENOMEM, "malloc", "BPF filter");
    return NULL;
  }
  static const struct {
    const char *key;
    int64_t max;
  } fields[] = {{"code", 0xffff}, {"jt", 0xff}, {"jf", 0xff}, {"k", 0xffffffffLL}};
  for (uint32_t i = 0; i < *count; i++) {
    napi_value insn;
    char what[48];
    snprintf(what, sizeof what, "filter[%u]", i);
    if (napi_get_element(env, array, i, &insn) != napi_ok || !hn_require_object(env, insn, what)) {
      free(insns);
      return NULL;
    }
    int64_t v[4];
    for (int f = 0; f < 4; f++) {
      napi_value field;
      snprintf(what, sizeof what, "filter[%u].%s", i, fields[f].key);
      if (napi_get_named_property(env, insn, fields[f].key, &field) != napi_ok ||
          !hn_get_int(env, field, what, 0, fields[f].max, &v[f])) {
        free(insns);
        return NULL;
      }
    }
    insns[i] = (struct sock_filter){(uint16_t)v[0], (uint8_t)v[1], (uint8_t)v[2], (uint32_t)v[3]};
  }
  return insns;
}

bool hn_read_packet_options(napi_env env, napi_value obj, hn_packet_options *o) {
  napi_value v;
  bool present;
  size_t len;
  int64_t n;
  memset(o, 0, sizeof *o);
  if (!hn_require_object(env, obj, "options") || !hn_get_optional(env, obj, "ifname", &v, &present)) {
    return false;
  }
  if (!present) {
    hn_throw_type(env, "options.ifname must be a string");
    return false;
  }
  if (!hn_get_string(env, v, "options.ifname", o->ifname, IF_NAMESIZE - 1, &len, true)) {
    return false;
  }
  if (!hn_get_optional(env, obj, "protocol", &v, &present)) {
    return false;
  }
  if (!present) {
    hn_throw_type(env, "options.protocol must be an integer number");
    return false;
  }
  if (!hn_get_int(env, v, "options.protocol", 1, HN_ETHERTYPE_MAX, &n)) {
    return false;
  }
  o->protocol = (int)n;
  if (!hn_get_optional(env, obj, "receiveBufferBytes", &v, &present)) {
    return false;
  }
  if (present) {
    if (!hn_get_int(env, v, "options.receiveBufferBytes", 1, HN_RCVBUF_MAX, &n)) {
      return false;
    }
    o->rcvbuf = (int)n;
  }
  if (!hn_get_optional(env, obj, "filter", &v, &o->has_filter)) {
    return false;
  }
  if (o->has_filter && (o->filter = hn_read_bpf_filter(env, v, &o->filter_len)) == NULL) {
    return false;
  }
  o->ifindex = (int)if_nametoindex(o->ifname);
  if (o->ifindex == 0) {
    int err = errno == 0 ? ENODEV : errno;
    hn_throw_errno(env, err, "if_nametoindex", "interface '%s'", o->ifname);
    free(o->filter);
    return false;
  }
  return true;
}
