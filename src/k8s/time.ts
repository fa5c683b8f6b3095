/**
 * Timestamps in the two wire formats of the Kubernetes API: metav1.Time (RFC 3339, whole seconds, e.g.
 * Event firstTimestamp, Condition lastTransitionTime) and metav1.MicroTime (RFC 3339 with exactly six
 * fractional digits, e.g. Lease renewTime, Event eventTime).
 */

const ISO_FRACTION = /\.\d{3}Z$/;

/** metav1.Time: `2024-05-01T12:00:00Z`. */
export function formatTime(date: Date): string {
  return date.toISOString().replace(ISO_FRACTION, 'Z');
}

/** metav1.MicroTime: `2024-05-01T12:00:00.123000Z`. */
export function formatMicroTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
