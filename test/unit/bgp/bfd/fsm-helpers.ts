/**
 * Builders for BFD state-machine tests: a configured session in each state, remote packets, and a
 * runner that folds events through `step` and collects the actions.
 */
import type { BfdControlPacket } from '../../../../src/bgp/bfd/codec/index.js';
import {
  initialState,
  step,
  type BfdFsmAction,
  type BfdFsmConfig,
  type BfdFsmEvent,
  type BfdFsmState,
} from '../../../../src/bgp/bfd/fsm/index.js';

export const LOCAL_DISCR = 0x1111_1111;
export const REMOTE_DISCR = 0x2222_2222;

export const CONFIG: BfdFsmConfig = {
  localDiscriminator: LOCAL_DISCR,
  desiredMinTxUs: 300_000,
  requiredMinRxUs: 300_000,
  detectMult: 3,
  passive: false,
};

/** A packet from the remote system; by default state Down, 300 ms intervals, multiplier 3. */
export function remote(overrides: Partial<BfdControlPacket> = {}): BfdControlPacket {
  const state = overrides.state ?? 'Down';
  return {
    diagnostic: 0,
    state,
    poll: false,
    final: false,
    controlPlaneIndependent: false,
    demand: false,
    detectMult: 3,
    myDiscriminator: REMOTE_DISCR,
    yourDiscriminator: state === 'Init' || state === 'Up' ? LOCAL_DISCR : 0,
    desiredMinTxUs: 300_000,
    requiredMinRxUs: 300_000,
    requiredMinEchoRxUs: 0,
    ...overrides,
  };
}

export const rx = (overrides: Partial<BfdControlPacket> = {}): BfdFsmEvent => ({
  type: 'packet-received',
  packet: remote(overrides),
});

export interface Run {
  readonly state: BfdFsmState;
  readonly actions: BfdFsmAction[];
}

/** Folds `events` (each with its own clock time) through `step`, collecting every action. */
export function run(state: BfdFsmState, events: ReadonlyArray<readonly [BfdFsmEvent, number]>): Run {
  let current = state;
  const actions: BfdFsmAction[] = [];
  for (const [event, now] of events) {
    const result = step(current, event, now);
    current = result.state;
    actions.push(...result.actions);
  }
  return { state: current, actions };
}

export function down(config: Partial<BfdFsmConfig> = {}): BfdFsmState {
  return run(initialState({ ...CONFIG, ...config }), [[{ type: 'admin-up' }, 0]]).state;
}

export function init(config: Partial<BfdFsmConfig> = {}): BfdFsmState {
  return run(down(config), [[rx({ state: 'Down' }), 10]]).state;
}

/** Up, with the Poll Sequence that going Up starts already completed. */
export function up(config: Partial<BfdFsmConfig> = {}): BfdFsmState {
  return run(init(config), [
    [rx({ state: 'Up' }), 20],
    [rx({ state: 'Up', final: true }), 30],
  ]).state;
}

/** AdminDown after having been Up. */
export function adminDown(config: Partial<BfdFsmConfig> = {}): BfdFsmState {
  return run(up(config), [[{ type: 'admin-down' }, 40]]).state;
}

export function sent(actions: readonly BfdFsmAction[]): BfdControlPacket[] {
  return actions.flatMap((a) => (a.type === 'send' ? [a.packet] : []));
}

export function ofType<T extends BfdFsmAction['type']>(
  actions: readonly BfdFsmAction[],
  type: T,
): Extract<BfdFsmAction, { type: T }>[] {
  return actions.filter((a): a is Extract<BfdFsmAction, { type: T }> => a.type === type);
}
