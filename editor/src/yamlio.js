// Reading and writing a report as YAML. Reading follows generator/load.py: every plain scalar is
// text until the schema's shape says what its field holds (convertPlain, the same rules and
// words as the CLI); keys written twice and anchors are refused. Writing gives the file a
// careful person writes by hand: keys in schema order, Vietnamese as is, long text as `|` blocks.
import * as YAML from '../vendor/yaml/index.js';
import { Flows, firstMistake, flowTooDeep } from './syntax.js';
import { child, isMultiline, typesOf, view } from './schema.js';

const NULL_WORDS = new Set(['~', 'null', 'Null', 'NULL']);
const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE']);
const PLAIN_INT = /^(?:0|-?[1-9][0-9]*)$/;
const ANY_INT = /^(-?)([0-9]+)$/;
const DECIMAL = /^(-?)([0-9]+)([.,])([0-9]+)$/;
const GROUPED = /^(-?)([1-9][0-9]{0,2}(?:([., ])[0-9]{3})(?:\3[0-9]{3})*)(?:([.,])([0-9]+))?$/;
const PERCENT = /^(.*?)\s*%$/s;
const NUMBERISH = /^-?[0-9][0-9., ]*$/;
const NOT_A_NUMERAL = /^[-+]?(?:\.?(?:inf|nan)|[0-9][0-9_]*(?:[.,][0-9_]*)?(?:[eE][-+]?[0-9]+)|0[xXoObB][0-9a-fA-F_]+|[0-9_]+(?::[0-9]{1,2})+(?:[.,][0-9]*)?|[0-9][0-9_]*_[0-9_]*(?:[.,][0-9_]*)?|\+[0-9.,]+)$/i;
const COMMENT_AFTER = /^[ \t]+#/;

export class ValueProblem extends Error {}

