/*
 * Sending whole Ethernet frames on an AF_PACKET socket opened by packetOpen (packet.c):
 *   packetSend(handle, frame)       sendto(MSG_DONTWAIT) of one frame; throws EAGAIN etc.
 *   packetSendMany(handle, frames)  sendmmsg(MSG_DONTWAIT) of up to HN_SEND_MANY_MAX frames, HN_SEND_CHUNK
 *                                   per system call; returns how many were sent. It stops at EAGAIN (the
 *                                   transmit queue is full). Another error is thrown when it hits the first
 *                                   frame of the call; after some frames went out the count is returned and
 *                                   a persistent error is thrown by the next call (sendmmsg's own semantics).
 * Each frame goes to the bound ifindex and protocol, with its own destination MAC as sll_addr.
 */
/* sendmmsg and struct mmsghdr need _GNU_SOURCE, defined for every file in binding.gyp. */
#include "packet_send.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "napi_util.h"

#define HN_MAC_LEN 6
#define HN_SEND_MANY_MAX 1024 /* frames per packetSendMany call (the kernel's UIO_MAXIOV bound on vlen) */
#define HN_SEND_CHUNK 64      /* messages per sendmmsg call: bounds the on-stack arrays (about 6 KiB) */

/* The link-layer destination of one frame: the bound ifindex/protocol and the frame's destination MAC. */
static void frame_destination(const hn_packet_target *t, const void *data, size_t len, struct sockaddr_ll *to) {
  *to = (struct sockaddr_ll){.sll_family = AF_PACKET,
                             .sll_protocol = htons((uint16_t)t->protocol),
                             .sll_ifindex = t->ifindex,
                             .sll_halen = HN_MAC_LEN};
  if (len >= HN_MAC_LEN) {
    memcpy(to->sll_addr, data, HN_MAC_LEN);
  }
}

static napi_value packet_send(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  hn_packet_target t;
  bool is_buffer = false;
  void *data;
  size_t len;
  if (!hn_get_args(env, info, "packetSend", 2, argv) || !hn_packet_target_of(env, argv[0], &t)) {
    return NULL;
  }
  napi_is_buffer(env, argv[1], &is_buffer);
  if (!is_buffer || napi_get_buffer_info(env, argv[1], &data, &len) != napi_ok) {
    hn_throw_type(env, "frame must be a Buffer or Uint8Array");
    return NULL;
  }
  struct sockaddr_ll to;
  frame_destination(&t, data, len, &to);
  ssize_t n = sendto(t.fd, data, len, MSG_DONTWAIT, (struct sockaddr *)&to, sizeof to);
  if (n < 0) {
    hn_throw_errno(env, errno, "sendto", "frame of %zu bytes on ifindex %d", len, t.ifindex);
    return NULL;
  }
  return NULL;
}

/* The i-th element's bytes; throws TypeError naming frames[i] and returns false when it is not a Buffer. */
static bool frame_at(napi_env env, napi_value frames, uint32_t i, void **data, size_t *len) {
  napi_value element;
  bool is_buffer = false;
  if (napi_get_element(env, frames, i, &element) == napi_ok) {
    napi_is_buffer(env, element, &is_buffer);
  }
  if (!is_buffer || napi_get_buffer_info(env, element, data, len) != napi_ok) {
    hn_throw_type(env, "frames[%u] must be a Buffer or Uint8Array", i);
    return false;
  }
  return true;
}

/* Reads frames[first .. first + count) into the message arrays; false after throwing. */
static bool fill_chunk(napi_env env, const hn_packet_target *t, napi_value frames, uint32_t first, uint32_t count,
                       struct mmsghdr *msgs, struct iovec *iov, struct sockaddr_ll *to) {
  for (uint32_t i = 0; i < count; i++) {
    void *data = NULL;
    size_t len = 0;
    if (!frame_at(env, frames, first + i, &data, &len)) {
      return false;
    }
    frame_destination(t, data, len, &to[i]);
    iov[i] = (struct iovec){.iov_base = data, .iov_len = len};
    msgs[i] = (struct mmsghdr){.msg_hdr = {.msg_name = &to[i], .msg_namelen = sizeof to[i], .msg_iov = &iov[i],
                                           .msg_iovlen = 1}};
  }
  return true;
}

/* Validates the frames argument (an array of at most HN_SEND_MANY_MAX Buffers) before anything is sent. */
static bool get_frames(napi_env env, napi_value frames, uint32_t *count) {
  bool is_array = false;
  napi_is_array(env, frames, &is_array);
  if (!is_array || napi_get_array_length(env, frames, count) != napi_ok) {
    hn_throw_type(env, "frames must be an array of Buffer or Uint8Array");
    return false;
  }
  if (*count > HN_SEND_MANY_MAX) {
    hn_throw_range(env, "frames must hold at most %d frames, got %u", HN_SEND_MANY_MAX, *count);
    return false;
  }
  for (uint32_t i = 0; i < *count; i++) {
    void *data;
    size_t len;
    if (!frame_at(env, frames, i, &data, &len)) {
      return false;
    }
  }
  return true;
}

/* packetSendMany(handle, frames) -> number sent (see the header comment). */
static napi_value packet_send_many(napi_env env, napi_callback_info info) {
  napi_value argv[2], result;
  hn_packet_target t;
  uint32_t count = 0, sent = 0;
  struct mmsghdr msgs[HN_SEND_CHUNK];
  struct iovec iov[HN_SEND_CHUNK];
  struct sockaddr_ll to[HN_SEND_CHUNK];
  if (!hn_get_args(env, info, "packetSendMany", 2, argv) || !hn_packet_target_of(env, argv[0], &t) ||
      !get_frames(env, argv[1], &count)) {
    return NULL;
  }
  while (sent < count) {
    uint32_t chunk = count - sent < HN_SEND_CHUNK ? count - sent : HN_SEND_CHUNK;
    if (!fill_chunk(env, &t, argv[1], sent, chunk, msgs, iov, to)) {
      return NULL;
    }
    int n = sendmmsg(t.fd, msgs, chunk, MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      if (errno == EAGAIN || errno == EWOULDBLOCK || sent > 0) {
        break; /* a persistent error is thrown by the next call, as sendmmsg itself does */
      }
      hn_throw_errno(env, errno, "sendmmsg", "%u frames on ifindex %d", count, t.ifindex);
      return NULL;
    }
    sent += (uint32_t)n;
    if ((uint32_t)n < chunk) {
      break; /* the kernel stopped early (queue full or an error after the first message) */
    }
  }
  return napi_create_uint32(env, sent, &result) == napi_ok ? result : NULL;
}


bool herald_packet_send_init(napi_env env, napi_value exports) {
  return hn_export(env, exports, "packetSend", packet_send) &&
         hn_export(env, exports, "packetSendMany", packet_send_many);
}
