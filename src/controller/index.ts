/**
 * src/controller: the allocating controller, `herald controller` (docs/controller.md).
 *
 * Responsibilities:
 * - reconcile Services of type LoadBalancer (honouring spec.loadBalancerClass and --lb-class) with the
 *   allocator: status.loadBalancer.ingress (ipMode VIP), the metallb.io/ip-allocated-from-pool
 *   annotation, the metallb.io/IPAllocated condition and MetalLB's Events (reconcile.ts, term.ts);
 * - configuration: parse every metallb.io change, keep the last good Config, report every error on the
 *   offending objects and in ConfigurationState, re-evaluate assignments on new pools (config-state.ts);
 * - restart and takeover: restore every status address, oldest Service first, before allocating
 *   anything (startup.ts);
 * - high availability: leader election on a Lease; all writes stop when the term ends (app.ts);
 * - IPAddressPool status counters (pool-status.ts), the memberlist Secret, /metrics /healthz /readyz
 *   (metrics.ts; the HTTP endpoints in src/platform/http-endpoints.ts), pino JSON logs (main.ts).
 *
 * The logic talks to Kubernetes only through the ports of ports.ts (tested with a recording fake);
 * kube-caches.ts, kube-writers.ts and service-view.ts implement them over src/k8s.
 */
export { Controller, type ControllerParts } from './app.js';
export { controllerParts, runController, type ControllerIo } from './main.js';
export { SERVICE_WORKERS, type ControllerOptions, type LogLevel } from './options.js';
