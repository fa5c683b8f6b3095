/*
 * Argument parsing for packet.c: the packetOpen options object and classic BPF programs given as
 * [{ code, jt, jf, k }]. Every function throws TypeError/RangeError naming the field and returns
 * false/NULL after throwing.
 */
#ifndef HERALD_PACKET_ARGS_H
#define HERALD_PACKET_ARGS_H

#include <linux/filter.h>
#include <net/if.h>
#include <node_api.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct {
  char ifname[IF_NAMESIZE];
  int ifindex;
  int protocol;
  int rcvbuf; /* 0: kernel default */
  struct sock_filter *filter;
  uint32_t filter_len;
  bool has_filter;
} hn_packet_options;

/* Reads packetOpen's options and resolves ifname to its ifindex (ENODEV naming it); o->filter is malloc'd. */
bool hn_read_packet_options(napi_env env, napi_value obj, hn_packet_options *o);

/* Reads a BPF program into a malloc'd array (at least one element, even for []); NULL after throwing. */
struct sock_filter *hn_read_bpf_filter(napi_env env, napi_value array, uint32_t *count);

#endif
