/**
 * A bgp-ts-lite BFD endpoint driven over stdin/stdout, so an integration test can run it inside a
 * network namespace (`ip netns exec NS node --import tsx bfd-agent.ts`). Commands are JSON lines on
 * stdin; every session event and every answer is a JSON line on stdout.
 *
 *   {"op":"add","id":"x","peerAddress":"192.0.2.2","localAddress":"192.0.2.1","multihop":false,...}
 *   {"op":"start"|"admin-down"|"stop"|"snapshot","id":"x"}
 *   {"op":"set-parameters","id":"x","parameters":{"desiredMinTxUs":100000}}
 *   {"op":"exit"}
 *
 * The optional first argument is a JSON `BfdServiceInit` (ports, bind addresses) for loopback tests.
 */
import { createInterface } from 'node:readline';
import {
  BfdService,
  type BfdServiceInit,
  type BfdSession,
  type BfdSessionOptions,
} from '../../../src/bgp/bfd/index.js';

type Command =
  | ({ op: 'add'; id: string } & BfdSessionOptions)
  | { op: 'start' | 'admin-down' | 'stop' | 'snapshot'; id: string }
  | { op: 'set-parameters'; id: string; parameters: Record<string, number> }
  | { op: 'exit' };

const started = performance.now();
const out = (line: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify({ ...line, t: Math.round(performance.now() - started) })}\n`);
};

const init = JSON.parse(process.argv[2] ?? '{}') as BfdServiceInit;
const service = new BfdService({}, init);
const sessions = new Map<string, BfdSession>();

async function run(command: Command): Promise<void> {
  if (command.op === 'exit') {
    await service.stop();
    out({ type: 'exited' });
    process.exit(0);
  }
  if (command.op === 'add') {
    const { op: _op, id, ...options } = command;
    const session = await service.addSession(options);
    sessions.set(id, session);
    session.on('state-change', (e) => out({ type: 'state-change', id, ...e }));
    session.on('poll-complete', (e) => out({ type: 'poll-complete', id, ...e }));
    out({ type: 'added', id, localDiscriminator: session.localDiscriminator });
    return;
  }
  const session = sessions.get(command.id);
  if (session === undefined) throw new Error(`no session ${command.id}`);
  if (command.op === 'start') session.start();
  else if (command.op === 'admin-down') session.adminDown();
  else if (command.op === 'stop') await session.stop();
  else if (command.op === 'set-parameters') session.setParameters(command.parameters);
  out({
    type: command.op === 'snapshot' ? 'snapshot' : 'done',
    id: command.id,
    op: command.op,
    ...session.snapshot(),
  });
}

await service.start();
service.on('error', (e) => out({ type: 'service-error', message: e.error.message }));
const lines = createInterface({ input: process.stdin });
let queue: Promise<void> = Promise.resolve();
lines.on('line', (line) => {
  queue = queue
    .then(() => run(JSON.parse(line) as Command))
    .catch((error: unknown) =>
      out({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
});
lines.on('close', () => {
  void service.stop().then(() => process.exit(0));
});
out({ type: 'ready' });
