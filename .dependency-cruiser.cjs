/**
 * Herald's layering rules (docs/architecture.md, "Dependency rules"), checked in CI by `npm run deps:check`.
 * Arrows point inward: adapters depend on the pure core, never the reverse.
 */
const PURE_NPM = '^node_modules/(ip-address)/';
const SPEAKER_PURE = '^src/speaker/(plan|split-brain|interfaces|exclude-l2|snapshot)\\.ts$';
const PURE_BGP =
  '^src/bgp/(codec\\.ts$|wire/|messages/|attributes/|capabilities/|nlri/|fsm/|rib/|bfd/(codec|fsm)/)';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-pure',
      comment:
        'src/core imports only src/core and pure npm packages: no Node I/O, no Kubernetes client, no native code.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { pathNot: [`^src/core/`, PURE_NPM] },
    },
    {
      name: 'config-is-pure',
      comment:
        'src/config turns plain JSON into a typed Config; it imports only src/core, itself and pure packages.',
      severity: 'error',
      from: { path: '^src/config/' },
      to: { pathNot: ['^src/core/', '^src/config/', PURE_NPM] },
    },
    {
      name: 'bgp-is-self-contained',
      comment: 'bgp-ts-lite is a library of its own: it imports nothing from the rest of Herald.',
      severity: 'error',
      from: { path: '^src/bgp/' },
      to: { path: '^src/', pathNot: '^src/bgp/' },
    },
    {
      name: 'bgp-pure-parts',
      comment: 'Codecs and FSMs in bgp-ts-lite are pure: no Node built-ins, no session I/O.',
      severity: 'error',
      from: { path: PURE_BGP },
      to: { pathNot: [PURE_BGP, '^src/bgp/(errors|constants|types)'] },
    },
    {
      name: 'bgp-no-npm-deps',
      comment: 'bgp-ts-lite depends on Node built-ins only, so it can be published alone.',
      severity: 'error',
      from: { path: '^src/bgp/' },
      to: { path: '^node_modules/' },
    },
    {
      name: 'l2-pure-parts',
      comment: 'Layer 2 frame codecs and the responder decision are pure: no Node built-ins, no sockets.',
      severity: 'error',
      from: { path: '^src/l2/(wire/|responder\\.ts$|arp-fast\\.ts$)' },
      to: { pathNot: ['^src/l2/(wire/|responder\\.ts$|arp-fast\\.ts$)', '^src/core/', PURE_NPM] },
    },
    {
      name: 'speaker-pure-parts',
      comment:
        'The speaker plan, split-brain policy and interface selection are pure: no sockets, no clients, no timers.',
      severity: 'error',
      from: { path: SPEAKER_PURE },
      to: {
        pathNot: [
          SPEAKER_PURE,
          '^src/core/',
          '^src/config/',
          '^src/k8s/(translate/|objects\\.ts$)',
          '^src/l2/announcer/types\\.ts$',
          '^src/platform/interfaces\\.ts$',
          PURE_NPM,
          '^node_modules/yaml/',
        ],
      },
    },
    {
      name: 'k8s-only-from-apps',
      comment:
        'Only the composition roots (controller, speaker, apiserver, bin) import the Kubernetes adapter.',
      severity: 'error',
      from: { pathNot: '^src/(k8s|controller|speaker|apiserver|bin)/' },
      to: { path: '^src/k8s/' },
    },
    {
      name: 'kubernetes-client-only-in-k8s',
      comment:
        'Only the Kubernetes adapter (and benches that act as API clients) use @kubernetes/client-node.',
      severity: 'error',
      from: { pathNot: '^(src/(k8s|bin)/|bench/)' },
      to: { path: '^node_modules/@kubernetes/' },
    },
    {
      name: 'native-only-from-platform',
      severity: 'error',
      from: { pathNot: '^src/platform/' },
      to: { path: '^native/' },
    },
    {
      name: 'apps-are-separate',
      comment: 'controller and speaker do not import each other; only bin imports them.',
      severity: 'error',
      from: { path: '^src/controller/' },
      to: { path: '^src/speaker/' },
    },
    {
      name: 'speaker-not-controller',
      severity: 'error',
      from: { path: '^src/speaker/' },
      to: { path: '^src/controller/' },
    },
    {
      name: 'only-bin-imports-apps',
      comment: 'Apps are composed only by the CLI (src/cli, src/bin), benches and tests.',
      severity: 'error',
      from: { pathNot: '^(src/(bin|cli|controller|speaker|apiserver|lab)/|bench/|test/)' },
      to: { path: '^src/(controller|speaker|apiserver|lab)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
    exclude: { path: '^(dist|node_modules)/' },
  },
};
