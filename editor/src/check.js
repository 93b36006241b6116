// The JSON Schema check of a report and its Vietnamese messages. Walks the schema the way
// Python's jsonschema (draft 2020-12) reports errors, then words them as generator/validate.py
// does, with the texts of schema/messages.json.
import { PyFloat } from './messages.js';
import { enumOptions, labelPath, noDataTexts, resolve, shapeAt, subschema, typesOf } from './schema.js';
import { convertPlain, pathKey, pyCompare, strip, ValueProblem, WHITESPACE, words } from './yamlio.js';

const WS = `[${WHITESPACE}]`;

export const MAX_PROBLEMS = 100;

// The keywords schemaErrors checks, as jsonschema's draft 2020-12 reads them (generator/schema.py's
// CHECKED_KEYWORDS); annotations nobody checks. A schema with any other keyword is refused by
// createValidator: the editor must never skip a check the CLI makes.
export const KEYWORDS = new Set(['$ref', 'type', 'properties', 'additionalProperties', 'required', 'items', 'anyOf', 'oneOf', 'const',
  'enum', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'pattern', 'format']);
const ANNOTATIONS = new Set(['$schema', '$id', '$comment', 'title', 'description', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly']);
const FORMATS = new Set(['date']);

/** The keywords of `node` and its subschemas this checker would skip or read otherwise. */
export function uncheckedKeywords(node, out = new Set()) {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return out;
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith('x-') || ANNOTATIONS.has(k)) continue;
    if (!KEYWORDS.has(k) && k !== '$defs') out.add(k);
    else if (k === 'format' && !FORMATS.has(v)) out.add(`format: ${v}`);
    else if ((k === 'properties' || k === '$defs') && v && typeof v === 'object') Object.values(v).forEach((sub) => uncheckedKeywords(sub, out));
    else if (k === 'items' || k === 'additionalProperties') {
      if (Array.isArray(v)) out.add(`${k} (list)`);
      else uncheckedKeywords(v, out);
    } else if ((k === 'anyOf' || k === 'oneOf') && Array.isArray(v)) v.forEach((sub) => uncheckedKeywords(sub, out));
  }
  return out;
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isNumber = (v) => typeof v === 'number';

function typeMatches(v, t) {
  switch (t) {
    case 'null': return v === null;
    case 'boolean': return typeof v === 'boolean';
    case 'integer': return isNumber(v) && Number.isInteger(v);
    case 'number': return isNumber(v);
    case 'string': return typeof v === 'string';
    case 'array': return Array.isArray(v);
    case 'object': return isObject(v);
    default: return false;
  }
}

function equal(a, b) {
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && equal(a[k], b[k]));
  }
  return a === b;
}

/** A real calendar date written YYYY-MM-DD (jsonschema's `format: date`; the rules' date
 *  comparisons): the one date check of the editor. */
export function isDate(s) {
  if (typeof s !== 'string') return false;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[mo - 1];
}

const codePoints = (s) => [...s].length;

