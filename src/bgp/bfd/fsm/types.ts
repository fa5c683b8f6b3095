/**
 * The data of the BFD state machine (RFC 5880 §6.8.1 state variables), its events and its actions.
 * Intervals are microseconds, as on the wire; `now` and deadlines are milliseconds from the injected
 * clock. Everything is immutable plain data.
 */
import type { BfdControlPacket, BfdState } from '../codec/index.js';

/** The timer parameters a session is configured with (RFC 5880 §6.8.1). */
export interface BfdTimerParameters {
  /** bfd.DesiredMinTxInterval once the session is Up; the FSM raises it to 1 s while not Up (§6.8.3). */
  readonly desiredMinTxUs: number;
  /** bfd.RequiredMinRxInterval; 0 asks the remote system not to send at all. */
  readonly requiredMinRxUs: number;
  /** bfd.DetectMult, 1–255. */
  readonly detectMult: number;
}

export interface BfdFsmConfig extends BfdTimerParameters {
  /** bfd.LocalDiscr: non-zero and unique among the local system's sessions. */
  readonly localDiscriminator: number;
  /** Passive role (§6.1): send nothing until a packet from the remote system has been received. */
  readonly passive: boolean;
}

/** A pair of interval values: what the packets say and what the timers use (§6.8.3 poll rules). */
export interface BfdIntervals {
  readonly desiredMinTxUs: number;
  readonly requiredMinRxUs: number;
}

export interface BfdFsmState {
  readonly config: BfdFsmConfig;
  /** bfd.SessionState */
  readonly sessionState: BfdState;
  /** bfd.LocalDiag */
  readonly localDiag: number;
  /** bfd.RemoteSessionState */
  readonly remoteState: BfdState;
  /** bfd.RemoteDiscr (0 until a packet is received, and again after a detection timeout). */
  readonly remoteDiscr: number;
  /** bfd.RemoteMinRxInterval */
  readonly remoteMinRxUs: number;
  /** Desired Min TX Interval of the last packet received. */
  readonly remoteDesiredMinTxUs: number;
  /** Detect Mult of the last packet received. */
  readonly remoteDetectMult: number;
  /** bfd.RemoteDemandMode */
  readonly remoteDemand: boolean;
  /** The values sent in Desired Min TX / Required Min RX. */
  readonly advertised: BfdIntervals;
  /** The values the transmit interval and the detection time are computed from. */
  readonly inUse: BfdIntervals;
  /** A Poll Sequence is being transmitted (§6.5): periodic packets carry P until a packet with F arrives. */
  readonly pollActive: boolean;
  /** The periodic transmit timer is armed. */
  readonly txRunning: boolean;
  /** The transmit interval the armed timer was computed from, µs. */
  readonly txIntervalUs: number;
  /** Clock time of the last periodic transmission, ms. */
  readonly lastTxMs: number | undefined;
  /** When the detection timer expires, ms; undefined when it is not running. */
  readonly detectDeadlineMs: number | undefined;
  /** After an administrative shutdown, AdminDown packets are sent until this time, ms (§6.8.16). */
  readonly adminDownUntilMs: number | undefined;
}

export type BfdFsmEvent =
  /** A packet that passed the codec's checks and was demultiplexed to this session. */
  | { readonly type: 'packet-received'; readonly packet: BfdControlPacket }
  | { readonly type: 'detect-timer-expired' }
  | { readonly type: 'tx-timer-expired' }
  | { readonly type: 'admin-up' }
  | { readonly type: 'admin-down' }
  /** Changes the configured timers; while Up this starts a Poll Sequence (§6.8.3). */
  | { readonly type: 'set-parameters'; readonly parameters: Partial<BfdTimerParameters> };

export type BfdDiscardReason =
  /** The A bit is set but this session uses no authentication (§6.8.6). */
  | 'authentication-not-configured'
  /** The session is administratively down (§6.8.6). */
  | 'session-admin-down';

export type BfdFsmAction =
  | { readonly type: 'send'; readonly packet: BfdControlPacket }
  /**
   * (Re)arm the periodic transmit timer. The delay is `intervalUs` × a random factor in
   * [minFactor, maxFactor] (§6.8.7 jitter); `jitteredDelayUs` computes it.
   */
  | {
      readonly type: 'arm-tx-timer';
      readonly intervalUs: number;
      readonly minFactor: number;
      readonly maxFactor: number;
    }
  | { readonly type: 'cancel-tx-timer' }
  | { readonly type: 'arm-detect-timer'; readonly delayUs: number }
  | { readonly type: 'cancel-detect-timer' }
  | {
      readonly type: 'state-change';
      readonly from: BfdState;
      readonly to: BfdState;
      /** bfd.LocalDiag after the change. */
      readonly diagnostic: number;
      /** bfd.RemoteSessionState when the change happened (AdminDown: the peer shut the session down). */
      readonly remoteState: BfdState;
    }
  /** A Poll Sequence ended: the new intervals are now in use. */
  | { readonly type: 'poll-complete'; readonly inUse: BfdIntervals }
  | { readonly type: 'discard'; readonly reason: BfdDiscardReason };

export interface BfdStepResult {
  readonly state: BfdFsmState;
  readonly actions: readonly BfdFsmAction[];
}
