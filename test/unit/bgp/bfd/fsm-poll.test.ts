import { describe, expect, it } from 'vitest';
import { step } from '../../../../src/bgp/bfd/fsm/index.js';
import { CONFIG, REMOTE_DISCR, init, ofType, run, rx, sent, up } from './fsm-helpers.js';

describe('BFD FSM: Poll/Final (RFC 5880 §6.5, §6.8.3, §6.8.6)', () => {
  it('going Up starts a Poll Sequence that lowers Desired Min TX from the 1 s slow rate at once', () => {
    const result = step(init(), rx({ state: 'Up' }), 20);
    const s = result.state;
    expect(s.sessionState).toBe('Up');
    expect(s.pollActive).toBe(true);
    expect(s.advertised).toEqual({ desiredMinTxUs: 300_000, requiredMinRxUs: 300_000 });
    expect(s.inUse).toEqual({ desiredMinTxUs: 300_000, requiredMinRxUs: 300_000 });
    expect(ofType(result.actions, 'arm-tx-timer')).toMatchObject([{ intervalUs: 300_000 }]);
  });

  it('sets P on every periodic packet until a packet with F arrives, then stops', () => {
    const polling = step(init(), rx({ state: 'Up' }), 20).state;
    const t1 = step(polling, { type: 'tx-timer-expired' }, 300);
    const t2 = step(t1.state, { type: 'tx-timer-expired' }, 600);
    expect([...sent(t1.actions), ...sent(t2.actions)].map((p) => [p.poll, p.final])).toEqual([
      [true, false],
      [true, false],
    ]);
    const fin = step(t2.state, rx({ state: 'Up', final: true }), 650);
    expect(ofType(fin.actions, 'poll-complete')).toEqual([
      { type: 'poll-complete', inUse: { desiredMinTxUs: 300_000, requiredMinRxUs: 300_000 } },
    ]);
    const t3 = step(fin.state, { type: 'tx-timer-expired' }, 900);
    expect(sent(t3.actions).map((p) => [p.poll, p.final])).toEqual([[false, false]]);
  });

  it('ignores F when no Poll Sequence is being transmitted', () => {
    const result = step(up(), rx({ state: 'Up', final: true }), 100);
    expect(ofType(result.actions, 'poll-complete')).toEqual([]);
  });

  it('answers P at once with F set and P clear, describing the state after the packet', () => {
    const result = step(init(), rx({ state: 'Up', poll: true }), 20);
    const replies = sent(result.actions).filter((p) => p.final);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({
      state: 'Up',
      poll: false,
      final: true,
      yourDiscriminator: REMOTE_DISCR,
    });
  });

  it('never sets P and F together, even while polling itself', () => {
    const polling = step(init(), rx({ state: 'Up' }), 20).state;
    const result = step(polling, rx({ state: 'Up', poll: true }), 30);
    expect(sent(result.actions)).toHaveLength(1);
    expect(sent(result.actions)[0]).toMatchObject({ poll: false, final: true });
    expect(result.state.pollActive).toBe(true);
  });

  it('a larger Desired Min TX is advertised at once but used only after the Final', () => {
    const changed = step(up(), { type: 'set-parameters', parameters: { desiredMinTxUs: 800_000 } }, 100);
    expect(changed.state.pollActive).toBe(true);
    expect(changed.state.advertised.desiredMinTxUs).toBe(800_000);
    expect(changed.state.inUse.desiredMinTxUs).toBe(300_000);
    expect(ofType(changed.actions, 'arm-tx-timer')).toEqual([]);
    const tick = step(changed.state, { type: 'tx-timer-expired' }, 400);
    expect(sent(tick.actions)[0]).toMatchObject({ poll: true, desiredMinTxUs: 800_000 });
    expect(ofType(tick.actions, 'arm-tx-timer')).toMatchObject([{ intervalUs: 300_000 }]);
    const fin = step(tick.state, rx({ state: 'Up', final: true }), 420);
    expect(fin.state.inUse.desiredMinTxUs).toBe(800_000);
    expect(ofType(fin.actions, 'arm-tx-timer')).toMatchObject([{ intervalUs: 800_000 }]);
  });

  it('a smaller Desired Min TX is used at once (cannot cause a false detection) and still polled', () => {
    const changed = step(up(), { type: 'set-parameters', parameters: { desiredMinTxUs: 100_000 } }, 100);
    expect(changed.state.pollActive).toBe(true);
    expect(changed.state.inUse.desiredMinTxUs).toBe(100_000);
    // The remote's Required Min RX (300 ms) still bounds the interval.
    expect(ofType(changed.actions, 'arm-tx-timer')).toEqual([]);
    const faster = step(changed.state, rx({ state: 'Up', requiredMinRxUs: 50_000 }), 110);
    expect(ofType(faster.actions, 'arm-tx-timer')).toMatchObject([{ intervalUs: 100_000 }]);
  });

  it('a smaller Required Min RX keeps the old detection time until the Final (§6.8.3)', () => {
    const fastRemote = { state: 'Up' as const, desiredMinTxUs: 50_000 };
    const changed = step(up(), { type: 'set-parameters', parameters: { requiredMinRxUs: 100_000 } }, 100);
    expect(changed.state.advertised.requiredMinRxUs).toBe(100_000);
    expect(changed.state.inUse.requiredMinRxUs).toBe(300_000);
    const before = step(changed.state, rx(fastRemote), 110);
    expect(ofType(before.actions, 'arm-detect-timer')).toEqual([
      { type: 'arm-detect-timer', delayUs: 900_000 },
    ]);
    const after = step(before.state, rx({ ...fastRemote, final: true }), 120);
    expect(ofType(after.actions, 'arm-detect-timer')).toEqual([
      { type: 'arm-detect-timer', delayUs: 300_000 },
    ]);
  });

  it('a larger Required Min RX is used at once', () => {
    const changed = step(up(), { type: 'set-parameters', parameters: { requiredMinRxUs: 1_000_000 } }, 100);
    expect(changed.state.inUse.requiredMinRxUs).toBe(1_000_000);
    const next = step(changed.state, rx({ state: 'Up' }), 110);
    expect(ofType(next.actions, 'arm-detect-timer')).toEqual([
      { type: 'arm-detect-timer', delayUs: 3_000_000 },
    ]);
  });

  it('a change to the same values starts no Poll Sequence', () => {
    const result = step(up(), { type: 'set-parameters', parameters: { desiredMinTxUs: 300_000 } }, 100);
    expect(result.state.pollActive).toBe(false);
  });

  it('outside Up, changes take effect at once without a poll', () => {
    const result = step(init(), { type: 'set-parameters', parameters: { requiredMinRxUs: 50_000 } }, 100);
    expect(result.state.pollActive).toBe(false);
    expect(result.state.inUse.requiredMinRxUs).toBe(50_000);
    expect(result.state.advertised.requiredMinRxUs).toBe(50_000);
  });

  it('a Detect Mult change shows in the next packet without a poll', () => {
    const s = run(up(), [
      [{ type: 'set-parameters', parameters: { detectMult: 5 } }, 100],
      [{ type: 'tx-timer-expired' }, 300],
    ]);
    expect(s.state.pollActive).toBe(false);
    expect(sent(s.actions)[0]).toMatchObject({ detectMult: 5, poll: false });
  });

  it('leaving Up ends the Poll Sequence and returns to the slow rate', () => {
    const polling = step(
      up(),
      { type: 'set-parameters', parameters: { desiredMinTxUs: 800_000 } },
      100,
    ).state;
    const result = step(polling, rx({ state: 'Down' }), 110);
    expect(result.state.sessionState).toBe('Down');
    expect(result.state.pollActive).toBe(false);
    expect(result.state.advertised.desiredMinTxUs).toBe(1_000_000);
  });

  it('keeps the configured interval when it is already above the slow rate', () => {
    const s = init({ desiredMinTxUs: 2_000_000 });
    expect(s.advertised.desiredMinTxUs).toBe(2_000_000);
    expect(CONFIG.desiredMinTxUs).toBe(300_000);
  });
});
