/**
 * The time port of the BFD session adapter: bgp-ts-lite's session `Clock` (monotonic milliseconds plus
 * one-shot timers), shared so one fake clock drives BGP and BFD together in tests.
 */
export { systemClock, type Clock, type TimerHandle } from '../session/clock.js';
