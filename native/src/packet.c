/*
 * AF_PACKET SOCK_RAW sockets bound to one interface and one ethertype, for ARP and NDP (packet.c):
 *   packetOpen({ ifname, protocol, filter?, receiveBufferBytes? }, onFrame, onError) -> handle
 *       socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), PACKET_IGNORE_OUTGOING, filter and
 *       buffer size attached *before* bind(ifindex, protocol), so no unfiltered frame is ever queued.
 *       Frames are read inside the addon: a libuv uv_poll watcher on the main loop reads every queued frame
 *       per wakeup and calls onFrame(Buffer, pkttype); PACKET_OUTGOING (our own frames) is dropped.
 *       A socket error (ENETDOWN on link down) makes libuv stop the watcher: the error is read and cleared
 *       (SO_ERROR), reported to onError, and the watcher is re-armed.
 *   packetSend, packetSendMany           see packet_send.c.
 *   packetAttachFilter(handle, insns)    SO_ATTACH_FILTER with [{ code, jt, jf, k }]; [] detaches.
 *   packetMembership(handle, mac, add)   PACKET_ADD/DROP_MEMBERSHIP, PACKET_MR_MULTICAST for a 6-byte MAC.
 *   packetStats(handle)                  PACKET_STATISTICS accumulated (the kernel resets on each read).
 *   packetInfo(handle)                   { fd, ifindex, protocol, receiveBufferBytes, closed }.
 *   packetClose(handle)                  stops the watcher, closes the fd, releases the callbacks; idempotent.
 * Everything runs on the loop of the calling environment; no threads, so no threadsafe functions.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include "napi_util.h"
#include "packet.h"
#include "packet_args.h"
#include "packet_send.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

#define HN_FRAME_MAX 65536     /* largest frame read; longer ones are truncated (MSG_TRUNC) */
#define HN_READS_PER_WAKEUP 256 /* bound per wakeup, so a flood cannot starve the event loop */
#define HN_ERRORS_MAX 8        /* consecutive errors without a frame before the watcher gives up */
#define HN_MAC_LEN 6

typedef struct {
  napi_env env;
  int fd;
  int ifindex;
  int protocol;
  bool closed;
  unsigned consecutive_errors;
  uv_poll_t *poll;
  napi_ref self;     /* strong while open: the handle is not collected while frames can arrive */
  napi_ref on_frame; /* released by close */
  napi_ref on_error;
  napi_async_context async;
  uint64_t packets;
  uint64_t drops;
  unsigned char buf[HN_FRAME_MAX];
} packet_socket;

static void free_poll(uv_handle_t *handle) {
  free(handle);
}

static void ps_close(packet_socket *ps) {
  if (ps->closed) {
    return;
  }
  ps->closed = true;
  if (ps->poll != NULL) {
    uv_poll_stop(ps->poll);
    uv_close((uv_handle_t *)ps->poll, free_poll);
    ps->poll = NULL;
  }
  struct tpacket_stats st; /* keep the final totals readable after close */
  socklen_t len = sizeof st;
  if (getsockopt(ps->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0) {
    ps->packets += st.tp_packets;
    ps->drops += st.tp_drops;
  }
  close(ps->fd);
  ps->fd = -1;
  napi_delete_reference(ps->env, ps->on_frame);
  napi_delete_reference(ps->env, ps->on_error);
  ps->on_frame = ps->on_error = NULL;
  if (ps->async != NULL) {
    napi_async_destroy(ps->env, ps->async);
    ps->async = NULL;
  }
  if (ps->self != NULL) {
    napi_delete_reference(ps->env, ps->self);
    ps->self = NULL;
  }
}

static void ps_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  packet_socket *ps = data;
  ps_close(ps);
  free(ps);
}

/* Calls a stored callback inside the handle's async context; a throw becomes an uncaught exception. */
static void ps_call(packet_socket *ps, napi_ref ref, size_t argc, napi_value *argv) {
  napi_env env = ps->env;
  napi_value fn, self, result;
  if (ref == NULL || napi_get_reference_value(env, ref, &fn) != napi_ok ||
      napi_get_reference_value(env, ps->self, &self) != napi_ok) {
    return;
  }
  if (napi_make_callback(env, ps->async, self, fn, argc, argv, &result) != napi_ok) {
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (pending) {
      napi_value error;
      napi_get_and_clear_last_exception(env, &error);
      napi_fatal_exception(env, error);
    }
  }
}

