import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { FieldCipher } from '../common/crypto/field-cipher';
import { LocalFileStorage } from './local-file-storage';

describe('LocalFileStorage', () => {
  let root: string;
  let storage: LocalFileStorage;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'files-'));
    storage = new LocalFileStorage(root, new FieldCipher(randomBytes(32)));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('stores bytes encrypted under a generated key and gives them back', async () => {
    const bytes = Buffer.from('%PDF-1.7 passport scan of a person named Karimov');
    const { key } = await storage.put(bytes);
    expect(key).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{32}$/);
    const onDisk = readFileSync(join(root, key));
    expect(onDisk.includes(Buffer.from('Karimov'))).toBe(false);
    expect(onDisk.length).toBe(bytes.length + 1 + 12 + 16);
    expect(await storage.get(key)).toEqual(bytes);
    expect(readdirSync(join(root, key.slice(0, 2)))).toEqual([key.slice(3)]);
  });

  it('gives each put a new key', async () => {
    const [a, b] = await Promise.all([storage.put(Buffer.from('same')), storage.put(Buffer.from('same'))]);
    expect(a.key).not.toBe(b.key);
  });

  it('deletes, and deleting again is no error', async () => {
    const { key } = await storage.put(Buffer.from('x'));
    await storage.delete(key);
    await storage.delete(key);
    await expect(storage.get(key)).rejects.toThrow();
  });

  it('refuses keys it did not make, before touching the file system', async () => {
    for (const key of ['../../etc/passwd', 'ab/../../x', '/etc/passwd', 'AB/ABCDEF', 'ab/cd0123456789abcdef0123456789abcd', '']) {
      await expect(storage.get(key)).rejects.toThrow('Not a key of the local file storage');
      await expect(storage.delete(key)).rejects.toThrow('Not a key of the local file storage');
    }
  });

  it('refuses bytes altered on disk or sealed with another key', async () => {
    const { key } = await storage.put(Buffer.from('original'));
    const other = new LocalFileStorage(root, new FieldCipher(randomBytes(32)));
    await expect(other.get(key)).rejects.toThrow(/authentication/);
  });
});
