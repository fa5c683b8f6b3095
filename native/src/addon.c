/*
 * Entry point of Herald's Node-API addon (herald_native.node). Each feature lives in its own .c file with
 * an init function that adds its functions to `exports`; a new feature (e.g. AF_PACKET sockets) adds its
 * source to binding.gyp and one line below.
 */
#include <node_api.h>

#include "packet.h"
#include "tcp.h"

static napi_value init(napi_env env, napi_value exports) {
  if (!herald_tcp_init(env, exports) || !herald_packet_init(env, exports)) {
    return NULL;
  }
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
