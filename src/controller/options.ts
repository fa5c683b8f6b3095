/** The controller's typed options (parsed from flags by src/cli/controller.ts). */

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface ControllerOptions {
  /** kubeconfig file; undefined means the in-cluster service account. */
  readonly kubeconfig?: string;
  /** The MetalLB namespace: configuration objects, the Lease, the memberlist Secret. */
  readonly namespace: string;
  /** Handle only Services with this spec.loadBalancerClass; undefined: only Services without a class. */
  readonly lbClass?: string;
  readonly metricsListen: { readonly host: string; readonly port: number };
  readonly logLevel: LogLevel;
  readonly leaseName: string;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
  readonly identity: string;
  readonly memberlistSecret: string;
}

/** Service keys reconciled at the same time (status writes are independent per Service). */
export const SERVICE_WORKERS = 16;
