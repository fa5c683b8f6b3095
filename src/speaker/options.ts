/** The speaker's typed options (parsed from flags by src/cli/speaker.ts) and its defaults. */
import type { MembershipConfig } from '../core/membership/index.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface SpeakerOptions {
  /** kubeconfig file; undefined means the in-cluster service account. */
  readonly kubeconfig?: string;
  /** This speaker's Node name. */
  readonly node: string;
  /** The MetalLB namespace: configuration, speaker Pods, memberlist Secret, ServiceL2Status objects. */
  readonly namespace: string;
  readonly lbClass?: string;
  readonly ignoreExcludeLb: boolean;
  readonly metricsListen: { readonly host: string; readonly port: number };
  readonly logLevel: LogLevel;
  /** Bind address of the membership socket; undefined: this node's speaker Pod IP, else 0.0.0.0. */
  readonly memberlistBind?: string;
  readonly memberlistPort: number;
  readonly memberlistSecret: string;
  /** Label selector of the speaker Pods (the membership roster). */
  readonly speakerSelector: string;
  readonly membership: Partial<MembershipConfig>;
  readonly interfacePollMs: number;
}
