/**
 * SecretWriter: creates the speakers' membership key Secret when it is missing, never overwriting one
 * that exists (speakers may already use it). The key is 64 random bytes (node:crypto) written as base64
 * text under data.secretkey, the layout of MetalLB's `memberlist` Secret
 * (`--from-literal=secretkey=$(openssl rand -base64 ...)`). A concurrent creator (409 AlreadyExists)
 * counts as "exists".
 */
import { randomBytes } from 'node:crypto';
import { isAlreadyExists, isNotFound } from '../errors.js';
import { collectionPath, objectPath, RESOURCES } from '../resources.js';
import type { RestClient } from '../rest.js';

export const MEMBERLIST_SECRET_KEY = 'secretkey';
export const MEMBERLIST_KEY_BYTES = 64;

export type EnsureOutcome = 'created' | 'exists';

export class SecretWriter {
  readonly #rest: RestClient;
  readonly #random: (size: number) => Buffer;

  constructor(options: { readonly rest: RestClient; readonly randomBytes?: (size: number) => Buffer }) {
    this.#rest = options.rest;
    this.#random = options.randomBytes ?? randomBytes;
  }

  async ensureMemberlistSecret(
    namespace: string,
    name: string,
    signal?: AbortSignal,
  ): Promise<EnsureOutcome> {
    try {
      await this.#rest.request({
        method: 'GET',
        path: objectPath(RESOURCES.secrets, namespace, name),
        signal,
      });
      return 'exists';
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const value = this.#random(MEMBERLIST_KEY_BYTES).toString('base64');
    const body = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'herald' } },
      type: 'Opaque',
      data: { [MEMBERLIST_SECRET_KEY]: Buffer.from(value).toString('base64') },
    };
    try {
      await this.#rest.request({
        method: 'POST',
        path: collectionPath(RESOURCES.secrets, namespace),
        body,
        signal,
      });
      return 'created';
    } catch (err) {
      if (isAlreadyExists(err)) return 'exists';
      throw err;
    }
  }
}
