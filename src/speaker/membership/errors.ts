/** The membership adapter's typed error: which option or operation failed, and why. */
export class MembershipAgentError extends Error {
  constructor(
    /** The option or operation at fault, e.g. `bind.address`, `peers[2].port`, `key`, `bind`. */
    readonly field: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`membership ${field}: ${reason}`, options);
    this.name = 'MembershipAgentError';
  }
}
