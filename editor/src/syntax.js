// Where a report the YAML parser refused went wrong, found on its lines (schema/FORMAT.md).
// generator/syntax.py is the same scan, line for line: when either parser refuses a file, both
// sides say what this scan finds, in the same words, at the same line. Keep the two alike.
// Its reading of `[ ]`/`{ }` lists also speaks for a file the parsers read (Flows), where they
// read a list differently; flowTooDeep refuses brackets nested too deep before parsing. Both read
// the text through `structure`, the one quote-aware reading of it on this side.
// Columns are counted in UTF-16 units here and given in characters, as Python counts them.

const KEY_LIKE = /^ *(?:- +)?[A-Za-z0-9_.-]+:(?: |$)/;
const BLOCK_HEADER = /^[|>][0-9+-]*/;
const BRACKET = /[[{]/g;
// "\uD800", "\U0000DE00": half of a UTF-16 pair, which libyaml stops at (FORMAT.md).
const SURROGATE_ESCAPE = /(?<!\\)(?:\\\\)*\\(?:u|U0000)[dD][89a-fA-F][0-9a-fA-F]{2}/;

const indentOf = (line) => line.length - line.replace(/^ +/, '').length;
const lstrip = (s) => s.replace(/^ +/, '');
const strip = (s) => s.replace(/^ +| +$/g, '');
const blank = (line) => {
  const s = lstrip(line);
  return s === '' || s.startsWith('#');
};
const sepAt = (s, i) => i >= s.length || s[i] === ' ' || s[i] === '\t';

/** The index just past the `:` of `key:` at the start of `rest`, or -1 if `rest` is no key. */
function keyEnd(rest) {
  let i = 0;
  while (i < rest.length && (rest[i] === '&' || rest[i] === '!')) {
    const j = rest.indexOf(' ', i);
    if (j < 0) return -1;
    i = j;
    while (i < rest.length && rest[i] === ' ') i += 1;
  }
  if (i >= rest.length || '#[]{},|>*%@`'.includes(rest[i])) return -1;
  if (rest[i] === '"' || rest[i] === "'") {
    const end = closing(rest, i + 1, rest[i]);
    if (end < 0) return -1;
    let j = end + 1;
    while (j < rest.length && rest[j] === ' ') j += 1;
    return rest[j] === ':' && sepAt(rest, j + 1) ? j + 1 : -1;
  }
  for (let j = i; j < rest.length; j++) {
    const c = rest[j];
    if (c === ':' && sepAt(rest, j + 1)) return j + 1;
    if (c === '#' && j > i && (rest[j - 1] === ' ' || rest[j - 1] === '\t')) return -1;
  }
  return -1;
}

/** The index of the quote `q` that closes a quoted text going on from `start`, or -1. In a
 *  single-quoted text `''` is a quote; in a double-quoted one, a quote after an odd run of
 *  backslashes is escaped. */
function closing(text, start, q) {
  let i = start;
  while ((i = text.indexOf(q, i)) >= 0) {
    if (q === "'") {
      if (text[i + 1] !== "'") return i;
      i += 2;
      continue;
    }
    let k = i;
    while (k > start && text[k - 1] === '\\') k -= 1;
    if ((i - k) % 2 === 0) return i;
    i += 1;
  }
  return -1;
}

const FINDERS = new Map();

/**
 * Each character of `text` from `start` that is outside quoted texts and comments and in the
 * regular expression class `chars` (every one but blanks, by default), with its index: a quoted
 * text gives its opening quote only, a comment nothing (its line's end, if wanted, comes next).
 * The one quote-aware reading of the text, for the brackets of a `[ ]`/`{ }` list (the scan
 * below, and flowTooDeep before parsing); generator/syntax.py's `structure` is the same.
 */
export function* structure(text, start = 0, chars = '^ \\t') {
  if (!FINDERS.has(chars)) FINDERS.set(chars, new RegExp(`["'#]|[${chars}]`, 'g'));
  const find = FINDERS.get(chars);
  let i = start;
  for (;;) {
    find.lastIndex = i;
    const m = find.exec(text);
    if (m === null) return;
    i = m.index;
    const c = m[0];
    if (c === '"' || c === "'") {
      yield [i, c];
      i = closing(text, i + 1, c);
      if (i < 0) return;
      i += 1;
    } else if (c === '#' && (i === 0 || ' \t\n'.includes(text[i - 1]))) {
      i = text.indexOf('\n', i);
      if (i < 0) return;
    } else {
      yield [i, c];
      i += 1;
    }
  }
}

export const MAX_FLOW_DEPTH = 100; // as generator/syntax.py: `[[[…` past this is refused before parsing

/** Where `[` or `{` opens the (MAX_FLOW_DEPTH + 1)th level, quotes and comments aside. */
export function flowTooDeep(text) {
  let depth = 0;
  for (const [i, c] of structure(text, 0, '\\[\\]{}')) {
    if (c === '[' || c === '{') {
      depth += 1;
      if (depth > MAX_FLOW_DEPTH) return i;
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return null;
}

/**
 * The scan of the lines of `text`: `run()` gives the first place where they stop being a
 * report's, if it finds one, `flow(i, vcol, parent)` reads the brackets opened at line `i`,
 * column `vcol`: [line, column (UTF-16, 1-based), message, code], or null.
 */
function scanner(text, say) {
  const hint = (needle) => say.hints.find(([n]) => n === needle)?.[1] ?? '';
  const lines = text.split('\n').map((x) => (x.endsWith('\r') ? x.slice(0, -1) : x));
  const joined = lines.join('\n'); // the lines, to be read across for quotes and brackets
  const starts = [0]; // where each line starts in it
  for (const line of lines.slice(0, -1)) starts.push(starts[starts.length - 1] + line.length + 1);
  const levels = []; // open blocks: [indent, 1 for a list, 0 for keys, the last line at it]
  let expect = null; // a `key:` or `-` waiting for its block: [its column, a key?]
  let last = [0, 0]; // the last line placed (index) and its innermost column
  let emptyBlock = null; // `key: |` whose paragraph had no line: [key, line]
  let valueOf = -1; // the column of the key whose value starts on this line
  let lastKey = '';

  /** What follows a closed quote or bracket on its line: nothing, or a comment after a space. */
  function tail(line, at, lineno) {
    const rest = line.slice(at);
    const s = rest.replace(/^[ \t]+/, '');
    if (s === '') return null;
    if (s.startsWith('#')) return s === rest ? [lineno + 1, at + 1, say('yaml.comment-space'), 'yaml.syntax'] : null;
    return s.startsWith(':') ? null : [lineno + 1, line.length - s.length + 1, say('yaml.syntax-other'), 'yaml.syntax'];
  }

  /** Whether the alias whose name starts `rest` (at column `col` of line `i`) has its `&` before it. */
  function anchored(rest, i, col) {
    const name = rest.split(/[ \t,[\]{}]/)[0];
    return Boolean(name) && [...lines.slice(0, i), lines[i].slice(0, col)].join('\n').includes('&' + name);
  }

  function indentProblem(i, n) {
    const [line, there] = last;
    return [i + 1, n + 1, say('yaml.syntax-indent', { here: n, line: line + 1, there }), 'yaml.syntax'];
  }

  /** Fit line `i` (indented `n`) into the open blocks, or say why it does not fit. */
  function place(i, n, s) {
    const item = s === '-' || s.startsWith('- ') ? 1 : 0;
    const empty = emptyBlock;
    emptyBlock = null;
    if (expect !== null) {
      const [col, underKey] = expect;
      expect = null;
      if (n > col && !item && keyEnd(s) < 0) {
        valueOf = col; // the value written on the lines under its key
        return null;
      }
      if (n > col || (n === col && item && underKey)) {
        levels.push([n, item, i]);
        return null;
      }
    }
    if (!levels.length) {
      levels.push([n, item, i]);
      return null;
    }
    if (n > levels[levels.length - 1][0]) return indentProblem(i, n);
    while (levels.length && levels[levels.length - 1][0] > n) levels.pop();
    if (!levels.length || levels[levels.length - 1][0] !== n) return indentProblem(i, n);
    if (levels[levels.length - 1][1] && !item && levels.length > 1 && levels[levels.length - 2][0] === n) {
      levels.pop(); // a list written under its key at the key's own indentation ends here
    }
    const level = levels[levels.length - 1];
    if (level[1] && !item) return [i + 1, n + 1, say('yaml.syntax-not-item', { line: level[2] + 1 }), 'yaml.syntax'];
    if (!level[1] && item) return [i + 1, n + 1, say('yaml.syntax-item', { line: level[2] + 1 }), 'yaml.syntax'];
    if (!level[1] && empty !== null && keyEnd(s) < 0) {
      const [key, at] = empty;
      return [i + 1, n + 1, say('yaml.syntax-block-indent', { key, line: at + 1 }), 'yaml.syntax'];
    }
    level[2] = i;
    return null;
  }

  /** Read the items, key and value of line `i`: [a problem, the next line to read]. */
  function readLine(i, n, s) {
    let col = n;
    let rest = s;
    let parent = -1;
    while (rest === '-' || rest.startsWith('- ')) {
      let j = 1;
      while (j < rest.length && rest[j] === ' ') j += 1;
      if (j < rest.length && rest[j] === '\t') return [[i + 1, col + j + 1, say('yaml.syntax-tab'), 'yaml.syntax'], i];
      if (j >= rest.length || rest[j] === '#') { // `-` alone: the item is on the lines below
        expect = [col, false];
        last = [i, col];
        return [null, i + 1];
      }
      parent = col;
      col += j;
      rest = rest.slice(j);
      if (rest === '-' || rest.startsWith('- ')) levels.push([col, 1, i]);
    }
    last = [i, parent < 0 ? col : parent];
    if (rest === '?' || rest.startsWith('? ')) return [[i + 1, col + 1, say('yaml.complex-key'), 'yaml.complex-key'], i];
    const end = keyEnd(rest);
    if (end < 0) {
      if (parent < 0) { // a line of text among keys
        return [[i + 1, n + 1, say('yaml.syntax-hint', { hint: hint("could not find expected ':'"), where: '' }), 'yaml.syntax'], i];
      }
      return value(i, col, rest, parent, '-');
    }
    if (col !== n) {
      levels.push([col, 0, i]);
      last = [i, col];
    }
    const key = strip(rest.slice(0, end - 1));
    if (key === '') { // `: value`, a value with no key
      return [[i + 1, col + 1, say('yaml.syntax-hint', { hint: hint('did not find expected key'), where: '' }), 'yaml.syntax'], i];
    }
    lastKey = key;
    let j = end;
    while (j < rest.length && rest[j] === ' ') j += 1;
    if (j < rest.length && rest[j] === '\t') return [[i + 1, col + j + 1, say('yaml.syntax-tab'), 'yaml.syntax'], i];
    if (j >= rest.length || rest[j] === '#') {
      expect = [col, true];
      return [null, i + 1];
    }
    return value(i, col + j, rest.slice(j), col, key);
  }

  /** The value starting at column `vcol` of line `i`, owned by a key or `-` at `parent`. */
  function value(i, vcol, val, parent, key) {
    while (val[0] === '&' || val[0] === '!') { // an anchor or a tag (refused once the file is read)
      const j = val.indexOf(' ');
      if (j < 0) return [null, i + 1];
      let k = j;
      while (k < val.length && val[k] === ' ') k += 1;
      vcol += k;
      val = val.slice(k);
      if (val === '' || val.startsWith('#')) {
        expect = [parent, true];
        return [null, i + 1];
      }
    }
    const c = val[0];
    if (c === '|' || c === '>') {
      const header = BLOCK_HEADER.exec(val)[0].length;
      const after = val.slice(header);
      if (after.startsWith('#')) return [[i + 1, vcol + header + 1, say('yaml.comment-space'), 'yaml.syntax'], i];
      if (lstrip(after).startsWith('\t')) return [[i + 1, vcol + val.length - lstrip(after).length + 1, say('yaml.syntax-tab'), 'yaml.syntax'], i];
      if (strip(after) && !lstrip(after).startsWith('#')) return [[i + 1, vcol + 1, say('yaml.syntax-other'), 'yaml.syntax'], i];
      let j = i + 1;
      let inner = -1;
      while (j < lines.length) {
        if (strip(lines[j]) === '') {
          j += 1;
          continue;
        }
        const m = indentOf(lines[j]);
        if ((inner < 0 && m <= parent) || (inner >= 0 && m < inner)) break;
        if (inner < 0) inner = m;
        j += 1;
      }
      if (inner < 0) emptyBlock = [key, i];
      return [null, j];
    }
    if (c === '"' || c === "'") return quoted(i, vcol, parent);
    if (c === '[' || c === '{') return flow(i, vcol, parent);
    // Plain text: a `: ` in it is a key in a value; it goes on over the lines indented past its key.
    if (val === '-' || val.startsWith('- ')) {
      return [[i + 1, vcol + 1, say('yaml.syntax-hint', { hint: hint('block sequence entries are not allowed'), where: '' }), 'yaml.syntax'], i];
    }
    if (']},@`%'.includes(c) || (c === '?' && sepAt(val, 1))) { // `key: ? x`: `? ` starts a key, not a value
      return [[i + 1, vcol + 1, say('yaml.syntax-hint', { hint: hint('found character that cannot start any token'), where: '' }), 'yaml.syntax'], i];
    }
    if (c === '*' && !anchored(val.slice(1), i, vcol)) { // an alias with no anchor before it stops the reader
      return [[i + 1, vcol + 1, say('yaml.syntax-hint', { hint: hint('found undefined alias'), where: '' }), 'yaml.syntax'], i];
    }
    for (let j = 0; j < val.length; j++) {
      if (val[j] === '#' && j > 0 && (val[j - 1] === ' ' || val[j - 1] === '\t')) break;
      if (val[j] === ':' && sepAt(val, j + 1)) {
        return [[i + 1, vcol + j + 1, say('yaml.syntax-hint', { hint: hint('mapping values are not allowed'), where: '' }), 'yaml.syntax'], i];
      }
    }
    let comment = /[ \t]#/.test(val);
    let j = i + 1;
    while (j < lines.length && !comment) {
      const line = lines[j];
      const s = lstrip(line);
      if (s === '') {
        j += 1;
        continue;
      }
      if (s.startsWith('#') || indentOf(line) <= parent) break;
      if (KEY_LIKE.test(line) || s.endsWith(':') || s.split(' #')[0].includes(': ')) return [indentProblem(j, indentOf(line)), j];
      comment = /[ \t]#/.test(s);
      j += 1;
    }
    return [null, j];
  }

  function quoted(i, vcol, parent) {
    const q = lines[i][vcol];
    const which = q === '"' ? say('yaml.quote-double') : say('yaml.quote-single');
    const openQuote = [i + 1, vcol + 1, say('yaml.syntax-open-quote', { which, quote: q, line: i + 1 }), 'yaml.syntax'];
    let j = i;
    let at = vcol + 1;
    for (;;) {
      const line = lines[j];
      if (j > i && strip(line) && (indentOf(line) <= parent || KEY_LIKE.test(line))) return [openQuote, j];
      const end = closing(line, at, q);
      if (q === '"' && SURROGATE_ESCAPE.test(line.slice(at, end >= 0 ? end : line.length))) {
        return [[i + 1, vcol + 1, say('text.surrogate'), 'text.surrogate'], j];
      }
      if (end >= 0) {
        const after = line.slice(end + 1).replace(/^[ \t]+/, '');
        if (after.startsWith(':')) { // `key: "text":`: the text is a value, not a key
          return [[j + 1, line.length - after.length + 1, say('yaml.syntax-hint', { hint: hint('mapping values are not allowed'), where: '' }), 'yaml.syntax'], j];
        }
        return [tail(line, end + 1, j), j + 1];
      }
      j += 1;
      at = 0;
      if (j >= lines.length) return [openQuote, j];
    }
  }

  function flow(i, vcol, parent) {
    const close = lines[i][vcol] === '[' ? ']' : '}';
    const flowHint = hint(`did not find expected ',' or '${close}'`);
    let j = i;
    let before = '['; // the last character read (blanks aside)
    let plain = false; // whether in a plain text
    const opened = []; // the brackets open, innermost last
    const colons = []; // the `: ` seen in the entry being read, at each depth
    for (const [at, c] of structure(joined, starts[i] + vcol)) {
      while (j + 1 < starts.length && starts[j + 1] <= at) j += 1;
      const line = lines[j];
      const k = at - starts[j];
      const nxt = line.slice(k + 1, k + 2);
      if (c === '\n') { // the brackets go on on the next line, which must be indented past their key
        const next = lines[j + 1];
        if (strip(next) && indentOf(next) <= parent) {
          const colon = next.indexOf(':');
          return [[j + 2, (colon >= 0 ? colon : indentOf(next)) + 1,
            say('yaml.syntax-hint', { hint: flowHint, where: say('yaml.syntax-opened', { line: i + 1 }) }), 'yaml.syntax'], j + 1];
        }
        continue;
      }
      if (c === '*' && '[{,:'.includes(before) && !anchored(line.slice(k + 1), j, k)) {
        return [[j + 1, k + 1, say('yaml.syntax-hint', { hint: hint('found undefined alias'), where: '' }), 'yaml.syntax'], j];
      }
      if ('|>@`%'.includes(c) && '[{,:'.includes(before)) { // `{> a: 1}`: no value starts so
        return [[j + 1, k + 1, say('yaml.syntax-hint', { hint: hint('found character that cannot start any token'), where: '' }), 'yaml.syntax'], j];
      }
      if (c === '-' && '[{,:'.includes(before) && ['', ' ', ',', ']', '}'].includes(nxt)) {
        // `{sessions: -}`: libyaml reads a text "-", YAML (and the editor) an error
        return [[j + 1, k + 1, say('yaml.syntax-hint', { hint: hint('block sequence entries are not allowed'), where: '' }), 'yaml.syntax'], j];
      }
      if (c === '?' && '[{,'.includes(before)) { // `[? a]`, `{?}`: a key written as `? key` (libyaml reads `[?a]` so too)
        return [[j + 1, k + 1, say('yaml.complex-key'), 'yaml.complex-key'], j];
      }
      if (c === '?' && before === ':') { // `{a: ? b}`, `{a: ?b}`: `?` starts a key, not a value
        return [[j + 1, k + 1, say('yaml.syntax-hint', { hint: hint('found character that cannot start any token'), where: '' }), 'yaml.syntax'], j];
      }
      if (c === ':' && ((plain && nxt !== '' && ',?[]{}'.includes(nxt)) || '[{,'.includes(before))) {
        // `[b:]`, `{a: b :}`: libyaml ends no text so; `[: a]`, `{:}`: a `:` with no key before it
        return [[j + 1, k + 1, say('yaml.syntax-hint', { hint: hint("found unexpected ':'"), where: '' }), 'yaml.syntax'], j];
      }
      if (c === ':' && colons.length && (nxt === '' || nxt === ' ')) {
        colons[colons.length - 1] += 1;
        if (colons[colons.length - 1] > 1) { // `{a: b: c}`: a second `: ` in one entry
          return [[j + 1, k + 1, say('yaml.syntax-hint', { hint: flowHint, where: '' }), 'yaml.syntax'], j];
        }
      } else if (c === ',' && colons.length) colons[colons.length - 1] = 0;
      else if (c === '[' || c === '{') {
        opened.push(c);
        colons.push(0);
      } else if (c === ']' || c === '}') {
        if ((c === ']' ? '[' : '{') !== opened[opened.length - 1]) { // `{a: 1]`: closed by the other bracket
          const want = opened[opened.length - 1] === '[' ? ']' : '}';
          return [[j + 1, k + 1, say('yaml.syntax-hint', { hint: hint(`did not find expected ',' or '${want}'`), where: '' }), 'yaml.syntax'], j];
        }
        opened.pop();
        colons.pop();
        if (!opened.length) return [tail(line, k + 1, j), j + 1];
      }
      if ('[]{},"\''.includes(c)) plain = false;
      else if (c === ':') plain = plain && !['', ' ', '\t'].includes(nxt); // `a:b` is text, `a: b` a key and its value
      else plain = true;
      before = c;
    }
    // The file ends inside the brackets: said at its end, with where they were opened.
    const where = lines.length > i + 1 ? say('yaml.syntax-opened', { line: i + 1 }) : '';
    return [[lines.length, 1, say('yaml.syntax-hint', { hint: flowHint, where }), 'yaml.syntax'], lines.length];
  }

  /** The first place where the lines stop being a report's, or null. */
  function run() {
    let i = 0;
    let started = false;
    let ended = false; // after a `...` line
    while (i < lines.length) {
      const raw = lines[i];
      const s = lstrip(raw);
      const n = raw.length - s.length;
      if (s === '' || s.startsWith('#')) {
        i += 1;
        continue;
      }
      if (n === 0 && (s.startsWith('---') || s.startsWith('...')) && (s.length === 3 || s[3] === ' ' || s[3] === '\t')) {
        if (!started && s.startsWith('---') && blank(s.slice(3))) {
          i += 1;
          continue;
        }
        if (!started && s.startsWith('---') && s[3] === ' ') { // `--- key: value`
          return [i + 1, n + s.length - lstrip(s.slice(3)).length + 1, say('yaml.syntax-document-start'), 'yaml.syntax'];
        }
        if (s.startsWith('---')) { // a second document
          return [i + 1, 1, say('yaml.syntax-hint', { hint: hint('expected a single document'), where: '' }), 'yaml.syntax'];
        }
        const rest = s.slice(3).replace(/^[ \t]+/, '');
        if (rest && !rest.startsWith('#')) {
          return [i + 1, raw.length - rest.length + 1, say('yaml.syntax-hint', { hint: hint('expected a single document'), where: '' }), 'yaml.syntax'];
        }
        ended = true;
        i += 1;
        continue;
      }
      if (ended) { // content after `...`, the end of the report
        return [i + 1, n + 1, say('yaml.syntax-hint', { hint: hint('expected a single document'), where: '' }), 'yaml.syntax'];
      }
      started = true;
      if (s.startsWith('\t')) return [i + 1, n + 1, say('yaml.syntax-tab'), 'yaml.syntax'];
      let found = place(i, n, s);
      if (found !== null) return found;
      if (valueOf >= 0) {
        const parent = valueOf;
        valueOf = -1;
        [found, i] = value(i, n, s, parent, lastKey);
      } else {
        [found, i] = readLine(i, n, s);
      }
      if (found !== null) return found;
    }
    return null;
  }

  return { run, flow };
}

/** A place found, its column in characters (as Python counts them) rather than UTF-16 units. */
function inCharacters(text, found) {
  if (found === null) return null;
  const [line, col, message, code] = found;
  const here = text.split('\n')[line - 1] ?? '';
  return [line, [...here.slice(0, col - 1)].length + 1, message, code];
}

/** generator/syntax.py's first_mistake: [line, column in characters, message, code], or null. */
export function firstMistake(text, say) {
  return inCharacters(text, scanner(text, say).run());
}

/**
 * The `[ ]`/`{ }` lists of a file a parser has read, checked as the scan checks them
 * (generator/syntax.py's Flows). Some mistakes in brackets stop one parser and not the other
 * (`[b:]`, `{a: b:?}`: libyaml refuses, this reader reads a key; `[?a]`: libyaml reads a key,
 * this reader a text). Both readers give each outermost list they meet to `mistake`; what it
 * finds, either side refuses, and the file is then said by firstMistake.
 */
export class Flows {
  constructor(text, say) {
    this.text = text;
    this.say = say;
    this.scan = null;
    this.starts = [];
    this.until = -1; // the end of the last list checked: a list inside it is checked already
  }

  /** A mistake in the list from UTF-16 offset `start` to `end` of the text, if not checked already. */
  mistake(start, end) {
    if (start < this.until) return null;
    this.until = end;
    BRACKET.lastIndex = start; // past a tag or an anchor before it
    const bracket = BRACKET.exec(this.text);
    if (bracket === null) return null;
    start = bracket.index;
    if (this.scan === null) {
      this.scan = scanner(this.text, this.say);
      this.starts = [0]; // where each line starts
      for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) this.starts.push(i + 1);
    }
    let lo = 0; // the last line starting at or before `start`
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= start) lo = mid;
      else hi = mid - 1;
    }
    const found = this.scan.flow(lo, start - this.starts[lo], -1)[0];
    return found === null ? null : inCharacters(this.text, found);
  }
}
