/**
 * src/k8s/writers: everything the adapter writes to the API: Service status, condition and pool
 * annotation; core/v1 Events with aggregation; IPAddressPool status counters; the memberlist Secret.
 * Each skips writes that would change nothing and reports a vanished object as 'not-found'.
 */
export {
  EventRecorder,
  EVENT_MESSAGE_MAX,
  involvedObject,
  type EventRecorderOptions,
  type EventType,
  type InvolvedObject,
} from './events.js';
export {
  clampInt64,
  INT64_MAX,
  PoolStatusWriter,
  poolStatusPatch,
  type PoolCounters,
} from './pool-status.js';
export { MEMBERLIST_KEY_BYTES, MEMBERLIST_SECRET_KEY, SecretWriter, type EnsureOutcome } from './secret.js';
export {
  ALLOCATION_CONDITION_TYPE,
  conditionReason,
  IP_MODE_VIP,
  ServiceStatusWriter,
  type AllocationCondition,
  type ServiceStatusUpdate,
  type ServiceStatusWriterOptions,
  type WriteOutcome,
} from './service-status.js';
export {
  ANNOUNCING_MACS_ANNOTATION,
  L2_STATUS_GENERATE_NAME,
  L2_STATUS_NODE_LABEL,
  L2_STATUS_SERVICE_NAME_LABEL,
  L2_STATUS_SERVICE_NAMESPACE_LABEL,
  L2StatusWriter,
  type L2StatusDesired,
  type L2StatusSyncResult,
} from './l2-status.js';
