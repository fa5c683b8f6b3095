/**
 * src/k8s: Herald's Kubernetes adapter (docs/kubernetes-adapter.md). It translates; it does not decide.
 *
 * Responsibilities:
 * - configuration: `loadKubeConfig` (--kubeconfig, else in-cluster), `createKubeClient` (KubeConfig +
 *   a plain-JSON REST client built on client-node);
 * - reading: `SupervisedInformer` list+watch caches that never stop silently (410 → relist, backoff
 *   with jitter on any other error, resume after an API server restart), via `createInformer`;
 * - scheduling: `WorkQueue`, keyed and coalescing, one in-flight item per key, SyncResult-driven retry;
 * - translation (pure): `serviceToRequest` (Service → AllocationRequest, MetalLB's annotations and
 *   class rules), `readServiceStatus`, `configSnapshotFromCache` (→ parseConfig);
 * - writing: `ServiceStatusWriter`, `EventRecorder`, `PoolStatusWriter`, `SecretWriter`;
 * - leadership: `LeaderElector` on a coordination.k8s.io Lease, whose term signal aborts before the
 *   lease can expire.
 * Kubernetes types never enter src/core; src/core and src/config stay pure.
 */
export { Backoff, backoffDelay, type BackoffOptions } from './backoff.js';
export { createInformer, createKubeClient, type KubeClient } from './client.js';
export { connectKube } from './connect.js';
export {
  sleep,
  systemClock,
  untilAborted,
  systemWallClock,
  type Clock,
  type TimerHandle,
  type WallClock,
} from './clock.js';
export {
  isAlreadyExists,
  isConflict,
  isGone,
  isNotFound,
  KubeApiError,
  KubeconfigError,
  toKubeApiError,
} from './errors.js';
export {
  SupervisedInformer,
  type InformerError,
  type InformerEvents,
  type InformerOptions,
  type InformerPhase,
  type InformerStats,
} from './informer.js';
export { loadKubeConfig, SERVICE_ACCOUNT_DIR, type KubeconfigOptions } from './kubeconfig.js';
export { JITTER_FACTOR, LEASE_DEFAULTS, LeaderElector, type LeaderElectorOptions } from './lease.js';
export { apiLeaseClient, type LeaseClient, type LeaseRecord, type StoredLease } from './lease-client.js';
export {
  apiListWatch,
  type ListResult,
  type ListWatchOptions,
  type ListWatchSource,
  type WatchEvent,
  type WatchRequest,
} from './list-watch.js';
export { ObjectStore, type Change, type ObjectCache } from './object-store.js';
export {
  asRecord,
  isKubeObject,
  keyOf,
  objectKey,
  splitKey,
  type KubeObject,
  type ObjectMeta,
} from './objects.js';
export {
  apiVersionOf,
  collectionPath,
  METALLB_GROUP,
  objectPath,
  RESOURCES,
  type ResourceType,
} from './resources.js';
export {
  CONTENT_JSON,
  CONTENT_MERGE_PATCH,
  createRestClient,
  type RestClient,
  type RestRequest,
} from './rest.js';
export { formatMicroTime, formatTime } from './time.js';
export * from './translate/index.js';
export {
  WorkQueue,
  type SyncHandler,
  type SyncResult,
  type WorkQueueOptions,
  type WorkQueueStats,
} from './workqueue.js';
export * from './writers/index.js';