/** Every error of `instance` against `schema`, in jsonschema's order: {kind, path, instance, value, schema, context}. */
export function* schemaErrors(instance, schema, root, path = []) {
  if (schema === true) return;
  if (schema === false) {
    yield { kind: 'false', path, instance, value: false, schema: {} };
    return;
  }
  for (const [k, v] of Object.entries(schema)) {
    switch (k) {
      case '$ref':
        yield* schemaErrors(instance, resolve({ $ref: v }, root), root, path);
        break;
      case 'type': {
        const types = Array.isArray(v) ? v : [v];
        if (!types.some((t) => typeMatches(instance, t))) yield { kind: 'type', path, instance, value: v, schema };
        break;
      }
      case 'properties':
        if (isObject(instance)) {
          for (const [prop, sub] of Object.entries(v)) {
            if (Object.prototype.hasOwnProperty.call(instance, prop)) yield* schemaErrors(instance[prop], sub, root, [...path, prop]);
          }
        }
        break;
      case 'additionalProperties':
        if (isObject(instance) && v === false) {
          const known = schema.properties || {};
          if (Object.keys(instance).some((key) => !Object.prototype.hasOwnProperty.call(known, key))) {
            yield { kind: 'additionalProperties', path, instance, value: v, schema };
          }
        } else if (isObject(instance) && isObject(v)) {
          const known = schema.properties || {};
          for (const key of Object.keys(instance)) if (!(key in known)) yield* schemaErrors(instance[key], v, root, [...path, key]);
        }
        break;
      case 'required':
        if (isObject(instance)) {
          for (const prop of v) if (!(prop in instance)) yield { kind: 'required', path, instance, value: v, schema };
        }
        break;
      case 'items':
        if (Array.isArray(instance)) {
          for (let i = 0; i < instance.length; i++) yield* schemaErrors(instance[i], v, root, [...path, i]);
        }
        break;
      case 'anyOf':
      case 'oneOf': {
        const context = [];
        let valid = 0;
        for (let i = 0; i < v.length; i++) {
          const errs = [...schemaErrors(instance, v[i], root, path)];
          if (!errs.length) {
            valid += 1;
            if (k === 'anyOf') break;
          } else context.push(...errs.map((e) => ({ ...e, alternative: e.alternative ?? i, branch: i })));
        }
        if (valid === 0 || (k === 'oneOf' && valid > 1)) yield { kind: k, path, instance, value: v, schema, context };
        break;
      }
      case 'const':
        if (!equal(instance, v)) yield { kind: 'const', path, instance, value: v, schema };
        break;
      case 'enum':
        if (!v.some((x) => equal(instance, x))) yield { kind: 'enum', path, instance, value: v, schema };
        break;
      case 'minimum':
        if (isNumber(instance) && instance < v) yield { kind: k, path, instance, value: v, schema };
        break;
      case 'maximum':
        if (isNumber(instance) && instance > v) yield { kind: k, path, instance, value: v, schema };
        break;
      case 'exclusiveMinimum':
        if (isNumber(instance) && instance <= v) yield { kind: k, path, instance, value: v, schema };
        break;
      case 'exclusiveMaximum':
        if (isNumber(instance) && instance >= v) yield { kind: k, path, instance, value: v, schema };
        break;
      case 'maxLength':
        if (typeof instance === 'string' && codePoints(instance) > v) yield { kind: k, path, instance, value: v, schema };
        break;
      case 'minLength':
        if (typeof instance === 'string' && codePoints(instance) < v) yield { kind: k, path, instance, value: v, schema };
        break;
      case 'maxItems':
        if (Array.isArray(instance) && instance.length > v) yield { kind: k, path, instance, value: v, schema };
        break;
      case 'minItems':
        if (Array.isArray(instance) && instance.length < v) yield { kind: k, path, instance, value: v, schema };
        break;
      case 'pattern':
        if (typeof instance === 'string' && !new RegExp(v, 'u').test(instance)) yield { kind: k, path, instance, value: v, schema };
        break;
      case 'format':
        if (v === 'date' && typeof instance === 'string' && !isDate(instance)) yield { kind: k, path, instance, value: v, schema };
        break;
      default:
        break;
    }
  }
}

