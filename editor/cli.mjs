// `node cli.mjs --campaign CAMPAIGN.yaml --today YYYY-MM-DD FILE...`: check report files with the
// editor's own modules (the very ones the page runs) and print the problems as JSON, in the
// shape of `python -m generator validate --format json`. Used by tests/test_editor_corpus.py.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as YAML from './vendor/yaml/index.js';
import { createValidator, latestToday } from './src/validate.js';
import { dumpReport } from './src/yamlio.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const schemaDir = path.join(here, '..', 'schema');
// `--batch RUNS.json`: many runs in one process, [{campaign, files}], printed as a list.
// `--each LIST.json`: {campaign, files}, each file checked alone (as check_report checks it, no
// cross-file rules), with the file the editor exports from what it read: [{problems, exported}].
// tests/test_differential.py runs thousands of generated files through it in one process.
const args = process.argv.slice(2);
let campaignPath = null;
let today = latestToday();
let batch = null;
let each = null;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--campaign') campaignPath = args[++i];
  else if (args[i] === '--today') today = args[++i];
  else if (args[i] === '--batch') batch = args[++i];
  else if (args[i] === '--each') each = args[++i];
  else files.push(args[i]);
}
const validator = createValidator({
  schema: JSON.parse(fs.readFileSync(path.join(schemaDir, 'report.schema.json'), 'utf8')),
  rules: YAML.parse(fs.readFileSync(path.join(schemaDir, 'rules.yaml'), 'utf8')),
  messages: JSON.parse(fs.readFileSync(path.join(schemaDir, 'messages.json'), 'utf8')),
});
const stem = (f) => { const b = path.basename(f); return b.includes('.') ? b.slice(0, b.lastIndexOf('.')) : b; };

/** The problems of checking `files` together, as the CLI checks one run. */
function run(campaignFile, files) {
  let campaign = null;
  try {
    // An unreadable campaign file is the build's to report; the reports are then checked without it.
    campaign = campaignFile ? YAML.parse(fs.readFileSync(campaignFile, 'utf8'), { uniqueKeys: false }) : null;
  } catch {
    campaign = null;
  }
  const bytes = files.map((f) => new Uint8Array(fs.readFileSync(f)));
  // First pass: every file's unit id, for the one-file-per-unit rule.
  const ids = [];
  bytes.forEach((t, i) => {
    const id = validator.checkBytes(t, { file: files[i], stem: stem(files[i]), campaign, today }).data?.unit?.id;
    if (typeof id === 'string') ids.push(id);
  });
  return files.flatMap((f, i) => validator.checkBytes(bytes[i], { file: f, stem: stem(f), campaign, today, submittedIds: ids }).problems);
}

if (each) {
  const { campaign: campaignFile, files: list } = JSON.parse(fs.readFileSync(each, 'utf8'));
  const campaign = YAML.parse(fs.readFileSync(campaignFile, 'utf8'), { uniqueKeys: false });
  const out = list.map((f) => {
    let r;
    try {
      r = validator.checkBytes(new Uint8Array(fs.readFileSync(f)), { file: f, stem: stem(f), campaign, today });
    } catch (e) {
      return { problems: [{ file: f, line: 0, column: 0, severity: 'error', message: `editor crashed: ${e.stack}`, field: '', path: [], code: 'crash' }], exported: null };
    }
    let exported = null;
    if (r.data && !r.problems.some((p) => p.severity === 'error')) exported = dumpReport(r.data, validator.schema, '../schema/report.schema.json');
    return { problems: r.problems, exported };
  });
  process.stdout.write(JSON.stringify(out) + '\n');
} else if (batch) {
  const runs = JSON.parse(fs.readFileSync(batch, 'utf8'));
  process.stdout.write(JSON.stringify(runs.map((r) => ({ problems: run(r.campaign, r.files) }))) + '\n');
} else {
  process.stdout.write(JSON.stringify({ problems: run(campaignPath, files) }, null, 1) + '\n');
}
