// Where a report the YAML parser refused went wrong, found on its lines (schema/FORMAT.md).
// generator/layout.py is the same scan, line for line: when either parser refuses a file, both
// sides say what this scan finds, in the same words, at the same line. Keep the two alike.
// Columns are counted in UTF-16 units here and given in characters, as Python counts them.

const KEY_LIKE = /^ *(?:- +)?[A-Za-z0-9_.-]+:(?: |$)/;
const BLOCK_HEADER = /^[|>][0-9+-]*/;
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

/** The index of the quote `q` that closes a quoted text read on from `start`, or -1. */
function close(line, start, q) {
  let i = start;
  while (i < line.length) {
    const c = line[i];
    if (q === '"' && c === '\\') {
      i += 2;
      continue;
    }
    if (c === q) {
      if (q === "'" && line[i + 1] === "'") {
        i += 2;
        continue;
      }
      return i;
    }
    i += 1;
  }
  return -1;
}

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
    const end = close(rest, i + 1, rest[i]);
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

/**
 * The first place where the lines of `text` stop being a report's, if the scan finds one:
 * [line, column (UTF-16, 1-based), message, code], or null.
 */
function scan(text, say) {
  const hint = (needle) => say.hints.find(([n]) => n === needle)?.[1] ?? '';
  const lines = text.split('\n').map((x) => (x.endsWith('\r') ? x.slice(0, -1) : x));
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
    if (']},@`%'.includes(c)) {
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
      const end = close(line, at, q);
      if (q === '"' && SURROGATE_ESCAPE.test(line.slice(at, end >= 0 ? end : line.length))) {
        return [[i + 1, vcol + 1, say('text.surrogate'), 'text.surrogate'], j];
      }
      if (end >= 0) return [tail(line, end + 1, j), j + 1];
      j += 1;
      at = 0;
      if (j >= lines.length) return [openQuote, j];
    }
  }

  function flow(i, vcol, parent) {
    const closing = lines[i][vcol] === '[' ? ']' : '}';
    const flowHint = hint(`did not find expected ',' or '${closing}'`);
    let depth = 0;
    let quote = '';
    let j = i;
    let at = vcol;
    let before = '[';
    const colons = []; // the `: ` seen in the entry being read, at each depth
    while (j < lines.length) {
      const line = lines[j];
      if (j > i && strip(line) && !quote && indentOf(line) <= parent) {
        const colon = line.indexOf(':');
        return [[j + 1, (colon >= 0 ? colon : indentOf(line)) + 1,
          say('yaml.syntax-hint', { hint: flowHint, where: say('yaml.syntax-opened', { line: i + 1 }) }), 'yaml.syntax'], j];
      }
      for (let k = at; k < line.length; k++) {
        const c = line[k];
        if (quote) {
          if (c === '\\' && quote === '"') k += 1;
          else if (c === quote) quote = '';
        } else if (c === '"' || c === "'") quote = c;
        else if (c === '#' && (k === 0 || line[k - 1] === ' ' || line[k - 1] === '\t')) break;
        else if (c === '*' && '[{,:'.includes(before) && !anchored(line.slice(k + 1), j, k)) {
          return [[j + 1, k + 1, say('yaml.syntax-hint', { hint: hint('found undefined alias'), where: '' }), 'yaml.syntax'], j];
        } else if ('|>@`%'.includes(c) && '[{,:'.includes(before)) { // `{> a: 1}`: no value starts so
          return [[j + 1, k + 1, say('yaml.syntax-hint', { hint: hint('found character that cannot start any token'), where: '' }), 'yaml.syntax'], j];
        } else if (c === '-' && '[{,:'.includes(before) && (k + 1 >= line.length || ' ,]}'.includes(line[k + 1]))) {
          // `{sessions: -}`: libyaml reads a text "-", YAML (and the editor) an error
          return [[j + 1, k + 1, say('yaml.syntax-hint', { hint: hint('block sequence entries are not allowed'), where: '' }), 'yaml.syntax'], j];
        } else if (c === ':' && colons.length && (k + 1 >= line.length || line[k + 1] === ' ')) {
          colons[colons.length - 1] += 1;
          if (colons[colons.length - 1] > 1) { // `{a: b: c}`: a second `: ` in one entry
            return [[j + 1, k + 1, say('yaml.syntax-hint', { hint: flowHint, where: '' }), 'yaml.syntax'], j];
          }
        } else if (c === ',' && colons.length) colons[colons.length - 1] = 0;
        else if (c === '[' || c === '{') {
          depth += 1;
          colons.push(0);
        } else if (c === ']' || c === '}') {
          depth -= 1;
          colons.pop();
          if (depth === 0) return [tail(line, k + 1, j), j + 1];
        }
        if (!quote && c !== ' ' && c !== '\t') before = c;
      }
      j += 1;
      at = 0;
    }
    // The file ends inside the brackets: said at its end, with where they were opened.
    const where = lines.length > i + 1 ? say('yaml.syntax-opened', { line: i + 1 }) : '';
    return [[lines.length, 1, say('yaml.syntax-hint', { hint: flowHint, where }), 'yaml.syntax'], j];
  }

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

/** generator/layout.py's layout_problem: [line, column in characters, message, code], or null. */
export function layoutProblem(text, say) {
  const found = scan(text, say);
  if (found === null) return null;
  const [line, col, message, code] = found;
  const here = text.split('\n')[line - 1] ?? '';
  return [line, [...here.slice(0, col - 1)].length + 1, message, code];
}
