/* AF_PACKET sockets for the layer-2 speaker (packet.c): registers packetOpen, packetSend, packetAttachFilter,
 * packetMembership, packetStats, packetInfo and packetClose. */
#ifndef HERALD_PACKET_H
#define HERALD_PACKET_H

#include <node_api.h>
#include <stdbool.h>

bool herald_packet_init(napi_env env, napi_value exports);

#endif
