/**
 * Flag parsing shared by the long-running subcommands (`controller`, `speaker`): `--flag value` and
 * `--flag=value` pairs, boolean flags, Go-style durations, `HOST:PORT` listen addresses and log levels.
 * Pure; every problem is a UsageError naming the flag.
 */
import { parseDuration } from '../config/duration.js';
import { UsageError } from './command.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const PORT_MAX = 65535;

/**
 * Reads `args` into values keyed by `valueFlags[flag]` (and `booleanFlags[flag]`, set to 'true' or the
 * inline `=true|false`). Unknown flags, stray arguments and missing values are UsageErrors.
 */
export function readFlags(
  args: readonly string[],
  valueFlags: Readonly<Record<string, string>>,
  booleanFlags: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const values: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const eq = arg.indexOf('=');
    const [flag, inline] =
      arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const bool = booleanFlags[flag];
    if (bool !== undefined) {
      if (inline !== undefined && inline !== 'true' && inline !== 'false') {
        throw new UsageError(`${flag}: expected true or false, got "${inline}"`);
      }
      values[bool] = inline ?? 'true';
      continue;
    }
    const key = valueFlags[flag];
    if (key === undefined) {
      throw new UsageError(flag.startsWith('-') ? `unknown flag ${flag}` : `unexpected argument "${arg}"`);
    }
    const value = inline ?? args[++i];
    if (value === undefined || (inline === undefined && value.startsWith('-') && value !== '-')) {
      throw new UsageError(`flag ${flag} needs a value`);
    }
    values[key] = value;
  }
  return values;
}

/** A positive Go-style duration (`500ms`, `15s`, `1m`) in milliseconds. */
export function durationFlag(flag: string, text: string): number {
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new UsageError(`${flag}: ${parsed.reason}`);
  if (parsed.ms <= 0) throw new UsageError(`${flag}: must be positive, got "${text}"`);
  return parsed.ms;
}

export function nonEmpty(flag: string, value: string): string {
  if (value.trim() === '') throw new UsageError(`${flag} must not be empty`);
  return value;
}

export function logLevelFlag(text: string): LogLevel {
  const level = text as LogLevel;
  if (!LOG_LEVELS.includes(level)) {
    throw new UsageError(`--log-level "${text}": expected one of ${LOG_LEVELS.join(', ')}`);
  }
  return level;
}

/** Splits `HOST:PORT`, `[V6]:PORT` or `:PORT` (all interfaces) of `--metrics-listen`. */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d+)$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || !Number.isInteger(port) || port > PORT_MAX) {
    throw new UsageError(`--metrics-listen "${text}": expected HOST:PORT, [IPv6]:PORT or :PORT`);
  }
  const host = m[1] ?? m[2] ?? '';
  return { host: host === '' ? '0.0.0.0' : host, port };
}

/** An integer port 1-65535. */
export function portFlag(flag: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > PORT_MAX)
    throw new UsageError(`${flag} "${text}": expected 1-${PORT_MAX}`);
  return n;
}
