/**
 * Schema checks of a written object, per the request's fieldValidation (Strict, Warn or Ignore as in
 * the real apiserver): unknown fields are rejected (BadRequest "strict decoding error"), reported as
 * warnings, or dropped; custom resources are also defaulted and validated against their CRD schema.
 */
import { badRequest, type FieldError } from '../errors.js';
import type { FieldValidation } from '../rest/engine.js';
import { isObject, type KubeObject, type ResourceDef } from '../types.js';
import { coreSchema, OBJECT_META_FIELDS } from './core-schemas.js';
import { applySchema } from './structural.js';

export interface CheckResult {
  readonly object: KubeObject;
  readonly errors: FieldError[];
}

export function schemaOf(def: ResourceDef): KubeObject | undefined {
  return def.custom ? def.schema : coreSchema(def.group, def.version, def.kind);
}

/** Prunes/defaults/validates `obj` for `def`, handling unknown fields per `mode` (warnings collected). */
export function checkObject(
  def: ResourceDef,
  obj: KubeObject,
  mode: FieldValidation,
  warnings: string[],
): CheckResult {
  const unknown: string[] = [];
  const m = obj.metadata;
  if (isObject(m)) {
    for (const k of Object.keys(m)) {
      if (!OBJECT_META_FIELDS.has(k)) {
        unknown.push(`metadata.${k}`);
        delete m[k];
      }
    }
  }
  const schema = schemaOf(def);
  let object = obj;
  let errors: FieldError[] = [];
  if (schema) {
    const out = applySchema(obj, schema);
    object = out.object;
    errors = out.errors;
    unknown.push(...out.unknownFields);
  }
  if (unknown.length > 0) {
    const texts = unknown.map((f) => `unknown field "${f}"`);
    if (mode === 'Strict') throw badRequest(`strict decoding error: ${texts.join(', ')}`);
    if (mode === 'Warn') warnings.push(...texts);
  }
  return { object, errors };
}