/* onError(Error with code/errno/syscall, fatal). */
static void ps_report(packet_socket *ps, int err, const char *syscall, bool fatal) {
  napi_env env = ps->env;
  char namebuf[16];
  const char *name = hn_errno_name(err, namebuf, sizeof namebuf);
  char msg[160];
  snprintf(msg, sizeof msg, "%s: AF_PACKET socket on ifindex %d: %s", name, ps->ifindex, strerror(err));
  napi_value argv[2], code, text, errno_v, syscall_v;
  if (napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &code) != napi_ok ||
      napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &text) != napi_ok ||
      napi_create_error(env, code, text, &argv[0]) != napi_ok ||
      napi_create_int32(env, -err, &errno_v) != napi_ok ||
      napi_set_named_property(env, argv[0], "errno", errno_v) != napi_ok ||
      napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &syscall_v) != napi_ok ||
      napi_set_named_property(env, argv[0], "syscall", syscall_v) != napi_ok ||
      napi_get_boolean(env, fatal, &argv[1]) != napi_ok) {
    return;
  }
  ps_call(ps, ps->on_error, 2, argv);
}

/* Reads queued frames (bounded); returns false when the socket was closed by a callback. */
static bool ps_read_all(packet_socket *ps) {
  for (int i = 0; i < HN_READS_PER_WAKEUP && !ps->closed; i++) {
    struct sockaddr_ll from;
    socklen_t fromlen = sizeof from;
    ssize_t n = recvfrom(ps->fd, ps->buf, sizeof ps->buf, MSG_DONTWAIT, (struct sockaddr *)&from, &fromlen);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      if (errno != EAGAIN && errno != EWOULDBLOCK) {
        ps_report(ps, errno, "recvfrom", false);
      }
      break;
    }
    ps->consecutive_errors = 0;
    if (from.sll_pkttype == PACKET_OUTGOING) {
      continue;
    }
    napi_handle_scope scope;
    if (napi_open_handle_scope(ps->env, &scope) != napi_ok) {
      break;
    }
    napi_value argv[2];
    void *data;
    if (napi_create_buffer_copy(ps->env, (size_t)n, ps->buf, &data, &argv[0]) == napi_ok &&
        napi_create_uint32(ps->env, from.sll_pkttype, &argv[1]) == napi_ok) {
      ps_call(ps, ps->on_frame, 2, argv);
    }
    napi_close_handle_scope(ps->env, scope);
  }
  return !ps->closed;
}

static void ps_on_poll(uv_poll_t *handle, int status, int events) {
  (void)events;
  packet_socket *ps = handle->data;
  napi_handle_scope scope;
  napi_value pinned; /* keeps the handle (and so ps) alive while callbacks run, even if one closes it */
  if (ps->closed || napi_open_handle_scope(ps->env, &scope) != napi_ok) {
    return;
  }
  napi_get_reference_value(ps->env, ps->self, &pinned);
  if (status < 0) {
    /* libuv stopped the watcher (POLLERR): read and clear the socket error, report it, re-arm. */
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(ps->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err == 0) {
      err = -status;
    }
    bool fatal = ++ps->consecutive_errors > HN_ERRORS_MAX;
    ps_report(ps, err, "poll", fatal);
    if (!ps->closed && !fatal) {
      uv_poll_start(ps->poll, UV_READABLE, ps_on_poll);
    }
  } else {
    ps_read_all(ps);
  }
  napi_close_handle_scope(ps->env, scope);
}

/* Unwraps the handle argument; throws TypeError when it is not one, or EBADF when it is closed. */
static packet_socket *get_handle(napi_env env, napi_value value, bool allow_closed) {
  packet_socket *ps = NULL;
  if (napi_unwrap(env, value, (void **)&ps) != napi_ok || ps == NULL) {
    hn_throw_type(env, "handle must be a packet socket handle from packetOpen");
    return NULL;
  }
  if (ps->closed && !allow_closed) {
    hn_throw_errno(env, EBADF, "packet", "the AF_PACKET socket is closed");
    return NULL;
  }
  return ps;
}

bool hn_packet_target_of(napi_env env, napi_value handle, hn_packet_target *out) {
  packet_socket *ps = get_handle(env, handle, false);
  if (ps == NULL) {
    return false;
  }
  *out = (hn_packet_target){.fd = ps->fd, .ifindex = ps->ifindex, .protocol = ps->protocol};
  return true;
}

/* Attaches (count > 0) or detaches (count == 0) a classic BPF program; returns errno or 0. */
static int attach_filter(int fd, struct sock_filter *insns, uint32_t count) {
  if (count == 0) {
    int r = setsockopt(fd, SOL_SOCKET, SO_DETACH_FILTER, NULL, 0);
    return r == 0 || errno == ENOENT ? 0 : errno;
  }
  struct sock_fprog prog = {.len = (unsigned short)count, .filter = insns};
  return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) == 0 ? 0 : errno;
}

