// Sealed files on local disk, in one folder outside anything served: written
// under a temporary name, flushed, then renamed, so a reader or a crash never
// sees half a file; readable by the server's user alone.
import { mkdir, open, opendir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobEntry, BlobStore } from './blob-store.ts';

const partialSuffix = '.partial';

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

export class DiskBlobs implements BlobStore {
  readonly directory: string;

  constructor(directory: string) {
    this.directory = directory;
  }

  get location(): string {
    return this.directory;
  }

  #pathOf(name: string): string {
    return join(this.directory, name);
  }

  async write(name: string, bytes: Buffer): Promise<void> {
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    const partial = this.#pathOf(name + partialSuffix);
    try {
      const handle = await open(partial, 'wx', 0o600);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(partial, this.#pathOf(name));
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    await this.#syncDirectory();
  }

  /** The rename itself survives a power cut only once the folder is flushed. */
  async #syncDirectory(): Promise<void> {
    let handle;
    try {
      handle = await open(this.directory, 'r');
      await handle.sync();
    } catch {
      // Some platforms cannot open or flush a folder; the rename stands regardless.
    } finally {
      await handle?.close();
    }
  }

  async read(name: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.#pathOf(name));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async remove(name: string): Promise<void> {
    await rm(this.#pathOf(name), { force: true });
  }

  async removePartial(name: string): Promise<void> {
    await rm(this.#pathOf(name + partialSuffix), { force: true });
  }

  /** Every stored name, read a few at a time: the folder may hold millions. */
  async *entries(): AsyncGenerator<BlobEntry> {
    let folder;
    try {
      folder = await opendir(this.directory);
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for await (const entry of folder) {
      if (!entry.isFile()) continue;
      let modifiedAt: Date;
      try {
        modifiedAt = (await stat(this.#pathOf(entry.name))).mtime;
      } catch (error) {
        if (isMissing(error)) continue;
        throw error;
      }
      const partial = entry.name.endsWith(partialSuffix);
      const name = partial ? entry.name.slice(0, -partialSuffix.length) : entry.name;
      yield { name, modifiedAt, partial };
    }
  }

  async close(): Promise<void> {
    // Nothing held open between calls.
  }
}
