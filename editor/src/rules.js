// The cross-field rules of schema/rules.yaml, evaluated in the browser. A port of the evaluator
// in generator/rules.py: the rules themselves are data and are not re-coded here.
import { isDate } from './check.js';
import { pyStr } from './messages.js';
import { isMultiline, typesOf, walk } from './schema.js';
import { strip } from './yamlio.js';

const OPS = new Set(['==', '!=', '<', '<=', '>', '>=', 'in', 'unique', 'once_in', 'one_each', 'filled']);
const SEVERITIES = ['error', 'warning'];
const TERM = /[A-Za-z_$][\w$]*(?:\[\*\]|\.\*|\.[A-Za-z_]\w*)*/g;
export const FIELD_KINDS = ['figures', 'numbers', 'narratives', 'texts'];

/** The rules of one section of the parsed rules.yaml ("rules" or "campaign_rules"). */
export function loadRules(doc, section = 'rules') {
  return (doc[section] || []).map((r, i) => {
    const sev = r.severity;
    const byStatus = sev && typeof sev === 'object' ? sev : {};
    if (!OPS.has(r.operator) || !(SEVERITIES.includes(sev) || (Object.keys(byStatus).length && Object.values(byStatus).every((v) => SEVERITIES.includes(v))))) {
      throw new Error(`rules.yaml: rule ${i + 1} (${r.id}): bad operator or severity`);
    }
    const fe = r.for_each ?? [];
    const key = r.key ?? [];
    const rule = {
      id: String(r.id),
      left: String(r.left),
      operator: String(r.operator),
      right: r.right === null || r.right === undefined ? null : String(r.right),
      severity: Object.keys(byStatus).length ? (Object.values(byStatus).includes('warning') ? 'warning' : 'error') : String(sev),
      message: String(r.message),
      forEach: typeof fe === 'string' ? [fe] : [...fe],
      at: r.at ?? null,
      byStatus,
      when: Object.entries(r.when || {}),
      key: typeof key === 'string' ? [key] : [...key],
    };
    const text = [rule.left, rule.right || '', ...rule.forEach].filter(Boolean).join(' ');
    rule.names = new Set([...text.matchAll(TERM)].map((m) => m[0].split('.')[0].split('[')[0]));
    return rule;
  });
}

const severityFor = (rule, ctx) => rule.byStatus[pyStr(ctx.status)] ?? rule.severity;

/** Rules about all files at once (one file per unit) run after every file is read. */
export const deferred = (rule) => rule.names.has('submitted_ids');

/** Schema paths of the fields a unit fills in, by kind, each with the "no data" texts it accepts. */
export function fieldPatterns(root) {
  const out = Object.fromEntries(FIELD_KINDS.map((k) => [k, []]));
  for (const [path, node] of walk(root)) {
    const types = typesOf(node);
    if (!path.length || 'properties' in node || types.includes('array') || node['x-optional']) continue;
    const noData = new Set((node['x-no-data'] || []).map(([t]) => t));
    if (types.includes('integer') || types.includes('number')) {
      if (types.includes('null')) out[noData.size ? 'figures' : 'numbers'].push([path, noData]);
    } else if (isMultiline(node)) out.narratives.push([path, noData]);
    else if (types.includes('string')) out.texts.push([path, noData]);
  }
  return out;
}

function noDataParents(root) {
  const out = new Map();
  for (const [path, node] of walk(root)) {
    if ('properties' in node && (node['x-no-data'] || []).length) out.set(JSON.stringify(path), new Set(node['x-no-data'].map(([t]) => t)));
  }
  return out;
}

export function filled(value) {
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return Boolean(strip(value));
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

function splitPath(text) {
  const out = [];
  for (const part of text.split('.')) {
    const i = part.indexOf('[*]');
    const name = i >= 0 ? part.slice(0, i) : part;
    if (name) out.push(name);
    if (i >= 0) out.push('[*]');
  }
  return out;
}

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);

export class Evaluator {
  constructor(root, rulesDoc) {
    this.root = root;
    this.rules = loadRules(rulesDoc);
    this.patterns = fieldPatterns(root);
    this.groups = noDataParents(root);
  }

  fields(kind, ctx) {
    const found = [];
    for (const [pattern] of this.patterns[kind] || []) {
      let level = [[[], [], ctx]];
      for (const key of pattern) {
        const nxt = [];
        for (const [spath, rpath, value] of level) {
          if (typeof value === 'string' && this.groups.get(JSON.stringify(spath))?.has(value)) continue;
          if (typeof key === 'number') {
            if (Array.isArray(value)) value.forEach((v, i) => nxt.push([[...spath, 0], [...rpath, i], v]));
          } else if (isObj(value) && has(value, key)) nxt.push([[...spath, key], [...rpath, key], value[key]]);
        }
        level = nxt;
      }
      for (const [, rpath, value] of level) found.push([rpath, value]);
    }
    return found;
  }

