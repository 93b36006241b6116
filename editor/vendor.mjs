// Copy into vendor/ exactly the files of the pinned `yaml` package that the editor imports:
// its plain-ESM browser build (browser/dist/index.js and every module it imports, followed
// import by import), plus its licence. Run after `npm ci`: `npm run vendor`.
// tests/test_editor_vendor.py checks that vendor/ equals what this writes from the lockfile's
// version, so the committed copy cannot drift from package-lock.json.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.join(here, 'node_modules', 'yaml');
const src = path.join(pkg, 'browser', 'dist');
const out = path.join(here, 'vendor', 'yaml');

/** Every module reachable from `entry` by static relative imports, relative to `src`. */
export function reachable(root, entry) {
  const seen = new Set();
  const todo = [entry];
  while (todo.length) {
    const rel = todo.pop();
    if (seen.has(rel)) continue;
    seen.add(rel);
    const text = fs.readFileSync(path.join(root, rel), 'utf8');
    for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]/g)) {
      todo.push(path.posix.normalize(path.posix.join(path.posix.dirname(rel), m[1])));
    }
  }
  return [...seen].sort();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const version = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')).version;
  fs.rmSync(out, { recursive: true, force: true });
  const files = reachable(src, 'index.js');
  for (const rel of files) {
    fs.mkdirSync(path.dirname(path.join(out, rel)), { recursive: true });
    fs.copyFileSync(path.join(src, rel), path.join(out, rel));
  }
  fs.copyFileSync(path.join(pkg, 'LICENSE'), path.join(out, 'LICENSE'));
  fs.writeFileSync(path.join(out, 'VERSION'), `yaml ${version}\n`);
  console.log(`vendor/yaml: ${files.length} modules of yaml ${version}`);
}
