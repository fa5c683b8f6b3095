/*
 * Sending on AF_PACKET sockets (packet_send.c): packetSend (one frame, sendto) and packetSendMany (a batch,
 * sendmmsg). packet.c owns the sockets and hands out the fields a send needs through hn_packet_target_of.
 */
#ifndef HERALD_PACKET_SEND_H
#define HERALD_PACKET_SEND_H

#include <node_api.h>
#include <stdbool.h>

typedef struct {
  int fd;
  int ifindex;
  int protocol;
} hn_packet_target;

/* The open socket behind a packetOpen handle (packet.c); throws TypeError / EBADF (closed) and returns false. */
bool hn_packet_target_of(napi_env env, napi_value handle, hn_packet_target *out);

/* Registers packetSend and packetSendMany. */
bool herald_packet_send_init(napi_env env, napi_value exports);

#endif
