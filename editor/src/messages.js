// The Vietnamese message texts of schema/messages.json (the file generator/messages.py reads):
// the editor and the CLI say the same words.

export function catalogue(doc) {
  const messages = doc.messages;
  const names = doc.type_names;
  /** Message `name` with its {placeholders} filled in (as Python's str.format would). */
  function say(name, values = {}) {
    const template = messages[name];
    if (template === undefined) throw new Error(`unknown message ${name}`);
    return template.replace(/\{(\w+)\}/g, (_, key) => pyStr(values[key]));
  }
  say.hints = doc.syntax_hints || [];
  return { say, typeName: (t) => names[t] ?? t };
}

/** A value as Python's str() writes it: None, True, 1.0 for a float that came from a decimal,
 *  a list or a mapping as Python prints them. Numbers never in exponent notation (numStr).
 *  The one pyStr of the editor: the checker, the rules and the messages all use it. */
export function pyStr(v) {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v instanceof PyFloat) return v.toString();
  if (typeof v === 'number') return numStr(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.keys(v).map((k) => `${pyRepr(k)}: ${pyRepr(v[k])}`).join(', ')}}`;
  return String(v);
}

/** Python's repr() of a value inside a list or mapping: text quoted as Python quotes it. */
function pyRepr(v) {
  if (typeof v !== 'string') return pyStr(v);
  const q = v.includes("'") && !v.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of v) {
    const c = ch.codePointAt(0);
    if (ch === '\\' || ch === q) out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || (c >= 0x7f && c <= 0xa0) || c === 0xad) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return q + out + q;
}

/** A finite number in positional notation with the shortest digits that read back as it:
 *  0.00001, not 1e-05 or 1e-5; 100000000000000000, not 1e+17 (generator/messages.py's
 *  number_text writes the same). */
export function numStr(n) {
  if (!Number.isFinite(n)) return String(n);
  if (Object.is(n, -0)) return '-0'; // Python writes -0.0
  const s = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const digits = m[2] + (m[3] || '');
  const exp = Number(m[4]);
  if (exp >= 0) return m[1] + (digits.length > exp + 1 ? `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}` : digits.padEnd(exp + 1, '0'));
  return `${m[1]}0.${'0'.repeat(-exp - 1)}${digits}`;
}

/** A number as pages write it, in the file's digits (generator/numbers.py's plain_decimal):
 *  the noise of sums gone (15 significant digits, the most a double holds exactly), never in
 *  exponent notation: 1234567.89, not 1234567.8899999999; 0.0000001, not 1e-7. */
export function plainDecimal(n) {
  if (!Number.isFinite(n)) return String(n);
  const v = Number(n.toPrecision(15));
  return numStr(Object.is(v, -0) ? 0 : v);
}

/** A number the YAML said as a decimal (78.5, 120.0): Python keeps it a float and writes "120.0". */
export class PyFloat {
  constructor(value) {
    this.value = value;
  }
  toString() {
    const s = numStr(this.value);
    return Number.isFinite(this.value) && !s.includes('.') ? `${s}.0` : s;
  }
}
