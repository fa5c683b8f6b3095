/** Named errors of the BFD session adapter. */

/** A socket could not be opened, bound or configured; `operation` says which step failed. */
export class BfdSocketError extends Error {
  override readonly name = 'BfdSocketError';
  constructor(
    readonly operation: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An operation on a session or service that was already stopped (or, for the service, not started). */
export class BfdLifecycleError extends Error {
  override readonly name = 'BfdLifecycleError';
}

/** A second session with the same mode and peer address. */
export class BfdDuplicateSessionError extends Error {
  override readonly name = 'BfdDuplicateSessionError';
}