  resolve(path, ctx, bound) {
    const parts = splitPath(path);
    if (parts.length === 2 && parts[0] === 'fields' && FIELD_KINDS.includes(parts[1])) return this.fields(parts[1], ctx);
    let found;
    let rest = parts;
    if (parts.length && parts[0] === '$') {
      if (!bound) return [];
      found = [bound];
      rest = parts.slice(1);
    } else found = [[[], ctx]];
    for (const part of rest) {
      const nxt = [];
      for (const [where, value] of found) {
        if (part === '*' || part === '[*]') {
          if (isObj(value) && part === '*') for (const [k, v] of Object.entries(value)) nxt.push([[...where, k], v]);
          else if (Array.isArray(value)) value.forEach((v, i) => nxt.push([[...where, i], v]));
        } else if (isObj(value) && has(value, part)) nxt.push([[...where, part], value[part]]);
      }
      found = nxt;
    }
    return found;
  }

  term(tok, ctx, bound) {
    if (/^\d+(\.\d+)?$/.test(tok)) return [Number(tok), []];
    const found = this.resolve(tok, ctx, bound);
    if (tok.replace(/\$/g, '').includes('*')) {
      const base = tok.split('*')[0].replace(/[.[]+$/, '');
      if (base && !this.resolve(base, ctx, bound).length) return [null, []];
      return [found.map(([, v]) => v), found.map(([p]) => p)];
    }
    if (!found.length) return [null, []];
    return [found[0][1], [found[0][0]]];
  }

  evaluate(expr, ctx, bound) {
    const tokens = expr.split(/\s+/).filter(Boolean);
    if (tokens.length === 1) return this.term(tokens[0], ctx, bound);
    let total = 0;
    let sign = 1;
    const paths = [];
    for (const tok of tokens) {
      if (tok === '+' || tok === '-') {
        sign = tok === '+' ? 1 : -1;
        continue;
      }
      const [value, p] = this.term(tok, ctx, bound);
      paths.push(...p);
      if (!isNumber(value)) return [null, paths];
      total += sign * value;
    }
    return [total, paths];
  }

  /** Every violation of `rule` in `ctx`: {rule, path, message, severity}. */
  *check(rule, ctx) {
    const severity = severityFor(rule, ctx);
    let bindings = [null];
    if (rule.forEach.length) bindings = rule.forEach.flatMap((fe) => this.resolve(fe, ctx, null));
    for (const bound of bindings) {
      if (rule.when.length && !rule.when.every(([path, want]) => pyEqual(this.term(path, ctx, bound)[0], want))) continue;
      if (rule.operator === 'filled') {
        let value;
        let paths;
        if (rule.left === '$' && bound) [value, paths] = [bound[1], [bound[0]]];
        else [value, paths] = this.term(rule.left, ctx, bound);
        const at = paths.length ? paths[0] : bound ? bound[0] : [];
        if (!filled(value)) yield { rule, path: at, message: message(rule, value, null, null), severity };
        continue;
      }
      if (rule.operator === 'unique' && rule.key.length) {
        yield* this.uniqueRows(rule, ctx, bound, severity);
        continue;
      }
      const [left, lpaths] = this.evaluate(rule.left, ctx, bound);
      const [right] = rule.right ? this.evaluate(rule.right, ctx, bound) : [null, []];
      let at = lpaths.length ? lpaths[0] : bound ? bound[0] : [];
      if (rule.at) {
        const atFound = this.resolve(rule.at, ctx, bound);
        if (atFound.length) at = atFound[0][0];
      }
      let item = null;
      let holds;
      if (rule.operator === 'unique') {
        if (!Array.isArray(left)) continue;
        const seen = new Set();
        for (let i = 0; i < left.length; i++) {
          const v = left[i];
          if (v !== null && typeof v === 'object') continue;
          const k = hashKey(same(v));
          if (seen.has(k)) yield { rule, path: lpaths[i], message: message(rule, left, right, v), severity };
          seen.add(k);
        }
        continue;
      }
      if (rule.operator === 'in') {
        holds = left === null || !Array.isArray(right) ? null : left !== null && typeof left !== 'object' && right.map((r) => (r !== null && typeof r === 'object' ? undefined : hashKey(same(r)))).includes(hashKey(same(left)));
      } else if (rule.operator === 'once_in') {
        holds = left === null || !Array.isArray(right) ? null : right.filter((r) => pyEqual(same(r), same(left))).length === 1;
      } else if (rule.operator === 'one_each') {
        if (!Array.isArray(left) || !Array.isArray(right)) continue;
        if (!left.every(isNumber)) continue;
        item = oneEachProblems(left, right);
        holds = !item;
      } else holds = compare(rule.operator, left, right);
      if (holds === false) yield { rule, path: at, message: message(rule, left, right, item), severity };
    }
  }

  *uniqueRows(rule, ctx, bound, severity) {
    const rows = this.resolve(rule.left, ctx, bound);
    const seen = new Set();
    for (const [path, row] of rows) {
      if (!isObj(row)) continue;
      const values = rule.key.map((k) => (has(row, k) ? row[k] : null));
      if (!filled(values[0]) || values.some((v) => v !== null && typeof v === 'object')) continue;
      const norm = JSON.stringify(values.map((v) => hashKey(same(v))));
      if (seen.has(norm)) {
        const shown = `“${fmt(values[0])}”`;
        const itemText = values.length === 1 ? shown : `${shown} (${values.slice(1).map(fmt).join(', ')})`;
        yield { rule, path: [...path, rule.key[0]], message: message(rule, null, null, itemText), severity };
      }
      seen.add(norm);
    }
  }
}

const isNumber = (v) => typeof v === 'number';

/** Text compared as NFC without surrounding spaces ("05-KH/ĐTN" written two ways is one number). */
const same = (v) => (typeof v === 'string' ? strip(v.normalize('NFC')) : v);

// Python's set and == treat 1, 1.0 and True alike; keys for JS Sets that do the same.
function hashKey(v) {
  if (v === true) return 'n:1';
  if (v === false) return 'n:0';
  if (isNumber(v)) return `n:${v}`;
  if (v === null || v === undefined) return 'null';
  return `s:${v}`;
}

function pyEqual(a, b) {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return hashKey(a) === hashKey(b);
}

function kindOf(v) {
  if (typeof v === 'boolean') return 'bool';
  if (isNumber(v)) return Number.isInteger(v) ? 'int' : 'float';
  if (Array.isArray(v)) return 'list';
  return typeof v;
}

function compare(op, a, b) {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  if (op === '==' || op === '!=') {
    if (isNumber(a) && isNumber(b)) return (a === b) === (op === '==');
    if (kindOf(a) !== kindOf(b)) return null;
    return pyEqual(same(a), same(b)) === (op === '==');
  }
  if (!((isNumber(a) && isNumber(b)) || (isDate(a) && isDate(b)))) return null;
  switch (op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    default: return a >= b;
  }
}

function fmt(v) {
  if (Array.isArray(v)) return v.map(fmt).join(', ');
  return pyStr(v);
}

function pySortByStr(values) {
  return [...values].sort((x, y) => {
    const a = fmt(x);
    const b = fmt(y);
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

function oneEachProblems(values, expected) {
  const notes = [];
  const counts = new Map();
  for (const v of values) counts.set(hashKey(v), { v, n: (counts.get(hashKey(v))?.n || 0) + 1 });
  const wanted = new Set(expected.map(hashKey));
  const missing = expected.filter((y) => !counts.has(hashKey(y)));
  const repeated = pySortByStr([...counts.values()].filter(({ v, n }) => n > 1 && v !== null).map(({ v }) => v));
  const extra = values.filter((v) => !wanted.has(hashKey(v)) && v !== null);
  if (missing.length) notes.push(`còn thiếu năm ${fmt(missing)}`);
  if (repeated.length) notes.push(`năm ${fmt(repeated)} bị ghi nhiều lần`);
  if (extra.length) notes.push(`năm ${fmt(extra)} nằm ngoài giai đoạn`);
  return notes.join('; ');
}

function message(rule, left, right, item) {
  const values = { left: fmt(left), right: fmt(right), item: fmt(item) };
  return rule.message.replace(/\{(left|right|item)\}/g, (_, k) => values[k]);
}

/** What rule expressions can read: the report, plus campaign facts and the file's name. */
export function contextFor(report, campaign, stem, today, submittedIds = null) {
  campaign = campaign || {};
  const period = isObj(campaign.period) ? campaign.period : {};
  const { start, end } = period;
  let years = null;
  if (Number.isInteger(start) && Number.isInteger(end) && start <= end) {
    years = [];
    for (let y = start; y <= end; y++) years.push(y);
  }
  const units = Array.isArray(campaign.units) ? campaign.units : null;
  let ids = null;
  let rosterUnit = null;
  const unit = report.unit;
  const uid = isObj(unit) ? unit.id : undefined;
  if (units) {
    const entries = units.filter(isObj);
    ids = entries.map((u) => (has(u, 'id') ? u.id : null));
    if (typeof uid === 'string') rosterUnit = entries.find((u) => typeof same(u.id) !== 'object' && same(u.id) === same(uid)) || null;
  }
  return {
    ...report,
    campaign, file: { stem }, today,
    period_years: years, roster_ids: ids, submitted_ids: submittedIds, roster_unit: rosterUnit,
  };
}