static int set_rcvbuf(int fd, int bytes) {
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) == 0) {
    return 0;
  }
  return setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes) == 0 ? 0 : errno;
}

/* socket, options, filter, then bind: returns the fd, or -1 after throwing. */
static int open_socket(napi_env env, const hn_packet_options *o) {
  int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    hn_throw_errno(env, errno, "socket", "AF_PACKET SOCK_RAW for interface '%s'", o->ifname);
    return -1;
  }
  int one = 1, err = 0;
  const char *step = "setsockopt";
  const char *what = "PACKET_IGNORE_OUTGOING";
  if (setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one) != 0 && errno != ENOPROTOOPT) {
    err = errno;
  } else if (o->rcvbuf > 0 && (err = set_rcvbuf(fd, o->rcvbuf)) != 0) {
    what = "SO_RCVBUF";
  } else if (o->has_filter && (err = attach_filter(fd, o->filter, o->filter_len)) != 0) {
    what = "SO_ATTACH_FILTER";
  } else {
    struct sockaddr_ll sll = {.sll_family = AF_PACKET,
                              .sll_protocol = htons((uint16_t)o->protocol),
                              .sll_ifindex = o->ifindex};
    if (bind(fd, (struct sockaddr *)&sll, sizeof sll) != 0) {
      err = errno;
      step = "bind";
      what = "bind";
    }
  }
  if (err != 0) {
    close(fd);
    hn_throw_errno(env, err, step, "%s on AF_PACKET socket for interface '%s'", what, o->ifname);
    return -1;
  }
  return fd;
}

static bool store_callback(napi_env env, napi_value fn, const char *what, napi_ref *out) {
  napi_valuetype type;
  if (napi_typeof(env, fn, &type) != napi_ok || type != napi_function) {
    hn_throw_type(env, "%s must be a function", what);
    return false;
  }
  return napi_create_reference(env, fn, 1, out) == napi_ok;
}

/* Wraps an open fd in a handle object, starts the watcher; on failure closes everything and throws. */
static napi_value start_handle(napi_env env, napi_value *argv, int fd, const hn_packet_options *o) {
  packet_socket *ps = calloc(1, sizeof *ps);
  uv_loop_t *loop = NULL;
  napi_value handle, name;
  if (ps == NULL) {
    close(fd);
    hn_throw_errno(env, ENOMEM, "malloc", "AF_PACKET socket state");
    return NULL;
  }
  *ps = (packet_socket){.env = env, .fd = fd, .ifindex = o->ifindex, .protocol = o->protocol};
  ps->poll = malloc(sizeof *ps->poll);
  bool ok = ps->poll != NULL && napi_create_object(env, &handle) == napi_ok &&
            napi_wrap(env, handle, ps, ps_finalize, NULL, NULL) == napi_ok;
  if (!ok) {
    free(ps->poll);
    close(fd);
    free(ps);
    hn_throw_errno(env, ENOMEM, "napi_wrap", "AF_PACKET socket handle");
    return NULL;
  }
  /* From here the finalizer owns ps; ps_close releases whatever was set up. */
  int uv_err = 0;
  ok = napi_create_reference(env, handle, 1, &ps->self) == napi_ok &&
       store_callback(env, argv[1], "onFrame", &ps->on_frame) &&
       store_callback(env, argv[2], "onError", &ps->on_error) &&
       napi_create_string_utf8(env, "HeraldPacketSocket", NAPI_AUTO_LENGTH, &name) == napi_ok &&
       napi_async_init(env, handle, name, &ps->async) == napi_ok &&
       napi_get_uv_event_loop(env, &loop) == napi_ok &&
       (uv_err = uv_poll_init_socket(loop, ps->poll, fd)) == 0;
  if (!ok) {
    free(ps->poll);
    ps->poll = NULL;
    ps_close(ps);
    if (uv_err != 0) {
      hn_throw_errno(env, -uv_err, "uv_poll_init", "AF_PACKET socket for interface '%s'", o->ifname);
    }
    return NULL;
  }
  ps->poll->data = ps;
  uv_err = uv_poll_start(ps->poll, UV_READABLE, ps_on_poll);
  if (uv_err != 0) {
    ps_close(ps);
    hn_throw_errno(env, -uv_err, "uv_poll_start", "AF_PACKET socket for interface '%s'", o->ifname);
    return NULL;
  }
  return handle;
}

static napi_value packet_open(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  hn_packet_options o;
  if (!hn_get_args(env, info, "packetOpen", 3, argv) || !hn_read_packet_options(env, argv[0], &o)) {
    return NULL;
  }
  int fd = open_socket(env, &o);
  free(o.filter);
  return fd < 0 ? NULL : start_handle(env, argv, fd, &o);
}

