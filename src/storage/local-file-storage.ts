import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FieldCipher } from '../common/crypto/field-cipher';
import { FileStorage } from './file-storage';

/** `ab/ab12…`: 128 random bits in hex, spread over 256 folders by their first byte. */
const KEY_PATTERN = /^([0-9a-f]{2})\/\1[0-9a-f]{30}$/;

/**
 * Files in a folder under DATA_DIR, each sealed with AES-256-GCM by FieldCipher (the key derived from
 * DATA_ENCRYPTION_KEY like every other personal datum), under a random name. A key that is not one this class made
 * is refused before it reaches the file system, so no stored key can point outside the folder.
 */
export class LocalFileStorage implements FileStorage {
  private readonly logger = new Logger(LocalFileStorage.name);

  constructor(
    private readonly root: string,
    private readonly cipher: FieldCipher,
  ) {}

  async put(bytes: Buffer): Promise<{ key: string }> {
    const name = randomBytes(16).toString('hex');
    const key = `${name.slice(0, 2)}/${name}`;
    const folder = join(this.root, name.slice(0, 2));
    await mkdir(folder, { recursive: true, mode: 0o700 });
    // Written aside and renamed, so a reader never sees half a file.
    const partial = join(folder, `.${name}.partial`);
    await writeFile(partial, this.cipher.encryptBytes(bytes), { mode: 0o600, flag: 'wx' });
    await rename(partial, this.path(key));
    return { key };
  }

  async get(key: string): Promise<Buffer> {
    return this.cipher.decryptBytes(await readFile(this.path(key)));
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
    this.logger.debug(`Deleted stored file ${key}`);
  }

  private path(key: string): string {
    if (!KEY_PATTERN.test(key)) throw new Error('Not a key of the local file storage');
    return join(this.root, key);
  }
}