const MAX_PROBLEMS = 100;
// As generator/load.py: characters YAML does not allow, and invisible format characters.
const UNPRINTABLE = /[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;
const INVISIBLE = /[\u0085\u00ad\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/gu;
const INVISIBLE_ASTRAL = /[\u{110bd}\u{1bca0}-\u{1bca3}\u{1d173}-\u{1d17a}\u{e0001}\u{e0020}-\u{e007f}]/gu;
// Decoded keys and values (after escapes such as "\u202E" are read): controls but Tab and
// newline, noncharacters and lone surrogates, besides the invisible characters above.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/u;
const NONCHAR = /[\ufdd0-\ufdef\ufffe\uffff\u{1fffe}\u{1ffff}\u{2fffe}\u{2ffff}\u{3fffe}\u{3ffff}\u{4fffe}\u{4ffff}\u{5fffe}\u{5ffff}\u{6fffe}\u{6ffff}\u{7fffe}\u{7ffff}\u{8fffe}\u{8ffff}\u{9fffe}\u{9ffff}\u{afffe}\u{affff}\u{bfffe}\u{bffff}\u{cfffe}\u{cffff}\u{dfffe}\u{dffff}\u{efffe}\u{effff}\u{ffffe}\u{fffff}\u{10fffe}\u{10ffff}]/u;
const SURROGATE = /[\ud800-\udfff]/u;
// A UTF-16 half written as an escape in a double-quoted text ("\uD83D\uDE00"): libyaml refuses
// every such escape, even two that make a pair, where the `yaml` package joins the pair into one
// character; the stricter verdict wins (an escaped backslash before `u` is no escape).
const SURROGATE_ESCAPE = /(?<!\\)(?:\\\\)*\\(?:u|U0000)[dD][89a-fA-F][0-9a-fA-F]{2}/;
const INVISIBLE_ONE = new RegExp(`${INVISIBLE.source.slice(0, -1)}${INVISIBLE_ASTRAL.source.slice(1)}`, 'u');
const BAD_VALUE = new RegExp(`[${CONTROL.source.slice(1, -1)}${NONCHAR.source.slice(1, -1)}${INVISIBLE_ONE.source.slice(1, -1)}\\ud800-\\udfff]`, 'u');
export const MAX_BYTES = 1_000_000; // as generator/load.py: a full report is ~20 kB
const MAX_DEPTH = 20; // as generator/load.py: the deepest field of a report is 5 levels down
const thousands = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
const hex = (ch) => ch.codePointAt(0).toString(16).toUpperCase().padStart(4, '0');

/** 1-based line and column (in characters, as Python counts) of UTF-16 offset `index`. */
function lineCol(text, index) {
  const start = text.lastIndexOf('\n', index - 1) + 1;
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line += 1;
  return [line, [...text.slice(start, index)].length + 1];
}

/** Where anchor `&name` is written, searching back from its node (the anchor comes before it). */
function anchorAt(text, nodeStart, name) {
  const i = text.lastIndexOf('&' + name, nodeStart);
  return lineCol(text, i >= 0 ? i : nodeStart);
}

export const nfc = (s) => s.normalize('NFC');

// What "empty" and "surrounding spaces" mean, on both sides (schema/FORMAT.md; generator/load.py's
// WHITESPACE): Unicode's White_Space characters. Not U+001C–U+001F nor U+FEFF (Python's strip()
// takes the first, JavaScript's trim() the second): those are refused as control or invisible.
export const WHITESPACE = '\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000';
const EDGES = new RegExp(`^[${WHITESPACE}]+|[${WHITESPACE}]+$`, 'gu');
const RUNS = new RegExp(`[${WHITESPACE}]+`, 'u');
/** `s` without the whitespace around it (Python: strip_space). */
export const strip = (s) => s.replace(EDGES, '');
/** The words of `s`, split at runs of whitespace (Python: str.split() with our whitespace). */
export const words = (s) => s.split(RUNS).filter(Boolean);

function shortQuote(text) {
  text = words(text).join(' ');
  return [...text].length <= 40 ? text : [...text].slice(0, 37).join('') + '…';
}

function decimalText(whole, frac, mark = ',') {
  if (frac.length !== 3 || whole[0] === '0' || whole.length > 3) return `${whole}${mark}${frac}`;
  const short = frac.replace(/0+$/, '');
  if (!short) return whole;
  return `${whole}${mark}${short}` + (short.length === 3 ? '0' : '');
}

const bigStr = (digits) => BigInt(digits).toString();

/** The number a plain text means in an integer or decimal field, or throw ValueProblem. */
// An integer part longer than this is refused on the text, before a double would round it
// (9007199254740993 reads as …992 in JavaScript): no report figure comes near 10^15.
export const MAX_DIGITS = 15;

export function numberValue(text, integer, say) {
  const digits = /^-?0*([0-9]+)(?:[.,][0-9]+)?$/.exec(text);
  if (digits && digits[1].length > MAX_DIGITS) throw new ValueProblem(say('number.too-long', { text: shortQuote(text), limit: MAX_DIGITS }));
  if (PLAIN_INT.test(text)) return { value: Number(text), float: false };
  const want = integer ? say('number.want-integer') : say('number.want-number');
  let m;
  if ((m = ANY_INT.exec(text))) {
    const n = bigStr(text);
    if (n === '0' && m[2] === '0') throw new ValueProblem(say('number.zero', { text }));
    throw new ValueProblem(say('number.leading-zero', { text, fixed: n }));
  }
  if ((m = DECIMAL.exec(text))) {
    const [, sign, whole, mark, frac] = m;
    const wholeFixed = bigStr(whole);
    const thousands = frac.length === 3 && whole[0] !== '0' && whole.length <= 3;
    if (integer) {
      if (thousands) throw new ValueProblem(say('number.thousands-mark', { text, mark, fixed: `${sign}${whole}${frac}` }));
      if (!frac.replace(/0/g, '')) throw new ValueProblem(say('number.whole', { want, fixed: `${sign}${wholeFixed}` }));
      throw new ValueProblem(say('number.no-fraction', { want, text }));
    }
    if (thousands) {
      throw new ValueProblem(say('number.both-ways', {
        text, whole: `${sign}${whole}${frac}`, as_decimal: `${sign}${whole},${frac}`, decimal: sign + decimalText(whole, frac),
      }));
    }
    if (whole !== wholeFixed) throw new ValueProblem(say('number.leading-zero', { text, fixed: `${sign}${decimalText(wholeFixed, frac, mark)}` }));
    return { value: Number(`${sign}${whole}.${frac}`), float: true };
  }
  if ((m = GROUPED.exec(text))) {
    const [, sign, grouped, mark, decMark, frac] = m;
    if (!(decMark !== undefined && (decMark === mark || integer))) {
      const digits = sign + grouped.split(mark).join('');
      const fixed = digits + (frac ? `,${frac}` : '');
      const how = mark === ' ' ? say('number.grouped-space') : say('number.grouped-mark', { mark });
      throw new ValueProblem(say('number.grouped', { text, how, fixed }));
    }
  }
  if ((m = PERCENT.exec(text))) {
    const inner = m[1];
    if (inner && NUMBERISH.test(inner)) {
      try {
        numberValue(inner, integer, say);
      } catch (e) {
        if (e instanceof ValueProblem) throw new ValueProblem(say('number.percent-inner', { message: e.message }));
        throw e;
      }
      throw new ValueProblem(say('number.percent', { fixed: inner }));
    }
  }
  if (NOT_A_NUMERAL.test(text)) {
    throw new ValueProblem(say('number.not-a-numeral', { text, want }) + (integer ? '' : say('number.not-a-numeral-decimal')));
  }
  throw new ValueProblem(say('number.text', { text: shortQuote(text), want }));
}

function choices(shape, say) {
  return [...shape.consts].sort(pyCompare).map((c) => say('quoted', { text: c })).join(', ');
}

/** Python's string order (by code point). */
export function pyCompare(a, b) {
  const x = [...a].map((c) => c.codePointAt(0));
  const y = [...b].map((c) => c.codePointAt(0));
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/** load.py's advice for one of libyaml's errors (schema/messages.json, syntax_hints). */
function hint(say, needle) {
  return say.hints.find(([n]) => n === needle)?.[1] ?? '';
}

const BLOCK_KEY = /^(\s*)(?:-\s+)?([^\s#][^:]*):\s+[|>][-+0-9]*\s*(?:#.*)?$/;

/** A syntax error said as load.py says it: what the scan of the lines finds (syntax.js, the same
 *  scan as generator/syntax.py); failing that, the ones load.py recognises the same way (a Tab,
 *  a quote left open, a paragraph under `|` not indented), or the generic advice at the parser's place. */
function syntaxProblem(e, text, say, problem) {
  const found = firstMistake(text, say); // the mistake said as the CLI says it (syntax.js)
  if (found !== null) return problem(...found);
  const offset = e.pos[0];
  const [line, column] = lineCol(text, offset);
  if (e.code === 'TAB_AS_INDENT' || text[offset] === '\t') return problem(line, column, say('yaml.syntax-tab'), 'yaml.syntax');
  if (e.code === 'MISSING_CHAR' && text[offset] === '#' && /^Comments must be separated/.test(e.message)) return problem(line, column, say('yaml.comment-space'), 'yaml.syntax');
  const quote = e.code === 'MISSING_CHAR' ? /Missing closing (["'])quote/.exec(e.message)?.[1] : null;
  if (quote) {
    let i = text.lastIndexOf(quote, offset - 1);
    while (i > 0 && (quote === '"' ? text[i - 1] === '\\' : text[i - 1] === "'")) i = text.lastIndexOf(quote, i - 2);
    if (i >= 0) {
      const [qLine, qCol] = lineCol(text, i);
      const which = quote === '"' ? say('yaml.quote-double') : say('yaml.quote-single');
      return problem(qLine, qCol, say('yaml.syntax-open-quote', { which, quote, line: qLine }), 'yaml.syntax');
    }
  }
  const lines = text.split('\n');
  const here = line - 1;
  const content = (i, step) => {
    while (i >= 0 && i < lines.length && (!lines[i].trim() || lines[i].trim().startsWith('#'))) i += step;
    return i >= 0 && i < lines.length ? i : null;
  };
  const prev = content(here - 1, -1);
  const block = prev !== null ? BLOCK_KEY.exec(lines[prev]) : null;
  const indent = (l) => l.length - l.replace(/^ +/, '').length;
  if (block && here < lines.length && indent(lines[here]) <= block[1].length) {
    return problem(line, indent(lines[here]) + 1, say('yaml.syntax-block-indent', { key: block[2].trim(), line: prev + 1 }), 'yaml.syntax');
  }
  const flow = /^Flow (map|sequence) in block collection/.exec(e.message);
  if (flow) {
    // A `{` or `[` left open: libyaml stops at the next line's colon and says where it was opened.
    const open = flow[1] === 'map' ? '{' : '[';
    const opened = lineCol(text, Math.max(0, text.lastIndexOf(open, offset)))[0];
    const colon = (lines[here] || '').indexOf(':');
    const needle = open === '{' ? "did not find expected ',' or '}'" : "did not find expected ',' or ']'";
    const where = opened !== line ? say('yaml.syntax-opened', { line: opened }) : '';
    return problem(line, colon >= 0 ? colon + 1 : column, say('yaml.syntax-hint', { hint: hint(say, needle), where }), 'yaml.syntax');
  }
  if (e.code === 'BLOCK_AS_IMPLICIT_KEY' || e.code === 'MULTILINE_IMPLICIT_KEY') {
    // `key: text: more` — a second ": " in a plain value (libyaml: "mapping values are not allowed").
    const m = /^(\s*(?:-\s+)?[^\s#"'][^:]*:\s+)([^"'#\s][^#]*?)(: |:$)/.exec(lines[here] || '');
    if (m && column - 1 <= m[1].length) {
      return problem(line, m[1].length + m[2].length + 1, say('yaml.syntax-hint', { hint: hint(say, 'mapping values are not allowed'), where: '' }), 'yaml.syntax');
    }
    // A line indented differently from the one before it at the same level.
    const next = content(here + 1, 1);
    if (next !== null && indent(lines[next]) !== indent(lines[here]) && !lines[here].trimEnd().endsWith(':')) {
      return problem(next + 1, indent(lines[next]) + 1, say('yaml.syntax-indent', { here: indent(lines[next]), line: here + 1, there: indent(lines[here]) }), 'yaml.syntax');
    }
  }
  // As load.py: a line indented differently from the content line above it, which does not open a block.
  const above = content(here - 1, -1);
  if (above !== null && here < lines.length && lines[here].trim() && indent(lines[above]) !== indent(lines[here]) && !lines[above].trimEnd().endsWith(':')) {
    return problem(line, indent(lines[here]) + 1, say('yaml.syntax-indent', { here: indent(lines[here]), line: above + 1, there: indent(lines[above]) }), 'yaml.syntax');
  }
  return problem(line, column, say('yaml.syntax-other'), 'yaml.syntax');
}

/** The value of plain text in a field of `shape` ({value, float}), or throw ValueProblem. */
export function convertPlain(text, shape, say) {
  if (!shape) return { value: text ? text : null, float: false };
  if (shape.consts.has(text)) return { value: text, float: false };
  const types = shape.types;
  if (!text || (NULL_WORDS.has(text) && !(types.has('string') && !types.has('null')))) return { value: null, float: false };
  const number = types.has('number');
  const integer = types.has('integer');
  if (number || integer) {
    try {
      return numberValue(text, integer && !number, say);
    } catch (e) {
      if (e instanceof ValueProblem && shape.consts.size) {
        throw new ValueProblem(say('number.or-choices', { message: e.message, choices: choices(shape, say) }));
      }
      throw e;
    }
  }
  if (types.has('boolean')) {
    if (TRUE.has(text)) return { value: true, float: false };
    if (FALSE.has(text)) return { value: false, float: false };
    if (!types.has('string')) throw new ValueProblem(say('boolean.only', { text: shortQuote(text) }));
  }
  return { value: text, float: false };
}

export const pathKey = (path) => JSON.stringify(path);

/** The text of a file's bytes, or the loader's problem: not UTF-8, or binary (as load.py's read_text). */
export function decodeReport(bytes, say, file = '') {
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  const body = bytes.subarray(start);
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    const nul = text.indexOf('\u0000');
    if (nul >= 0) {
      const line = text.slice(0, nul).split('\n').length;
      return { fatal: [{ file, line, column: 1, severity: 'error', message: say('file.binary'), field: '', path: [], code: 'file.binary' }] };
    }
    return { text };
  } catch {
    // Where the first bad byte is: the longest prefix that decodes.
    let lo = 0, hi = body.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(body.subarray(0, mid));
        lo = mid;
      } catch {
        hi = mid - 1;
      }
    }
    let bad = lo;
    // A prefix may end inside a valid multi-byte character: step back to a character start.
    while (bad > 0 && (body[bad] & 0xc0) === 0x80) bad -= 1;
    const before = body.subarray(0, bad);
    const line = before.filter((b) => b === 0x0a).length + 1;
    const col = bad - (before.lastIndexOf(0x0a) + 1) + 1;
    return { fatal: [{ file, line, column: col, severity: 'error', message: say('file.encoding'), field: '', path: [], code: 'file.encoding' }] };
  }
}

/** A file too large for a report (over MAX_BYTES bytes of UTF-8), as load.py's read_text says it. */
export function tooLarge(size, say, file = '') {
  if (size <= MAX_BYTES) return null;
  return [{ file, line: 1, column: 1, severity: 'error', message: say('file.too-large', { size: thousands(size), limit: thousands(MAX_BYTES) }), field: '', path: [], code: 'file.too-large' }];
}

/** The accepted language (schema/FORMAT.md), checked on the text before parsing, as
 *  generator/load.py's _language_problems: a lone CR, a directive, a Tab in a line's indentation,
 *  NEL/LS/PS. [[offset, code, message]] in the order of the text. */
function languageProblems(text, say) {
  const out = [];
  const cr = /\r(?!\n)/.exec(text);
  if (cr) out.push([cr.index, 'file.line-ending', say('file.line-ending')]);
  for (const m of text.matchAll(/(^|\n)%/g)) out.push([m.index + m[1].length, 'yaml.directive', say('yaml.directive')]);
  for (const m of text.matchAll(/(^|\n)( *)\t/g)) out.push([m.index + m[1].length + m[2].length, 'yaml.syntax', say('yaml.syntax-tab')]);
  // NEL, LINE and PARAGRAPH SEPARATOR break lines for libyaml (YAML 1.1), not for this reader
  // (YAML 1.2) nor for text editors: the file would mean two things.
  for (const m of text.matchAll(/[\u0085\u2028\u2029]/g)) {
    out.push([m.index, 'text.invisible', say('text.invisible', { what: say('text.invisible-format'), code: hex(m[0]) })]);
  }
  if (text.includes('[') || text.includes('{')) {
    const deep = flowTooDeep(text);
    if (deep !== null) out.push([deep, 'yaml.too-deep', say('yaml.too-deep', { limit: MAX_DEPTH })]);
  }
  return out.sort((a, b) => a[0] - b[0]).slice(0, MAX_PROBLEMS);
}

/** Every tag (`!!int`, `!foo`), in a file that parses (as load.py's _tags): [[offset, tag]]. */
function tags(text) {
  const out = [];
  let offset = 0;
  for (const tok of new YAML.Lexer().lex(text)) {
    const type = YAML.CST.tokenType(tok);
    if (type === 'tag' && out.length < MAX_PROBLEMS) out.push([offset, tok]);
    if (type !== 'doc-mode' && type !== 'flow-error-end' && type !== 'scalar') offset += tok.length;
  }
  return out;
}

/** Tabs outside every scalar and comment (between a key and its value, in a flow list): [offset]. */
function strayTabs(text, ranges) {
  const out = [];
  ranges.sort((a, b) => a[0] - b[0]);
  const inside = (i) => {
    let lo = 0, hi = ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (ranges[mid][1] <= i) lo = mid + 1;
      else if (ranges[mid][0] > i) hi = mid - 1;
      else return true;
    }
    return false;
  };
  for (let i = text.indexOf('\t'); i !== -1 && out.length < MAX_PROBLEMS; i = text.indexOf('\t', i + 1)) {
    if (inside(i)) continue;
    const start = text.lastIndexOf('\n', i - 1) + 1;
    let comment = false;
    for (let q = text.indexOf('#', start); q !== -1 && q < i; q = text.indexOf('#', q + 1)) {
      if (!inside(q) && (q === start || text[q - 1] === ' ' || text[q - 1] === '\t')) {
        comment = true;
        break;
      }
    }
    if (!comment) out.push(i);
  }
  return out;
}

/**
 * Parse report text. Returns {data, problems, fatal, locate(path, key), source(path), floats}.
 * `fatal` problems (syntax, not a mapping) mean there is no data to check further.
 */
export function parseReport(text, { shape, say, file = '' }) {
  text = text.replace(/^\uFEFF/, '');
  const lineCounter = new YAML.LineCounter();
  const at = (offset) => {
    const { line, col } = lineCounter.linePos(offset);
    return [line, col];
  };
  const problem = (line, column, message, code, path = []) => ({ file, line, column, severity: 'error', message, field: '', path, code });
  // Where a node starts as libyaml says it: at its anchor (`&a 5`, `&a key:`) when it has one.
  const start = (node) => (node?.anchor ? text.lastIndexOf('&' + node.anchor, node.range[0]) : node?.range?.[0] ?? 0);
  const bad = [...text.matchAll(UNPRINTABLE)].slice(0, MAX_PROBLEMS);
  if (bad.length) {
    return { fatal: bad.map((m) => problem(...lineCol(text, m.index), say('file.control-char', { code: hex(m[0]) }), 'file.control-char')) };
  }
  const language = languageProblems(text, say);
  if (language.length) return { fatal: language.map(([i, code, message]) => problem(...lineCol(text, i), message, code)) };
  const docs = YAML.parseAllDocuments(text, { schema: 'failsafe', lineCounter, uniqueKeys: false, prettyErrors: false, keepSourceTokens: false });
  // A bare `...` after the report ends it; the `yaml` package counts an empty document after it,
  // libyaml does not: only a document that has content or starts with `---` is another one.
  const empty = (d) => !d.errors.length && !d.directives?.docStart && (d.contents === null || (YAML.isScalar(d.contents) && !d.contents.source && !d.contents.tag && !d.contents.anchor));
  const list = (Array.isArray(docs) ? docs : [docs]).filter((d, i) => i === 0 || !empty(d));
  if (list.length === 0 || (list.length === 1 && list[0].contents === null && !list[0].errors.length)) {
    return { fatal: [problem(1, 1, say('file.empty'), 'file.empty')] };
  }
  // A tag the reader cannot resolve (`!!binary` on text) is refused as a tag, below, as the CLI does.
  const errors = list.flatMap((d) => d.errors).filter((e) => e.code !== 'TAG_RESOLVE_FAILED');
  if (errors.length) return { fatal: [syntaxProblem(errors[0], text, say, problem)] };
  if (list.length > 1) {
    const found = firstMistake(text, say); // libyaml stops at the first mistake before the second document
    if (found !== null) return { fatal: [problem(...found)] };
    const [line, column] = at(list[1].range[0]);
    return { fatal: [problem(line, column, say('yaml.syntax-hint', { hint: hint(say, 'expected a single document'), where: '' }), 'yaml.syntax')] };
  }
  const doc = list[0];
  const root = doc.contents;
  if (!YAML.isMap(root)) {
    const [line, column] = at(root?.range?.[0] ?? 0);
    return { fatal: [problem(line, column, say('yaml.not-mapping'), 'yaml.not-mapping')] };
  }
  const problems = [];
  const fatal = [];
  const floats = new Set();
  const scalars = text.includes('\t') ? [] : null;
  let aliasSaid = false;
  let flows = null; // the check of `[ ]`/`{ }` lists, made at the first

  /** The one check of every decoded key and value (load.py's _Builder.decoded): a control,
   *  invisible, noncharacter or lone surrogate, at its place when written as is, else at the value. */
  function decoded(value, node, path) {
    if (node.type === 'QUOTE_DOUBLE' && value.length > 0 && SURROGATE_ESCAPE.test(text.slice(node.range[0], node.range[1]))) {
      fatal.push(problem(...at(node.range[0]), say('text.surrogate'), 'text.surrogate'));
      return;
    }
    if (!BAD_VALUE.test(value)) return; // nearly every value: one scan
    const source = text.slice(node.range[0], node.range[1]);
    if (SURROGATE.test(value)) {
      fatal.push(problem(...at(node.range[0]), say('text.surrogate'), 'text.surrogate'));
      return;
    }
    let message = null;
    let code = null;
    const c = CONTROL.exec(value);
    const n = NONCHAR.exec(value);
    const v = INVISIBLE_ONE.exec(value);
    const first = [c, n, v].filter(Boolean).sort((a, b) => a.index - b.index)[0];
    if (!first) return;
    const raw = source.indexOf(first[0]);
    if (first === v) {
      if (raw >= 0) return; // written as is: the scan of the text says it, at its exact column
      const cp = first[0].codePointAt(0);
      const what = (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ? say('text.invisible-bidi') : say('text.invisible-format');
      [message, code] = [say('text.invisible', { what, code: hex(first[0]) }), 'text.invisible'];
    } else if (first === c) [message, code] = [say('text.control', { code: hex(first[0]) }), 'text.control'];
    else [message, code] = [say('text.noncharacter', { code: hex(first[0]) }), 'text.noncharacter'];
    const where = raw >= 0 ? lineCol(text, node.range[0] + raw) : at(start(node));
    problems.push(problem(...where, message, code, path));
  }

  function build(node, path, sh, depth = 0) {
    if (YAML.isAlias(node)) {
      if (!aliasSaid) {
        aliasSaid = true;
        // Said where the anchored value is, as libyaml composes an alias into that very node.
        const target = node.resolve(doc);
        if (!target) { // no anchor before it: libyaml stops reading here
          fatal.push(problem(...lineCol(text, node.range[0]), say('yaml.syntax-hint', { hint: hint(say, 'found undefined alias'), where: '' }), 'yaml.syntax'));
          return null;
        }
        fatal.push(problem(...anchorAt(text, target.range[0], node.source), say('yaml.alias'), 'yaml.alias', path));
      }
      return null;
    }
    if (node === null || node === undefined) return null;
    if (depth > MAX_DEPTH) {
      fatal.push(problem(...at(start(node)), say('yaml.too-deep', { limit: MAX_DEPTH }), 'yaml.too-deep', path));
      return null;
    }
    // An explicit tag (`!!int 548`, `!!str` on a mapping) is refused by tags() once the file is read.
    if ((YAML.isSeq(node) || YAML.isMap(node)) && node.flow) {
      // `[b:]`, `[?a]`, `{sessions: -}`: brackets the two parsers read differently (syntax.js's Flows)
      if (flows === null) flows = new Flows(text, say);
      const found = flows.mistake(node.range[0], node.range[1]);
      if (found !== null) fatal.push(problem(...found));
    }
    if (YAML.isSeq(node)) return node.items.map((v, i) => build(v, [...path, i], sh ? sh.items : null, depth + 1));
    if (YAML.isMap(node)) {
      // No prototype: `__proto__`, `constructor` and the like are keys like any other, which
      // the schema then refuses as unknown fields.
      const out = Object.create(null);
      const first = new Map();
      for (const pair of node.items) {
        const k = pair.key;
        if (!YAML.isScalar(k)) {
          fatal.push(problem(...at(k?.range?.[0] ?? 0), say('yaml.complex-key'), 'yaml.complex-key', path));
          continue;
        }
        if (k.type === 'PLAIN' && k.range[0] === k.range[1] && !pair.key.source) {
          // `: value` with no key: libyaml stops here ("did not find expected key"); so does this reader.
          fatal.push(problem(...at(k.range[0]), say('yaml.syntax-hint', { hint: hint(say, 'did not find expected key'), where: '' }), 'yaml.syntax'));
          continue;
        }
        let key = String(k.value);
        if (scalars) scalars.push([k.range[0], k.range[1]]);
        decoded(key, k, [...path, nfc(key)]);
        if (key === '<<' && k.type === 'PLAIN') {
          fatal.push(problem(...at(start(k)), say('yaml.merge'), 'yaml.merge', path));
          continue;
        }
        key = nfc(key);
        if (first.has(key)) {
          const prev = at(first.get(key).range[0])[0];
          fatal.push(problem(...at(start(k)), say('yaml.duplicate-key', { key, line: prev }), 'yaml.duplicate-key', [...path, key]));
          continue;
        }
        first.set(key, k);
        out[key] = build(pair.value, [...path, key], sh ? sh.props.get(key) || null : null, depth + 1);
        const v = pair.value;
        if (YAML.isScalar(v) && (v.type === 'BLOCK_LITERAL' || v.type === 'BLOCK_FOLDED') && !v.value) unindentedParagraph(k, v, key, path, sh);
      }
      return out;
    }
    // A scalar.
    let value = String(node.value ?? '');
    if (scalars) scalars.push([node.range[0], node.range[1]]);
    decoded(value, node, path);
    value = nfc(value);
    if (node.type !== 'PLAIN') return value;
    try {
      const r = convertPlain(value, sh, say);
      if (r.float) floats.add(pathKey(path));
      if (typeof r.value === 'string' && r.value && !(sh && (sh.patterned || sh.consts.has(r.value)))) {
        if (COMMENT_AFTER.test(text.slice(node.range[1]))) {
          problems.push(problem(...at(start(node)), say('value.comment'), 'value.comment', path));
        }
      }
      return r.value;
    } catch (e) {
      if (!(e instanceof ValueProblem)) throw e;
      const code = 'value.' + (sh && !sh.types.has('number') ? 'integer' : 'number');
      problems.push(problem(...at(start(node)), e.message, code, path));
      return value;
    }
  }

  const lines = text.split('\n');
  const covered = new Set();
  const indentOf = (line) => line.length - line.replace(/^ +/, '').length;

  // `situation: |` left empty because the paragraph under it is not indented (load.py's
  // unindented_paragraph): say to indent the paragraph rather than "unknown field".
  function unindentedParagraph(k, v, key, path, sh) {
    if (!sh) return;
    const [keyLine, keyCol] = at(k.range[0]);
    let line = Math.max(keyLine, at(v.range[2])[0] - 1);
    while (line < lines.length && !lines[line].trim()) line += 1;
    if (line >= lines.length || line <= keyLine - 1) return;
    const here = lines[line];
    if (indentOf(here) !== keyCol - 1 || /^(#|- )/.test(here.trimStart())) return;
    const name = nfc(here.trim().split(':')[0].trim());
    if (!here.includes(':') || sh.props.has(name)) return;
    problems.push(problem(line + 1, indentOf(here) + 1, say('yaml.block-indent', { key, line: keyLine }), 'yaml.block-indent', [...path, key]));
    covered.add(pathKey([...path, name]));
  }

  const data = build(root, [], shape);
  const mistakeFound = () => {
    const found = firstMistake(text, say);
    return found === null ? null : problem(...found);
  };
  const surrogate = fatal.filter((p) => p.code === 'text.surrogate').sort((a, b) => a.line - b.line || a.column - b.column)[0];
  if (surrogate) return { fatal: [mistakeFound() ?? surrogate] }; // libyaml stops reading at the first: so does the editor
  if (fatal.some((p) => p.code === 'yaml.syntax' || p.code === 'yaml.complex-key')) {
    // A mistake of syntax this reader let through and libyaml stops at: said as load.py says it.
    const found = mistakeFound();
    if (found !== null) return { fatal: [found] };
  }
  if (scalars && !fatal.length) {
    for (const i of strayTabs(text, scalars)) fatal.push(problem(...lineCol(text, i), say('yaml.syntax-tab'), 'yaml.syntax'));
  }
  if (!fatal.length && text.includes('!')) {
    for (const [i, tag] of tags(text)) fatal.push(problem(...lineCol(text, i), say('yaml.tag', { tag }), 'yaml.tag'));
  }
  if (fatal.length) return { fatal };
  let invisible = [...text.matchAll(INVISIBLE)];
  if (/[\u{10000}-\u{10ffff}]/u.test(text)) invisible = invisible.concat([...text.matchAll(INVISIBLE_ASTRAL)]).sort((a, b) => a.index - b.index);
  for (const m of invisible) {
    if (problems.length >= MAX_PROBLEMS) break;
    const c = m[0].codePointAt(0);
    const what = (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ? say('text.invisible-bidi') : say('text.invisible-format');
    problems.push(problem(...lineCol(text, m.index), say('text.invisible', { what, code: hex(m[0]) }), 'text.invisible'));
  }
  if (text.includes('&')) {
    // An anchor, used or not, is dropped from the value by YAML: say so where it is.
    YAML.visit(doc, (key, node) => {
      if (node && node.anchor && !YAML.isAlias(node) && problems.length < MAX_PROBLEMS + 100) {
        const start = YAML.isPair(node) ? node.key.range[0] : node.range[0];
        problems.push(problem(...anchorAt(text, start, node.anchor), say('yaml.anchor', { anchor: node.anchor }), 'yaml.anchor'));
      }
    });
  }

  function nodeAt(path) {
    let node = root;
    let mark = root;
    for (const part of path) {
      let nxt = null;
      if (YAML.isMap(node)) {
        const pair = node.items.find((p) => YAML.isScalar(p.key) && nfc(String(p.key.value)) === String(part));
        if (pair) {
          nxt = pair.value;
          mark = { key: pair.key, value: pair.value };
        }
      } else if (YAML.isSeq(node) && typeof part === 'number' && part < node.items.length) {
        nxt = node.items[part];
        mark = { key: nxt, value: nxt };
      }
      if (!nxt) break;
      node = nxt;
    }
    return mark;
  }

  return {
    data,
    problems,
    floats,
    covered,
    /** 1-based [line, column] of the value at `path` (of its key with `key`). */
    locate(path, key = false) {
      const mark = nodeAt(path);
      const node = mark === root ? root : key ? mark.key : mark.value || mark.key;
      if (!key && mark !== root && mark.key !== mark.value && YAML.isScalar(node) && node.type === 'PLAIN' && node.source === '' && mark.key?.range) {
        // An empty value is where libyaml puts it: just after the key's colon, before any comment.
        const colon = text.indexOf(':', mark.key.range[1]);
        if (colon >= 0) return at(colon + 1);
      }
      return at(start(node));
    },
    /** [text as written, quoted?] of the scalar at `path`, or null. */
    source(path) {
      let node = root;
      for (const part of path) {
        if (YAML.isMap(node)) {
          const pair = node.items.find((p) => YAML.isScalar(p.key) && nfc(String(p.key.value)) === String(part));
          if (!pair) return null;
          node = pair.value;
        } else if (YAML.isSeq(node) && typeof part === 'number' && part < node.items.length) {
          node = node.items[part];
        } else return null;
      }
      if (YAML.isScalar(node)) return [String(node.value ?? ''), node.type !== 'PLAIN'];
      return null;
    },
  };
}

// --- writing --------------------------------------------------------------------------------

const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

/** Whether `s` can be written without quotes and read back as the same text in a text field. */
function plainSafe(s) {
  if (!s || s !== s.trim() || /[\n\r\t]/.test(s)) return false;
  if (DATE.test(s)) return true;
  if (/^[-?:,\[\]{}#&*!|>'"%@`~+.0-9]/.test(s)) return false;
  if (/: |:$| #|[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(s)) return false;
  if (NULL_WORDS.has(s) || TRUE.has(s) || FALSE.has(s)) return false;
  return true;
}

function quoted(s) {
  return JSON.stringify(s); // JSON escapes are YAML double-quoted escapes; Vietnamese stays as is
}

function scalarText(value, node, indent) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  const s = String(value);
  const types = typesOf(node);
  const numeric = types.includes('integer') || types.includes('number');
  if (numeric) {
    // A text in a number field: "no data" words as written; other text as the unit typed it,
    // so that reading the file judges it as the form did (a number in quotes stays text).
    // A text that would read as a number (a "16" in quotes) stays quoted, so it stays text.
    if (noDataConst(node, s) || (/^[^"'\s]/.test(s) && !/: | #|\n|^[-?:,\[\]{}#&*!|>%@`]/.test(s) && !readsAsNumber(s) && s === s.trim())) return s;
    return quoted(s);
  }
  if (s.includes('\n') && isMultiline(node) && !/[\r\u2028\u2029\u0085]/.test(s) && !s.endsWith('\n\n') && !/^\n/.test(s)) {
    const chomp = s.endsWith('\n') ? '' : '-';
    const body = s.endsWith('\n') ? s.slice(0, -1) : s;
    const lead = /^[ ]/.test(body) ? String(indent.length + 2) : '';
    const pad = indent + '  ';
    return `|${lead}${chomp}\n` + body.split('\n').map((l) => (l ? pad + l : '')).join('\n');
  }
  return plainSafe(s) ? s : quoted(s);
}

function readsAsNumber(s) {
  if (PLAIN_INT.test(s)) return true;
  const m = DECIMAL.exec(s);
  return Boolean(m) && !(m[4].length === 3 && m[2][0] !== '0' && m[2].length <= 3) && m[2] === bigStr(m[2]);
}

function noDataConst(node, s) {
  return (node['x-no-data'] || []).some(([t]) => t === s) || (node.oneOf || []).some((o) => o.const === s);
}

/** The keys of `value` in schema order, then any the schema does not know, as they came. */
function orderedKeys(value, node) {
  const known = Object.keys(node?.properties || {});
  return [...known.filter((k) => k in value), ...Object.keys(value).filter((k) => !known.includes(k))];
}

function emit(value, node, root, indent, lines, keyPrefix) {
  // keyPrefix: "key:" or "- " already placed by the caller on the current line.
  if (Array.isArray(value)) {
    if (!value.length) {
      lines.push(`${keyPrefix} []`);
      return;
    }
    lines.push(keyPrefix);
    const itemNode = node ? child(node, 0, root) : null;
    for (const item of value) emitItem(item, itemNode, root, indent, lines);
    return;
  }
  if (value && typeof value === 'object') {
    const keys = orderedKeys(value, node);
    if (!keys.length) {
      lines.push(`${keyPrefix} {}`);
      return;
    }
    lines.push(keyPrefix);
    for (const k of keys) emit(value[k], node ? child(node, k, root) : null, root, indent + '  ', lines, `${indent}  ${keyText(k)}:`);
    return;
  }
  const text = scalarText(value, node || {}, indent);
  lines.push(text === '' ? keyPrefix : `${keyPrefix} ${text}`);
}

function emitItem(item, node, root, indent, lines) {
  const pad = indent + '  ';
  if (item && typeof item === 'object' && !Array.isArray(item)) {
    const keys = orderedKeys(item, node);
    if (!keys.length) {
      lines.push(`${pad}- {}`);
      return;
    }
    keys.forEach((k, i) => {
      const prefix = (i === 0 ? `${pad}- ` : `${pad}  `) + `${keyText(k)}:`;
      emit(item[k], node ? child(node, k, root) : null, root, pad + '  ', lines, prefix);
    });
    return;
  }
  emit(item, node, root, pad, lines, `${pad}-`);
}

function keyText(k) {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : quoted(k);
}

/** The report as YAML text: the schema line on top, keys in schema order, a blank line between parts. */
export function dumpReport(data, root, schemaUrl) {
  const lines = [`# yaml-language-server: $schema=${schemaUrl}`];
  const top = view(root, root);
  for (const k of orderedKeys(data, top)) {
    const node = child(top, k, root);
    const v = data[k];
    if (v && typeof v === 'object') lines.push('');
    emit(v, node, root, '', lines, `${keyText(k)}:`);
  }
  return lines.join('\n') + '\n';
}