static napi_value packet_attach_filter(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  packet_socket *ps;
  uint32_t count = 0;
  struct sock_filter *insns;
  if (!hn_get_args(env, info, "packetAttachFilter", 2, argv) || (ps = get_handle(env, argv[0], false)) == NULL ||
      (insns = hn_read_bpf_filter(env, argv[1], &count)) == NULL) {
    return NULL;
  }
  int err = attach_filter(ps->fd, insns, count);
  free(insns);
  if (err != 0) {
    hn_throw_errno(env, err, "setsockopt", "SO_ATTACH_FILTER (%u instructions)", count);
  }
  return NULL;
}

static napi_value packet_membership(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  packet_socket *ps;
  bool add, is_buffer = false;
  void *mac;
  size_t len = 0;
  if (!hn_get_args(env, info, "packetMembership", 3, argv) || (ps = get_handle(env, argv[0], false)) == NULL ||
      !hn_get_bool(env, argv[2], "add", &add)) {
    return NULL;
  }
  napi_is_buffer(env, argv[1], &is_buffer);
  if (!is_buffer || napi_get_buffer_info(env, argv[1], &mac, &len) != napi_ok || len != HN_MAC_LEN) {
    hn_throw_type(env, "mac must be a Buffer of %d bytes", HN_MAC_LEN);
    return NULL;
  }
  struct packet_mreq mreq = {.mr_ifindex = ps->ifindex, .mr_type = PACKET_MR_MULTICAST, .mr_alen = HN_MAC_LEN};
  memcpy(mreq.mr_address, mac, HN_MAC_LEN);
  int opt = add ? PACKET_ADD_MEMBERSHIP : PACKET_DROP_MEMBERSHIP;
  if (setsockopt(ps->fd, SOL_PACKET, opt, &mreq, sizeof mreq) != 0) {
    hn_throw_errno(env, errno, "setsockopt", "%s on ifindex %d",
                   add ? "PACKET_ADD_MEMBERSHIP" : "PACKET_DROP_MEMBERSHIP", ps->ifindex);
  }
  return NULL;
}

static napi_value packet_stats(napi_env env, napi_callback_info info) {
  napi_value argv[1], out;
  packet_socket *ps;
  if (!hn_get_args(env, info, "packetStats", 1, argv) || (ps = get_handle(env, argv[0], true)) == NULL) {
    return NULL;
  }
  if (!ps->closed) {
    struct tpacket_stats st;
    socklen_t len = sizeof st;
    if (getsockopt(ps->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) != 0) {
      hn_throw_errno(env, errno, "getsockopt", "PACKET_STATISTICS on ifindex %d", ps->ifindex);
      return NULL;
    }
    ps->packets += st.tp_packets; /* the kernel resets its counters on every read */
    ps->drops += st.tp_drops;
  }
  if (napi_create_object(env, &out) != napi_ok || !hn_set_int(env, out, "packets", (int64_t)ps->packets) ||
      !hn_set_int(env, out, "drops", (int64_t)ps->drops)) {
    return NULL;
  }
  return out;
}

static napi_value packet_info(napi_env env, napi_callback_info info) {
  napi_value argv[1], out;
  packet_socket *ps;
  int rcvbuf = 0;
  socklen_t len = sizeof rcvbuf;
  if (!hn_get_args(env, info, "packetInfo", 1, argv) || (ps = get_handle(env, argv[0], true)) == NULL) {
    return NULL;
  }
  if (!ps->closed) {
    getsockopt(ps->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &len);
  }
  if (napi_create_object(env, &out) != napi_ok || !hn_set_int(env, out, "fd", ps->fd) ||
      !hn_set_int(env, out, "ifindex", ps->ifindex) || !hn_set_int(env, out, "protocol", ps->protocol) ||
      !hn_set_int(env, out, "receiveBufferBytes", rcvbuf) || !hn_set_bool(env, out, "closed", ps->closed)) {
    return NULL;
  }
  return out;
}

static napi_value packet_close(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  packet_socket *ps;
  if (hn_get_args(env, info, "packetClose", 1, argv) && (ps = get_handle(env, argv[0], true)) != NULL) {
    ps_close(ps);
  }
  return NULL;
}

bool herald_packet_init(napi_env env, napi_value exports) {
  return hn_export(env, exports, "packetOpen", packet_open) &&
         herald_packet_send_init(env, exports) &&
         hn_export(env, exports, "packetAttachFilter", packet_attach_filter) &&
         hn_export(env, exports, "packetMembership", packet_membership) &&
         hn_export(env, exports, "packetStats", packet_stats) &&
         hn_export(env, exports, "packetInfo", packet_info) && hn_export(env, exports, "packetClose", packet_close);
}
