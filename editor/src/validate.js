// One report checked as `python -m generator validate` checks it (generator/validate.py's
// check_report): the loader's problems, then the schema's, then the rules', with the same
// filtering, labels and order.
import { catalogue } from './messages.js';
import { contextFor, deferred, Evaluator } from './rules.js';
import { labelPath, shapeOf } from './schema.js';
import { schemaProblems, MAX_PROBLEMS, uncheckedKeywords } from './check.js';
import { decodeReport, MAX_BYTES, parseReport, pathKey, tooLarge } from './yamlio.js';

/** Everything the checks need, built once from the three data files the site publishes. */
export function createValidator({ schema, rules, messages }) {
  const unchecked = [...uncheckedKeywords(schema)];
  if (unchecked.length) {
    throw new Error(`mẫu báo cáo dùng từ khóa JSON Schema mà trình soạn chưa kiểm tra được: ${unchecked.sort().join(', ')}`);
  }
  const { say, typeName } = catalogue(messages);
  const shape = shapeOf(schema);
  const evaluator = new Evaluator(schema, rules);
  const env = { root: schema, shape, say, typeName };

  const labelled = (problems) => problems.map((p) => (p.path.length && !p.field && p.code !== 'yaml.alias' ? { ...p, field: labelPath(p.path, schema) } : p));

  function ruleProblems(loaded, ctx, rules, file) {
    const out = [];
    for (const rule of rules) {
      for (const v of evaluator.check(rule, ctx)) {
        const [line, column] = loaded.locate(v.path);
        out.push({ file, line, column, severity: v.severity, message: v.message, field: labelPath(v.path, schema), path: v.path, code: rule.id });
      }
    }
    return out;
  }

  // As validate.py's _bounded: at most MAX_PROBLEMS problems a file, but what a report has not
  // filled in yet (the fill-* rules) is always listed whole: it is the unit's to-do list.
  function bounded(problems) {
    const sorted = problems.map((p, i) => [p, i]).sort((a, b) => a[0].line - b[0].line || a[0].column - b[0].column || a[1] - b[1]).map(([p]) => p);
    const dropped = new Set(sorted.filter((p) => !String(p.code).startsWith('fill-')).slice(MAX_PROBLEMS));
    return { problems: sorted.filter((p) => !dropped.has(p)), omitted: dropped.size };
  }

  /**
   * Check report `text` of file `file` (its stem is the unit id it must have) against `campaign`.
   * `submittedIds`: the unit ids of every file checked together (one file per unit), if known.
   */
  /** Check a file's bytes: as `check`, after reading them as UTF-8 as the CLI does. */
  function checkBytes(bytes, options = {}) {
    const large = tooLarge(bytes.length, say, options.file || '');
    if (large) return { data: null, problems: large, omitted: 0 };
    const decoded = decodeReport(bytes, say, options.file || '');
    if (decoded.fatal) return { data: null, problems: decoded.fatal, omitted: 0 };
    return check(decoded.text, options);
  }

  function check(text, { file = '', stem = '', campaign = null, today, submittedIds = null } = {}) {
    // A pasted text is measured as the file it would be (UTF-8), before any parsing.
    const large = text.length > MAX_BYTES / 3 ? tooLarge(new TextEncoder().encode(text).length, say, file) : null;
    if (large) return { data: null, problems: large, omitted: 0 };
    const loaded = parseReport(text, { shape, say, file });
    if (loaded.fatal) return { data: null, ...bounded(labelled(loaded.fatal)) };
    let problems = labelled(loaded.problems);
    const skip = new Set([...problems.filter((p) => p.path.length).map((p) => pathKey(p.path)), ...loaded.covered]);
    const found = schemaProblems(loaded, { ...env, file }, skip);
    problems = problems.concat(found.problems);
    const ctx = contextFor(loaded.data, campaign, stem, today, submittedIds);
    const rejected = new Set(problems.map((p) => pathKey(p.path)));
    const active = evaluator.rules.filter((r) => !deferred(r) || submittedIds !== null);
    const fromRules = ruleProblems(loaded, ctx, active.filter((r) => !deferred(r)), file).filter((p) => !rejected.has(pathKey(p.path)));
    const wrong = new Set(fromRules.filter((p) => p.severity === 'error').map((p) => pathKey(p.path)));
    problems = problems.concat(fromRules.filter((p) => p.severity === 'error' || !wrong.has(pathKey(p.path))));
    if (submittedIds !== null) {
      // Cross-file rules come after the file's own problems, as check_all adds them.
      const rejectedAll = new Set(problems.map((p) => pathKey(p.path)));
      const late = ruleProblems(loaded, ctx, active.filter(deferred), file).filter((p) => !rejectedAll.has(pathKey(p.path)));
      const result = bounded(problems);
      return { data: loaded.data, problems: result.problems.concat(late), omitted: result.omitted + found.more, loaded };
    }
    const result = bounded(problems);
    return { data: loaded.data, problems: result.problems, omitted: result.omitted + found.more, loaded };
  }

  return { check, checkBytes, say, shape, evaluator, schema };
}

/** Today's date where it is latest on Earth (UTC+14), as the CLI's "not in the future" uses. */
export function latestToday(now = Date.now()) {
  return new Date(now + 14 * 3600 * 1000).toISOString().slice(0, 10);
}
