/*
 * Node-API helpers: argument validation, Node-style errno errors and small property setters.
 * See napi_util.h for the contract (every helper returns false after throwing).
 */
#include "napi_util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define HN_MESSAGE_MAX 512

/* Throws a plain Error for a failed Node-API call, unless an exception is already pending. */
static bool napi_failed(napi_env env, napi_status status, const char *what) {
  if (status == napi_ok) {
    return false;
  }
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) {
    char msg[HN_MESSAGE_MAX];
    snprintf(msg, sizeof msg, "herald_native: Node-API call failed (%s, status %d)", what, (int)status);
    napi_throw_error(env, "ERR_HERALD_NATIVE", msg);
  }
  return true;
}

void hn_throw_type(napi_env env, const char *fmt, ...) {
  char msg[HN_MESSAGE_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg);
}

void hn_throw_range(napi_env env, const char *fmt, ...) {
  char msg[HN_MESSAGE_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  napi_throw_range_error(env, "ERR_OUT_OF_RANGE", msg);
}

const char *hn_errno_name(int err, char *buf, size_t size) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
  const char *name = strerrorname_np(err);
  if (name != NULL) {
    return name;
  }
#endif
  static const struct {
    int value;
    const char *name;
  } known[] = {
      {EPERM, "EPERM"},           {ENOENT, "ENOENT"},
      {EBADF, "EBADF"},           {ENOMEM, "ENOMEM"},
      {EACCES, "EACCES"},         {EFAULT, "EFAULT"},
      {EINVAL, "EINVAL"},         {ENFILE, "ENFILE"},
      {EMFILE, "EMFILE"},         {ENODEV, "ENODEV"},
      {ENOTSOCK, "ENOTSOCK"},     {ENOPROTOOPT, "ENOPROTOOPT"},
      {EOPNOTSUPP, "EOPNOTSUPP"}, {EAFNOSUPPORT, "EAFNOSUPPORT"},
      {EADDRINUSE, "EADDRINUSE"}, {EADDRNOTAVAIL, "EADDRNOTAVAIL"},
      {ENOBUFS, "ENOBUFS"},       {EISCONN, "EISCONN"},
  };
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
    if (known[i].value == err) {
      return known[i].name;
    }
  }
  snprintf(buf, size, "E%d", err);
  return buf;
}

void hn_throw_errno(napi_env env, int err, const char *syscall, const char *fmt, ...) {
  char context[HN_MESSAGE_MAX / 2];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(context, sizeof context, fmt, ap);
  va_end(ap);

  char namebuf[16];
  const char *name = hn_errno_name(err, namebuf, sizeof namebuf);
  char msg[HN_MESSAGE_MAX];
  snprintf(msg, sizeof msg, "%s: %s: %s", name, context, strerror(err));

  napi_value code_v, msg_v, error, errno_v, syscall_v;
  if (napi_failed(env, napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &code_v), "code") ||
      napi_failed(env, napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &msg_v), "message") ||
      napi_failed(env, napi_create_error(env, code_v, msg_v, &error), "error") ||
      napi_failed(env, napi_create_int32(env, -err, &errno_v), "errno") ||
      napi_failed(env, napi_set_named_property(env, error, "errno", errno_v), "errno") ||
      napi_failed(env, napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &syscall_v), "syscall") ||
      napi_failed(env, napi_set_named_property(env, error, "syscall", syscall_v), "syscall")) {
    return;
  }
  napi_throw(env, error);
}

bool hn_get_args(napi_env env, napi_callback_info info, const char *fn, size_t count, napi_value *argv) {
  size_t argc = count;
  if (napi_failed(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL), "get_cb_info")) {
    return false;
  }
  if (argc < count) {
    hn_throw_type(env, "%s expects %zu arguments, got %zu", fn, count, argc);
    return false;
  }
  return true;
}

bool hn_get_int(napi_env env, napi_value value, const char *what, int64_t min, int64_t max, int64_t *out) {
  napi_valuetype type;
  if (napi_failed(env, napi_typeof(env, value, &type), "typeof")) {
    return false;
  }
  double d = 0;
  if (type != napi_number || napi_failed(env, napi_get_value_double(env, value, &d), "number")) {
    hn_throw_type(env, "%s must be an integer number", what);
    return false;
  }
  if (!isfinite(d) || d != trunc(d)) {
    hn_throw_type(env, "%s must be an integer number, got %g", what, d);
    return false;
  }
  if (d < (double)min || d > (double)max) {
    hn_throw_range(env, "%s must be in [%lld, %lld], got %.0f", what, (long long)min, (long long)max, d);
    return false;
  }
  *out = (int64_t)d;
  return true;
}

bool hn_get_bool(napi_env env, napi_value value, const char *what, bool *out) {
  napi_valuetype type;
  if (napi_failed(env, napi_typeof(env, value, &type), "typeof")) {
    return false;
  }
  if (type != napi_boolean) {
    hn_throw_type(env, "%s must be a boolean", what);
    return false;
  }
  return !napi_failed(env, napi_get_value_bool(env, value, out), "bool");
}

bool hn_get_string(napi_env env, napi_value value, const char *what, char *buf, size_t max_bytes, size_t *len,
                   bool reject_nul) {
  napi_valuetype type;
  if (napi_failed(env, napi_typeof(env, value, &type), "typeof")) {
    return false;
  }
  if (type != napi_string) {
    hn_throw_type(env, "%s must be a string", what);
    return false;
  }
  size_t bytes = 0;
  if (napi_failed(env, napi_get_value_string_utf8(env, value, NULL, 0, &bytes), "string length")) {
    return false;
  }
  if (bytes > max_bytes) {
    hn_throw_range(env, "%s must be at most %zu bytes (UTF-8), got %zu", what, max_bytes, bytes);
    return false;
  }
  size_t copied = 0;
  if (napi_failed(env, napi_get_value_string_utf8(env, value, buf, max_bytes + 1, &copied), "string")) {
    return false;
  }
  if (reject_nul && strlen(buf) != copied) {
    hn_throw_type(env, "%s must not contain NUL characters", what);
    return false;
  }
  *len = copied;
  return true;
}

bool hn_require_object(napi_env env, napi_value value, const char *what) {
  napi_valuetype type;
  if (napi_failed(env, napi_typeof(env, value, &type), "typeof")) {
    return false;
  }
  if (type != napi_object) {
    hn_throw_type(env, "%s must be an object", what);
    return false;
  }
  return true;
}

bool hn_get_optional(napi_env env, napi_value obj, const char *key, napi_value *out, bool *present) {
  if (napi_failed(env, napi_get_named_property(env, obj, key, out), key)) {
    return false;
  }
  napi_valuetype type;
  if (napi_failed(env, napi_typeof(env, *out, &type), "typeof")) {
    return false;
  }
  *present = type != napi_undefined && type != napi_null;
  return true;
}

bool hn_export(napi_env env, napi_value exports, const char *name, napi_callback cb) {
  napi_value fn;
  return !napi_failed(env, napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, NULL, &fn), name) &&
         !napi_failed(env, napi_set_named_property(env, exports, name, fn), name);
}

bool hn_set_int(napi_env env, napi_value obj, const char *key, int64_t value) {
  napi_value v;
  return !napi_failed(env, napi_create_int64(env, value, &v), key) &&
         !napi_failed(env, napi_set_named_property(env, obj, key, v), key);
}

bool hn_set_bool(napi_env env, napi_value obj, const char *key, bool value) {
  napi_value v;
  return !napi_failed(env, napi_get_boolean(env, value, &v), key) &&
         !napi_failed(env, napi_set_named_property(env, obj, key, v), key);
}
