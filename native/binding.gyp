# Herald's Node-API addon. Node-API only (no NAN, no V8 headers), so one build loads on Node 20, 22 and 24.
# Each feature lives in its own src/*.c file and registers its functions from addon.c.
{
  "targets": [
    {
      "target_name": "herald_native",
      "sources": [
        "src/addon.c",
        "src/napi_util.c",
        "src/inet_addr.c",
        "src/tcp.c",
        "src/packet.c",
        "src/packet_args.c",
        "src/packet_send.c"
      ],
      "defines": ["NAPI_VERSION=8", "_GNU_SOURCE"],
      "cflags_c": ["-std=gnu11", "-Wall", "-Wextra", "-Wshadow", "-Wformat=2", "-fvisibility=hidden"]
    }
  ]
}
