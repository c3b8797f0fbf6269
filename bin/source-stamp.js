// What the sources looked like: how many files under src/ and the newest
// change among them. The bundle in dist/ is used only while the sources still
// look as they did when it was built.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function sourceStamp(root) {
  let files = 0;
  let newest = 0;
  const walk = (directory) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) {
        walk(path);
      } else {
        files++;
        newest = Math.max(newest, statSync(path).mtimeMs);
      }
    }
  };
  walk(join(root, 'src'));
  walk(join(root, 'bin'));
  return { files, newest };
}
