/* TCP socket options for bgp-ts-lite (tcp.c): registers tcpSocket, setTcpMd5, setTtl, setMinTtl, socketOptions. */
#ifndef HERALD_TCP_H
#define HERALD_TCP_H

#include <node_api.h>
#include <stdbool.h>

bool herald_tcp_init(napi_env env, napi_value exports);

#endif
