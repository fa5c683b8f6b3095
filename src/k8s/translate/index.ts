/**
 * src/k8s/translate: pure functions from API objects (plain JSON or client-node types) to the core's
 * typed inputs: Service → AllocationRequest (or why it is ignored / invalid), the managed status read
 * back from a Service, and the parseConfig snapshot from the informer caches. Never throws.
 */
export {
  ANNOTATIONS,
  ANNOTATION_PREFIX,
  DEPRECATED_ANNOTATION_PREFIX,
  annotationField,
  deprecatedKey,
  readAnnotation,
  type AnnotationName,
  type AnnotationValue,
} from './annotations.js';
export {
  CONFIG_KINDS,
  configSnapshotFromCache,
  type ConfigCaches,
  type ConfigKind,
} from './config-snapshot.js';
export {
  classMismatch,
  readServiceStatus,
  serviceToRequest,
  SERVICE_TYPE_LOAD_BALANCER,
  type ConditionState,
  type ServiceStatusState,
} from './service.js';
export {
  DEFAULT_SPEAKER_SELECTOR,
  peersFromPods,
  type SpeakerPeer,
  type SpeakerPeers,
  type SpeakerPodOptions,
  type SpeakerPodProblem,
} from './speaker-pods.js';
export type * from './types.js';
export {
  endpointCanServe,
  endpointReadiness,
  nodeReady,
  SERVICE_NAME_LABEL,
  speakerNodeFrom,
  speakerServiceFrom,
  type EndpointReadiness,
  type SpeakerNode,
  type SpeakerService,
} from './speaker.js';
