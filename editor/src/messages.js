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

/** A value as Python's str() writes it: None, True, 1.0 for a float that came from a decimal. */
export function pyStr(v) {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v instanceof PyFloat) return v.toString();
  if (typeof v === 'number') return numStr(v);
  return String(v);
}

function numStr(n) {
  if (Number.isInteger(n) || !Number.isFinite(n)) return String(n);
  // Python's repr: the shortest round-trip digits, like JS, but exponents from 1e16 and 1e-5.
  const s = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  return `${m[1]}${m[2]}${m[3] ? '.' + m[3] : ''}e${m[4][0]}${m[4].slice(1).padStart(2, '0')}`;
}

/** A number the YAML said as a decimal (78.5, 120.0): Python keeps it a float and writes "120.0". */
export class PyFloat {
  constructor(value) {
    this.value = value;
  }
  toString() {
    return Number.isInteger(this.value) ? `${this.value}.0` : numStr(this.value);
  }
}
