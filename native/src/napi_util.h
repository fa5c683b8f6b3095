/*
 * Shared Node-API helpers for Herald's addon: argument validation that throws TypeError/RangeError
 * instead of crashing, errno errors shaped like Node's own (code, errno, syscall), and function export.
 * Every helper returns false after it has thrown, so callers just `return NULL`.
 */
#ifndef HERALD_NAPI_UTIL_H
#define HERALD_NAPI_UTIL_H

#include <node_api.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Fetches exactly `count` arguments; throws a TypeError naming `fn` when fewer were passed. */
bool hn_get_args(napi_env env, napi_callback_info info, const char *fn, size_t count, napi_value *argv);

/* Reads an integer number in [min, max]; throws TypeError (not an integer) or RangeError. */
bool hn_get_int(napi_env env, napi_value value, const char *what, int64_t min, int64_t max, int64_t *out);

/* Reads a boolean; throws TypeError otherwise. */
bool hn_get_bool(napi_env env, napi_value value, const char *what, bool *out);

/*
 * Copies a string's UTF-8 bytes into buf (NUL-terminated; buf holds max_bytes + 1 bytes) and stores
 * the byte length in *len.
 * Throws TypeError when it is not a string and RangeError when it is longer than max_bytes.
 * With reject_nul, a string containing U+0000 is a TypeError (addresses, names).
 */
bool hn_get_string(napi_env env, napi_value value, const char *what, char *buf, size_t max_bytes, size_t *len,
                   bool reject_nul);

/* Requires an object; throws TypeError otherwise. */
bool hn_require_object(napi_env env, napi_value value, const char *what);

/* Reads obj[key]; *present is false when the property is missing, undefined or null. */
bool hn_get_optional(napi_env env, napi_value obj, const char *key, napi_value *out, bool *present);

/* Throws TypeError / RangeError with a Node-style code and a formatted message. */
void hn_throw_type(napi_env env, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void hn_throw_range(napi_env env, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Throws an Error for a failed system call: message "ENAME: <context>: <strerror>",
 * with properties code ("ENAME"), errno (negative, as in Node) and syscall.
 */
void hn_throw_errno(napi_env env, int err, const char *syscall, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The symbolic name of an errno value ("EINVAL"), or "E<number>" when unknown. */
const char *hn_errno_name(int err, char *buf, size_t size);

/* Sets exports[name] = function; returns false (after throwing) on failure. */
bool hn_export(napi_env env, napi_value exports, const char *name, napi_callback cb);

/* Creates a JS number / boolean and stores it on obj[key]. */
bool hn_set_int(napi_env env, napi_value obj, const char *key, int64_t value);
bool hn_set_bool(napi_env env, napi_value obj, const char *key, bool value);

#endif
