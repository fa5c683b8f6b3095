// Label selectors in string form (the k8s.io/apimachinery/pkg/labels grammar) and field selectors.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/apiserver/errors.js';
import {
  fieldQueryMatches,
  fieldValue,
  labelQueryMatches,
  parseFieldQuery,
  parseLabelQuery,
} from '../../../src/apiserver/selectors.js';

const labels = { app: 'web', tier: 'front', rank: '5', empty: '' };

describe('label selector strings', () => {
  it.each([
    { sel: '', want: true },
    { sel: 'app=web', want: true },
    { sel: 'app==web', want: true },
    { sel: 'app = web , tier = front', want: true },
    { sel: 'app=db', want: false },
    { sel: 'app!=db', want: true },
    { sel: 'missing!=x', want: true },
    { sel: 'app!=web', want: false },
    { sel: 'app in (db, web)', want: true },
    { sel: 'app in (db)', want: false },
    { sel: 'app notin (db)', want: true },
    { sel: 'missing notin (db)', want: true },
    { sel: 'tier', want: true },
    { sel: 'missing', want: false },
    { sel: '!missing', want: true },
    { sel: '!app', want: false },
    { sel: 'empty=', want: true },
    { sel: 'rank>4', want: true },
    { sel: 'rank>5', want: false },
    { sel: 'rank<6,app=web', want: true },
    { sel: 'app>1', want: false },
    { sel: 'example.com/key in (a,b),app', want: false },
  ])('$sel -> $want', ({ sel, want }) => {
    expect(labelQueryMatches(parseLabelQuery(sel), labels)).toBe(want);
  });

  it.each([
    { sel: 'a in (b', why: /expected: ',' or '\)'/ },
    { sel: 'a in ()', why: /values set can't be empty/ },
    { sel: 'a b', why: /expected: in, notin/ },
    { sel: '=b', why: /expected: identifier/ },
    { sel: 'a=b,', why: /expected: identifier/ },
    { sel: 'a>x', why: /must be an integer/ },
    { sel: 'Bad Key!=x', why: /expected/ },
    { sel: '-bad=x', why: /label key/ },
    { sel: 'a=-bad-', why: /label value/ },
  ])('rejects "$sel" with a BadRequest', ({ sel, why }) => {
    let err: unknown;
    try {
      parseLabelQuery(sel);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe(400);
    expect((err as ApiError).message).toMatch(why);
  });
});

describe('field selectors', () => {
  const obj = {
    metadata: { name: 'web', namespace: 'prod' },
    spec: { type: 'LoadBalancer', unschedulable: false },
    source: { component: 'herald' },
    involvedObject: { kind: 'Service', name: 'a,b' },
  };

  it('matches =, == and != on supported fields, with escapes', () => {
    const allowed = ['spec.type', 'source', 'involvedObject.name', 'spec.unschedulable'];
    const m = (s: string) => fieldQueryMatches(parseFieldQuery(s, allowed), obj);
    expect(m('metadata.name=web')).toBe(true);
    expect(m('metadata.name==web,metadata.namespace=prod')).toBe(true);
    expect(m('metadata.namespace!=prod')).toBe(false);
    expect(m('spec.type=LoadBalancer')).toBe(true);
    expect(m('source=herald')).toBe(true);
    expect(m('involvedObject.name=a\\,b')).toBe(true);
    expect(m('spec.unschedulable=false')).toBe(true);
    expect(m('')).toBe(true);
  });

  it('rejects unsupported field labels as the real server does', () => {
    expect(() => parseFieldQuery('spec.foo=x', [])).toThrow('field label not supported: spec.foo');
    expect(() => parseFieldQuery('nonsense', [])).toThrow(/invalid selector/);
  });

  it('reads missing fields as the empty string', () => {
    expect(fieldValue(obj, 'status.phase')).toBe('');
  });
});