function jsonType(v) {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'boolean';
  if (isNumber(v)) return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

/** Close matches as Python's difflib.get_close_matches(word, possibilities, n=1, cutoff=0.6). */
function closeMatch(word, possibilities) {
  let best = null;
  let bestScore = 0;
  for (const p of possibilities) {
    const s = ratio(p, word);
    if (s >= 0.6 && (s > bestScore || (s === bestScore && pyCompare(p, best) > 0))) {
      best = p;
      bestScore = s;
    }
  }
  return best;
}

/** difflib.SequenceMatcher(None, a, b).ratio() (no autojunk below 200 characters). */
function ratio(a, b) {
  const x = [...a];
  const y = [...b];
  return x.length + y.length ? (2 * matchingCount(x, y)) / (x.length + y.length) : 1;
}

function matchingCount(a, b) {
  // SequenceMatcher: the longest matching block, then recursively left and right of it.
  const b2j = new Map();
  b.forEach((c, j) => {
    if (!b2j.has(c)) b2j.set(c, []);
    b2j.get(c).push(j);
  });
  function longest(alo, ahi, blo, bhi) {
    let besti = alo, bestj = blo, bestsize = 0;
    let j2len = new Map();
    for (let i = alo; i < ahi; i++) {
      const newj2len = new Map();
      for (const j of b2j.get(a[i]) || []) {
        if (j < blo) continue;
        if (j >= bhi) break;
        const k = (j2len.get(j - 1) || 0) + 1;
        newj2len.set(j, k);
        if (k > bestsize) {
          besti = i - k + 1;
          bestj = j - k + 1;
          bestsize = k;
        }
      }
      j2len = newj2len;
    }
    return [besti, bestj, bestsize];
  }
  let total = 0;
  const queue = [[0, a.length, 0, b.length]];
  while (queue.length) {
    const [alo, ahi, blo, bhi] = queue.pop();
    const [i, j, k] = longest(alo, ahi, blo, bhi);
    if (k) {
      total += k;
      if (alo < i && blo < j) queue.push([alo, i, blo, j]);
      if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
    }
  }
  return total;
}

/**
 * Schema problems of a parsed report, worded as generator/validate.py's _schema_problems.
 * `loaded`: {data, locate, source, floats}; `skip`: path keys the loader reported already.
 */
export function schemaProblems(loaded, { root, shape, say, typeName, file = '' }, skip = new Set()) {
  const out = [];
  const seen = new Set();
  const typed = new Set(skip);
  let more = 0;
  const num = (v, path) => (isNumber(v) && loaded.floats?.has(pathKey(path)) ? new PyFloat(v) : v);

  function found(value, path) {
    if (value === null || value === undefined) return say('found.empty');
    if (typeof value === 'boolean') return say('found.boolean');
    if (isNumber(value)) return say('found.number', { value: num(value, path) });
    if (typeof value === 'string') {
      value = words(value).join(' ');
      const short = codePoints(value) <= 40 ? value : [...value].slice(0, 37).join('') + '…';
      return say('found.text', { text: short });
    }
    if (Array.isArray(value)) return say('found.list');
    return say('found.object');
  }

  function typeMessage(value, expected, source, shapeHere, path) {
    const want = expected.filter((t) => t !== 'null' || expected.length === 1).map(typeName).join(say('or'));
    const [text, quoted] = source || [null, false];
    if (expected.includes('string') && text !== null && !quoted && typeof value !== 'string') {
      if (value === null && text === '') return say('type.empty-text');
      return say('type.quote-text', { text, found: found(value, path) });
    }
    if (expected.includes('integer') || expected.includes('number')) {
      if (typeof value === 'string' && quoted && text !== null && strip(value)) {
        try {
          convertPlain(strip(value), shapeHere, say);
          return say('type.quoted-number', { value: strip(value) });
        } catch (e) {
          if (!(e instanceof ValueProblem)) throw e;
        }
      }
      if (value === null) return say('type.no-number');
      if (typeof value === 'string') {
        if (new RegExp(`^${WS}*[0-9]+,[0-9]+${WS}*%?${WS}*$`, 'u').test(value)) return say('type.decimal-comma', { value, fixed: value.replace(/^[ %]+|[ %]+$/g, '').replace(/,/g, '.') });
        if (new RegExp(`^${WS}*[0-9]+(\\.[0-9]+)?${WS}*%${WS}*$`, 'u').test(value)) return say('type.percent-sign', { value, fixed: value.replace(/^[ %]+|[ %]+$/g, '') });
        if (/^[0-9]{1,3}(,[0-9]{3})+$/.test(strip(value))) return say('type.comma-thousands', { value, fixed: value.replace(/,/g, '') });
        if (!strip(value)) return say('type.empty-string', { want });
        return say('type.text-not-number', { found: found(value, path), want });
      }
    }
    return say('type.other', { found: found(value, path), want });
  }

  const full = () => {
    if (out.length >= MAX_PROBLEMS) {
      more += 1;
      return true;
    }
    return false;
  };

  function add(path, message, code, key = false, fieldPath = null) {
    const pk = pathKey(path);
    const parent = pathKey(path.slice(0, -1));
    if (seen.has(pk + '\u0000' + message) || typed.has(pk) || (skip.has(parent) && code === 'schema.required')) return;
    if (full()) return;
    seen.add(pk + '\u0000' + message);
    if (code === 'schema.type') typed.add(pk);
    const [line, column] = loaded.locate(path, key);
    message = message.split(/\r\n|\r|\n|\u2028|\u2029|\u0085|\u000b|\u000c|\u001c|\u001d|\u001e/).join(' ');
    out.push({ file, line, column, severity: 'error', message, field: labelPath(fieldPath ?? path, root), path, code });
  }

  function matchingAlternative(err) {
    const kind = jsonType(err.instance);
    for (let i = 0; i < err.value.length; i++) {
      const alt = err.value[i];
      const types = alt && typeof alt === 'object' ? typesOf(resolve(alt, root)) : [];
      if (types.includes(kind) || (kind === 'integer' && types.includes('number'))) {
        return err.context.filter((e) => e.branch === i).map(({ branch, ...rest }) => rest);
      }
    }
    return null;
  }

  function handle(err) {
    const path = err.path;
    const node = subschema(path, root) || {};
    const v = err.instance;
    const kind = err.kind;
    if (kind === 'anyOf') {
      const own = matchingAlternative(err);
      if (own !== null) {
        for (const sub of own) handle(sub);
        return;
      }
      const words = [...noDataTexts(node).keys()].map((t) => say('quoted', { text: t })).join(say('or'));
      if (!typesOf(node).some((t) => t !== 'null') && noDataTexts(node).size) {
        // Only words fit (a choice that may stay empty): the choice message, not a type.
        const choices = [...noDataTexts(node)].map(([value, label]) => say('choice.option', { value, label })).join(', ');
        add(path, say('choice', { found: found(v, path), choices }), 'schema.choice');
        return;
      }
      let message = typeMessage(v, typesOf(node).filter((t) => t !== 'null'), loaded.source(path), shapeAt(shape, path), path);
      if (typeof v === 'string' && words) message += say('type.no-data-words', { words });
      add(path, message, 'schema.type');
      return;
    }
    if (kind === 'required') {
      const allowed = Object.keys(node.properties || {});
      const unknown = isObject(v) ? Object.keys(v).filter((k) => !allowed.includes(k)).slice(0, 200) : [];
      const suggested = new Set(unknown.map((k) => closeMatch(k, allowed.filter((a) => !(a in v)))));
      for (const key of err.value) {
        if (isObject(v) && !(key in v) && !suggested.has(key)) {
          const sub = subschema([...path, key], root) || {};
          add([...path, key], say('required', { title: sub.title ?? key, key }), 'schema.required', true, path);
        }
      }
    } else if (kind === 'additionalProperties') {
      const allowed = Object.keys(node.properties || {});
      for (const key of isObject(v) ? Object.keys(v) : []) {
        if (!allowed.includes(key)) {
          if (full()) continue;
          const close = closeMatch(key, allowed.filter((a) => !(a in v)));
          const hint = close ? say('unknown-key.suggest', { close }) : say('unknown-key.remove');
          add([...path, key], say('unknown-key', { key, hint }), 'schema.unknown-key', true);
        }
      }
    } else if (kind === 'type') {
      if (typed.has(pathKey(path))) return;
      const expected = typesOf(node).length ? typesOf(node) : typesOf(err.schema);
      add(path, typeMessage(v, expected, loaded.source(path), shapeAt(shape, path), path), 'schema.type');
    } else if (['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'].includes(kind)) {
      const value = num(v, path);
      if (node['x-unit'] === '%') add(path, say('range.percent', { value }), 'schema.range');
      else if (kind === 'minimum' && err.value === 0) add(path, say('range.negative', { value }), 'schema.range');
      else if (kind.endsWith('inimum')) add(path, say('range.min', { limit: err.value, value }), 'schema.range');
      else add(path, say('range.max', { limit: err.value, value }), 'schema.range');
    } else if ((kind === 'format' || kind === 'pattern') && node.format === 'date') {
      add(path, say('date', { value: v }), 'schema.date');
    } else if (kind === 'pattern') {
      const how = node.description || '';
      add(path, say('pattern', { value: v }) + (how ? say('pattern.how', { how }) : ''), 'schema.pattern');
    } else if (['oneOf', 'enum', 'const'].includes(kind) && enumOptions(node)) {
      const choices = enumOptions(node).map(([value, label]) => say('choice.option', { value, label })).join(', ');
      add(path, say('choice', { found: found(v, path), choices }), 'schema.choice');
    } else if (kind === 'maxLength') {
      add(path, say('length.max', { length: codePoints(v), limit: err.value }), 'schema.length');
    } else if (kind === 'minLength') {
      add(path, say('length.min', { limit: err.value }), 'schema.length');
    } else if (kind === 'maxItems') {
      add(path, say('items.max', { length: v.length, limit: err.value }), 'schema.items');
    } else if (kind === 'minItems') {
      add(path, say('items.min', { limit: err.value, length: v.length }), 'schema.items');
    } else {
      const how = node.description || '';
      add(path, say('invalid', { found: found(v, path) }) + (how ? say('invalid.how', { how }) : ''), `schema.${kind}`);
    }
  }

  for (const err of schemaErrors(loaded.data, root, root)) {
    if (out.length >= MAX_PROBLEMS) {
      more += 1;
      continue;
    }
    handle(err);
  }
  return { problems: out, more };
}

