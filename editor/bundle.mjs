// The editor as the site serves it: src/main.js and every module it imports (the vendored
// `yaml` among them) and editor.css, minified, in one file, dist/editor.min.js: one request
// instead of ~85 on a phone's slow connection (the style sheet is added to the page by the
// bundle's last statement, before anything of the form is drawn). Run after `npm ci`: `npm run vendor` (which
// vendors `yaml` and then runs this), or `make editor-vendor` from the repository root.
// tests/test_editor_vendor.py rebuilds into a copy and requires the same bytes, so dist/ never
// drifts from src/: after changing src/ or editor.css, run the command again and commit dist/.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, 'dist');
const version = JSON.parse(fs.readFileSync(path.join(here, 'node_modules', 'esbuild', 'package.json'), 'utf8')).version;
const yamlVersion = fs.readFileSync(path.join(here, 'vendor', 'yaml', 'VERSION'), 'utf8').trim();
const banner = `/* Trình soạn báo cáo (editor/src, bundled by esbuild ${version}; rebuild: cd editor && npm ci && npm run vendor). Includes ${yamlVersion}, ISC licence: editor/vendor/yaml/LICENSE. */`;

// Everything fixed that could vary between machines: no absolute paths, no dates, no source maps.
const common = { bundle: true, minify: true, legalComments: 'none', charset: 'utf8', logLevel: 'warning', absWorkingDir: here, write: false };
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
const css = await esbuild.build({ ...common, entryPoints: ['editor.css'], loader: { '.css': 'css' }, target: 'chrome80' });
const style = `document.head.append(Object.assign(document.createElement("style"),{id:"ed-style",textContent:${JSON.stringify(css.outputFiles[0].text)}}));`;
const js = await esbuild.build({ ...common, entryPoints: ['src/main.js'], format: 'esm', target: 'es2020', banner: { js: banner }, footer: { js: style } });
fs.writeFileSync(path.join(out, 'editor.min.js'), js.outputFiles[0].contents);
console.log(`dist/editor.min.js: ${js.outputFiles[0].contents.length} bytes, its style sheet ${css.outputFiles[0].contents.length} (esbuild ${version})`);
