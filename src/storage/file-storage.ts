/**
 * Where uploaded files live. Implementations store bytes under keys they generate themselves (a caller never
 * chooses a name or a path) and keep them encrypted at rest; callers keep the key beside the record the file
 * belongs to. Chosen by FILE_STORAGE (see StorageModule); inject it with `@Inject(FILE_STORAGE)`.
 */
export interface FileStorage {
  /** Stores the bytes under a new key. */
  put(bytes: Buffer): Promise<{ key: string }>;
  /** The bytes stored under the key, decrypted; throws when there are none or they were altered. */
  get(key: string): Promise<Buffer>;
  /** Removes the bytes; a key already gone is not an error (a retried cleanup). */
  delete(key: string): Promise<void>;
}

export const FILE_STORAGE = Symbol('FileStorage');
