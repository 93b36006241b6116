// The report form, generated from the JSON Schema: every part of the outline and the six
// appendices in schema order with their Vietnamese titles and descriptions. No list of fields
// lives here: what is a text area, a figure with its "no data" choice, a grid or a growing list
// is read from the schema (x-multiline, x-no-data, x-heading, x-parents, items...).
import { child, enumOptions, isMultiline, shapeAt, typesOf, view } from './schema.js';
import { convertPlain, pathKey, ValueProblem } from './yamlio.js';
import { plainDecimal } from './messages.js';

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** An element with attributes (on* are listeners, text is its text) and children. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') el.textContent = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c);
  return el;
}

/** A top-level part shown among the appendices (schema/ANNOTATIONS.md: x-appendix, or an x-part
 *  "table" or "yearly"), as generator/outline.py reads it: a wide grid in the form, last in print. */
export const isAppendix = (node) => Boolean(node?.['x-appendix']
  ?? (node?.['x-part'] === 'table' || node?.['x-part'] === 'yearly'));

export const kindOf = (node) => {
  const types = typesOf(node);
  if (enumOptions(node)) return 'choice';
  if (types.includes('array')) return 'list';
  if ('properties' in node) return 'group';
  if (types.includes('integer') || types.includes('number')) return 'number';
  if (isMultiline(node)) return 'narrative';
  return 'text';
};

/** An empty value for every field of `node`: what a unit has not filled in yet (never 0). */
export function emptyValue(node, root, path, yearly, years) {
  const kind = kindOf(node);
  if (kind === 'group') {
    const out = {};
    for (const key of Object.keys(node.properties)) out[key] = emptyValue(child(node, key, root), root, [...path, key], yearly, years);
    return out;
  }
  if (kind === 'list') {
    const key = yearly.get(pathKey(path));
    if (key && years) {
      const item = child(node, 0, root);
      return years.map((y) => ({ ...emptyValue(item, root, [...path, 0], yearly, years), [key]: y }));
    }
    return [];
  }
  return null;
}

/** Lists with one row per year of the period, from the `one_each … period_years` rules. */
export function yearlyLists(rules) {
  const out = new Map();
  for (const r of rules) {
    const m = /^([\w.]+)\[\*\]\.(\w+)$/.exec(r.left);
    if (r.operator === 'one_each' && r.right === 'period_years' && m) out.set(pathKey(m[1].split('.')), m[2]);
  }
  return out;
}

/**
 * Fit `data` (a loaded report or draft) into the current form: every value the schema has a
 * place for is kept; what it has no place for is listed in `dropped` (label paths).
 */
export function fit(data, skeleton, node, root, path = [], dropped = [], labels = []) {
  if (isObj(skeleton) && node && 'properties' in node) {
    if (!isObj(data)) {
      if (data !== undefined && data !== null && !(typeof data === 'string' && (node['x-no-data'] || []).some(([t]) => t === data))) dropped.push(labels.join(' › ') || '(gốc)');
      return typeof data === 'string' && (node['x-no-data'] || []).some(([t]) => t === data) ? data : skeleton;
    }
    const out = {};
    for (const key of Object.keys(skeleton)) {
      const sub = child(node, key, root);
      if (!(key in data) && sub?.['x-optional']) continue; // an optional field the file leaves out stays out
      out[key] = key in data ? fit(data[key], skeleton[key], sub, root, [...path, key], dropped, [...labels, sub?.title ?? key]) : skeleton[key];
    }
    for (const key of Object.keys(data)) if (!(key in skeleton)) dropped.push([...labels, key].join(' › '));
    return out;
  }
  if (Array.isArray(skeleton)) {
    if (!Array.isArray(data)) {
      if (data !== undefined && data !== null) dropped.push(labels.join(' › '));
      return skeleton;
    }
    const item = child(node, 0, root);
    return data.map((row, i) => fit(row, emptyValue(item, root, [...path, 0], new Map(), null), item, root, [...path, i], dropped, [...labels, `dòng ${i + 1}`]));
  }
  if (isObj(data) || Array.isArray(data)) {
    dropped.push(labels.join(' › '));
    return null;
  }
  return data === undefined ? skeleton : data;
}

function getAt(obj, path) {
  let v = obj;
  for (const p of path) v = v == null ? undefined : v[p];
  return v;
}

function setAt(obj, path, value) {
  let v = obj;
  for (const p of path.slice(0, -1)) v = v[p];
  v[path[path.length - 1]] = value;
}

/** Leaf fields of a group, flattened ("education › masters"), for a grid's columns. */
function leaves(node, root, path = []) {
  const out = [];
  for (const key of Object.keys(node.properties || {})) {
    const sub = child(node, key, root);
    if (kindOf(sub) === 'group') out.push(...leaves(sub, root, [...path, key]).map(([p, n, titles]) => [p, n, [sub.title ?? key, ...titles]]));
    else out.push([[...path, key], sub, [sub.title ?? key]]);
  }
  return out;
}

/** Whether a group's properties are all groups of the same fields: a grid of rows (Appendix 2, 3). */
function groupRows(node, root) {
  const rows = Object.keys(node.properties || {}).filter((k) => kindOf(child(node, k, root)) === 'group');
  if (rows.length < 2) return null;
  const sig = (k) => JSON.stringify(leaves(child(node, k, root), root).map(([p]) => p));
  return rows.every((k) => sig(k) === sig(rows[0])) ? rows : null;
}

export class Form {
  /**
   * `schema`: the report schema; `model`: the report being edited; `onChange(path)`: after each
   * edit; `onLeave(path)`: when the person leaves a field; `onUnit(id)`: the unit picker changed;
   * `rosterUnits`: [{id, name, kind}] (from the campaign schema); `years`: the period's years;
   * `steps`: the form's steps (schema.js `steps`), each built the first time it is shown.
   */
  constructor({ schema, say, model, onChange, onLeave, onUnit, rosterUnits, years, yearly, container, steps }) {
    this.root = schema;
    this.top = view(schema, schema);
    this.say = say;
    this.shape = null;
    this.model = model;
    this.onChange = onChange;
    this.onLeave = onLeave || (() => {});
    this.onUnit = onUnit || (() => {});
    this.rosterUnits = rosterUnits;
    this.years = years;
    this.yearly = yearly;
    this.container = container;
    this.steps = steps;
    this.stepOf = new Map(steps.flatMap((s) => s.keys.map((k) => [k, s])));
    this.fields = new Map(); // path key -> field element (for messages)
    this.built = new Map(); // step id -> its element
    // Which messages show: "touched" (only fields the person left, and steps they left),
    // "wrong" (also every wrong value: a loaded file), "all" (Hoàn tất: also what is not filled in).
    this.reveal = 'touched';
    this.touched = [];
    this.leftSteps = new Set();
    // A shared definition's help (how a narrative is written) is said once, not under every field.
    this.sharedHelp = new Set(Object.values(schema.$defs || {}).map((d) => d?.description).filter(Boolean));
    container.addEventListener('focusout', (e) => {
      const holder = e.target.closest?.('[data-path]');
      if (!holder || !e.target.matches('input, select, textarea')) return;
      const path = JSON.parse(holder.dataset.path);
      if (!this.touched.some((t) => pathKey(t) === pathKey(path))) this.touched.push(path);
      this.onLeave(path);
    });
  }

  setShape(shape) {
    this.shape = shape;
  }

  /** Forget every built step (a new model is shown): each is built again when it is shown. */
  render() {
    this.fields.clear();
    this.built.clear();
    this.container.replaceChildren();
  }

  /** Build again the shown step holding part `key` (a group turned "no data" or back). */
  rebuildStep(key) {
    const step = this.stepOf.get(key);
    const old = this.built.get(step.id);
    if (!old) return;
    for (const [k, el] of [...this.fields]) if (old.contains(el)) this.fields.delete(k);
    this.built.delete(step.id);
    const fresh = this.stepElement(step);
    fresh.hidden = old.hidden;
    old.replaceWith(fresh);
  }

  /** Forget what the person touched (a new report): no message shows before they act. */
  resetReveal(reveal = 'touched') {
    this.reveal = reveal;
    this.touched = [];
    this.leftSteps.clear();
  }

  /** The element of `step`, built the first time it is asked for. */
  stepElement(step) {
    let el = this.built.get(step.id);
    if (el) return el;
    el = h('section', { class: 'ed-step', id: `ed-step-${step.id}`, 'data-step': step.id, hidden: true });
    if (step.parents.length) el.append(h('p', { class: 'ed-crumbs', text: step.parents.join(' › ') }));
    el.append(h('h2', { class: 'ed-step-title', tabindex: '-1', text: step.title }));
    for (const key of step.keys) {
      const node = child(this.top, key, this.root);
      if (step.id === 'unit' || step.id === 'finish') {
        el.append(this.renderField(node, [key]));
        continue;
      }
      const part = h('div', { class: 'ed-section', id: `ed-${key}`, 'data-path': pathKey([key]) });
      if (step.keys.length > 1) part.append(h('h3', { text: node['x-heading'] || node.title || key }));
      if (node.description) part.append(h('p', { class: 'ed-help', text: node.description }));
      part.append(this.renderBody(node, [key]), h('p', { class: 'ed-msg', role: 'alert' }));
      this.fields.set(pathKey([key]), part);
      el.append(part);
    }
    if (this.decorate) this.decorate(step, el);
    this.built.set(step.id, el);
    this.container.append(el);
    return el;
  }

  /** The inside of a section: its fields, a grid, or a list. */
  renderBody(node, path) {
    const kind = kindOf(node);
    if (kind === 'list') return this.renderList(node, path);
    if (kind === 'group') {
      const rows = groupRows(node, this.root);
      const box = h('div', { class: 'ed-group' });
      if (rows) box.append(this.renderGroupGrid(node, path, rows));
      let group = null;
      for (const key of Object.keys(node.properties)) {
        if (rows && rows.includes(key)) continue;
        const sub = child(node, key, this.root);
        // The outline's "*" sub-groups (x-group) as sub-headings, as on the paper form.
        if ((sub['x-group'] ?? null) !== group) {
          group = sub['x-group'] ?? null;
          if (group) box.append(h('h5', { class: 'ed-subgroup', text: group }));
        }
        box.append(this.renderField(sub, [...path, key]));
      }
      return box;
    }
    return this.renderField(node, path);
  }

  renderField(node, path) {
    const kind = kindOf(node);
    const id = 'f-' + path.join('-');
    if (kind === 'group') {
      const fs = h('fieldset', { class: 'ed-fieldset', 'data-path': pathKey(path) }, h('legend', { text: node.title ?? path[path.length - 1] }));
      if (node.description) fs.append(h('p', { class: 'ed-help', text: node.description }));
      if (path.length === 1 && path[0] === 'unit') fs.append(this.unitPicker(node, path));
      else for (const key of Object.keys(node.properties)) fs.append(this.renderField(child(node, key, this.root), [...path, key]));
      fs.append(h('p', { class: 'ed-msg', role: 'alert' }));
      this.fields.set(pathKey(path), fs);
      return fs;
    }
    if (kind === 'list') {
      const wrap = h('div', { class: 'ed-field', 'data-path': pathKey(path) }, h('h5', { text: node.title ?? '' }));
      if (node.description) wrap.append(h('p', { class: 'ed-help', text: node.description }));
      wrap.append(this.renderList(node, path), h('p', { class: 'ed-msg', role: 'alert' }));
      this.fields.set(pathKey(path), wrap);
      return wrap;
    }
    const wrap = h('div', { class: 'ed-field', 'data-path': pathKey(path) });
    wrap.append(h('label', { for: id, text: node.title ?? String(path[path.length - 1]) }));
    // A date's help says how the file writes it (NĂM-THÁNG-NGÀY); the box takes day/month/year.
    const help = node.format === 'date' ? (node.description || '').split(/(?<=\.)\s+/).filter((t) => !/NĂM-THÁNG-NGÀY/.test(t)).join(' ') : node.description;
    if (help && !this.sharedHelp.has(help)) wrap.append(h('p', { class: 'ed-help', id: id + '-help', text: help }));
    if (node.format === 'date') wrap.append(h('p', { class: 'ed-help', id: id + '-how', text: 'Ghi ngày/tháng/năm, ví dụ 20/01/2021.' }));
    wrap.append(this.input(node, path, id));
    wrap.append(h('p', { class: 'ed-msg', role: 'alert', id: id + '-msg' }));
    this.fields.set(pathKey(path), wrap);
    return wrap;
  }

  unitPicker(node, path) {
    const current = getAt(this.model, [...path, 'id']);
    const select = h('select', { id: 'f-unit-id', name: 'unit.id', class: 'ed-input', onchange: (e) => this.onUnit(e.target.value || null) },
      h('option', { value: '', text: '— Chọn đơn vị —' }));
    for (const u of this.rosterUnits) select.append(h('option', { value: u.id, text: `${u.name} (${u.id})`, selected: u.id === current }));
    const wrap = h('div', { class: 'ed-field', 'data-path': pathKey([...path, 'id']) },
      h('label', { for: 'f-unit-id', text: 'Đơn vị của bạn' }), select,
      h('p', { class: 'ed-help', id: 'ed-unit-info' }), h('p', { class: 'ed-msg', role: 'alert' }));
    this.fields.set(pathKey([...path, 'id']), wrap);
    for (const key of ['name', 'kind']) {
      // Name and kind follow the roster; a loaded file's differing ones are said here.
      const holder = h('div', { class: 'ed-unit-extra', 'data-path': pathKey([...path, key]) }, h('p', { class: 'ed-msg', role: 'alert' }));
      this.fields.set(pathKey([...path, key]), holder);
      wrap.append(holder);
    }
    this.unitInfo = wrap.querySelector('#ed-unit-info');
    queueMicrotask(() => this.refreshUnit());
    return wrap;
  }

  refreshUnit() {
    const u = this.model.unit || {};
    if (!this.unitInfo) return;
    const kinds = new Map(enumOptions(child(child(this.top, 'unit', this.root), 'kind', this.root)) || []);
    this.unitInfo.textContent = u.id
      ? `${u.name ?? ''} · ${kinds.get(u.kind) ?? u.kind ?? ''} · mã đơn vị ${u.id}`
      : 'Chọn đơn vị của bạn trong danh sách. Mỗi đơn vị có bản nháp riêng trên máy này.';
  }

  input(node, path, id) {
    const kind = kindOf(node);
    const value = getAt(this.model, path);
    const common = { id, name: path.join('.'), class: 'ed-input', 'aria-describedby': `${id}-msg` };
    if (kind === 'choice') {
      const opts = enumOptions(node);
      if (opts.length <= 3) {
        const box = h('div', { class: 'ed-radios', role: 'radiogroup', id });
        for (const [v, label] of opts) {
          const rid = `${id}-${v}`;
          box.append(h('label', { class: 'ed-radio', for: rid },
            h('input', { type: 'radio', id: rid, name: path.join('.'), value: v, checked: value === v, onchange: () => this.set(path, v) }), label));
        }
        return box;
      }
      const select = h('select', { ...common, onchange: (e) => this.set(path, e.target.value || null) }, h('option', { value: '', text: '— Chọn —' }));
      for (const [v, label] of opts) select.append(h('option', { value: v, text: label, selected: value === v }));
      return select;
    }
    if (kind === 'narrative') {
      return h('textarea', { ...common, rows: 4, oninput: (e) => this.set(path, e.target.value === '' ? null : e.target.value) }, value ?? '');
    }
    if (kind === 'number') return this.figure(node, path, common);
    if (node.format === 'date') {
      // Day/month/year as Vietnamese write it, stored as the schema's ISO date; no date picker
      // (a phone's picker shows the month first and the help would not match it).
      return h('input', { ...common, type: 'text', inputmode: 'text', autocomplete: 'off', placeholder: 'ngày/tháng/năm',
        'aria-describedby': `${id}-how ${id}-msg`, value: showDate(value),
        oninput: (e) => this.set(path, readDate(e.target.value)) });
    }
    return h('input', { ...common, type: 'text', value: value ?? '', oninput: (e) => this.set(path, e.target.value === '' ? null : e.target.value) });
  }

  /** A number with, where the schema allows it, its "no data" choice beside it. */
  figure(node, path, common) {
    const value = getAt(this.model, path);
    const noData = node['x-no-data'] || [];
    const isWords = typeof value === 'string' && noData.some(([t]) => t === value);
    const integer = typesOf(node).includes('integer');
    const input = h('input', {
      ...common, type: 'text', inputmode: integer ? 'numeric' : 'decimal', autocomplete: 'off',
      value: isWords || value === null || value === undefined ? '' : typeof value === 'number' ? plainDecimal(value) : String(value), disabled: isWords,
      oninput: (e) => this.set(path, this.readNumber(e.target.value, path)),
    });
    if (node['x-unit']) input.setAttribute('placeholder', node['x-unit']);
    if (!noData.length) return input;
    const select = h('select', { class: 'ed-nodata', 'aria-label': `${node.title ?? ''}: số liệu hay không có`, name: common.name + '.no-data', onchange: (e) => {
      const v = e.target.value;
      input.disabled = Boolean(v);
      if (v) {
        input.value = '';
        this.set(path, v);
      } else this.set(path, this.readNumber(input.value, path));
    } }, h('option', { value: '', text: 'số liệu' }));
    for (const [t, label] of noData) select.append(h('option', { value: t, text: label.toLowerCase(), selected: value === t }));
    return h('span', { class: 'ed-figure' }, input, select);
  }

  /** What the unit typed, read by the schema's rules; text the rules refuse stays as typed. */
  readNumber(text, path) {
    const t = text.trim();
    if (!t) return null;
    try {
      return convertPlain(t, shapeAt(this.shape, path), this.say).value;
    } catch (e) {
      if (e instanceof ValueProblem) return t;
      throw e;
    }
  }

  set(path, value) {
    setAt(this.model, path, value);
    this.onChange(path);
  }

  renderList(node, path) {
    const box = h('div', { class: 'ed-list', 'data-path': pathKey(path) });
    const draw = () => {
      box.replaceChildren();
      const item = child(node, 0, this.root);
      const rows = getAt(this.model, path) || [];
      const yearKey = this.yearly.get(pathKey(path));
      const cols = leaves(item, this.root);
      const wide = isAppendix(child(this.top, path[0], this.root));
      if (wide) {
        box.append(this.grid(path, rows.map((_, i) => [i, `${i + 1}`]), cols, yearKey, !yearKey, draw));
      } else {
        rows.forEach((_, i) => {
          const card = h('fieldset', { class: 'ed-card', 'data-path': pathKey([...path, i]) }, h('legend', { text: `${item.title ?? 'Dòng'} ${i + 1}` }));
          for (const key of Object.keys(item.properties)) card.append(this.renderField(child(item, key, this.root), [...path, i, key]));
          card.append(h('button', { type: 'button', class: 'ed-btn ed-remove', onclick: () => { getAt(this.model, path).splice(i, 1); draw(); this.onChange(path); } }, `Xóa ${(item.title ?? 'dòng').toLowerCase()} ${i + 1}`));
          card.append(h('p', { class: 'ed-msg', role: 'alert' }));
          this.fields.set(pathKey([...path, i]), card);
          box.append(card);
        });
      }
      const max = node.maxItems ?? Infinity;
      if (!yearKey && rows.length < max) {
        box.append(h('button', { type: 'button', class: 'ed-btn ed-add', onclick: () => {
          getAt(this.model, path).push(emptyValue(item, this.root, [...path, 0], this.yearly, this.years));
          draw();
          this.onChange(path);
          const inputs = box.querySelectorAll('input, textarea');
          if (inputs.length) inputs[inputs.length - 1 - (wide ? 0 : 0)].focus();
        } }, `+ Thêm ${(item.title ?? 'dòng').toLowerCase()}`));
      }
    };
    draw();
    return box;
  }

  /** A grid in its own scrolling box, one row per list row or group, a column per leaf field. */
  grid(path, rows, cols, yearKey, removable, redraw) {
    const table = h('table', { class: 'ed-grid' });
    const head = h('tr', {}, h('th', { scope: 'col', text: yearKey ? 'Năm' : 'TT' }));
    for (const [p, , titles] of cols) if (!(yearKey && p.length === 1 && p[0] === yearKey)) head.append(h('th', { scope: 'col', text: titles.join(' › ') }));
    if (removable) head.append(h('th', { scope: 'col', text: '' }));
    table.append(h('thead', {}, head));
    const body = h('tbody');
    for (const [i, label] of rows) {
      const rowPath = [...path, i];
      const year = yearKey ? getAt(this.model, [...rowPath, yearKey]) : null;
      const tr = h('tr', { 'data-path': pathKey(rowPath) }, h('th', { scope: 'row', text: yearKey ? String(year) : label }));
      for (const [p, n, titles] of cols) {
        if (yearKey && p.length === 1 && p[0] === yearKey) continue;
        const fp = [...rowPath, ...p];
        const id = 'f-' + fp.join('-');
        const td = h('td', { class: 'ed-cell', 'data-path': pathKey(fp), 'data-label': titles.join(' › ') });
        const control = this.input(n, fp, id);
        const aria = `${titles.join(' › ')}, ${yearKey ? 'năm ' + year : 'dòng ' + label}`;
        (control.matches('input, select, textarea') ? control : control.querySelector('input')).setAttribute('aria-label', aria);
        td.append(control, h('p', { class: 'ed-msg', role: 'alert', id: id + '-msg' }));
        this.fields.set(pathKey(fp), td);
        for (let k = 1; k < p.length; k++) if (!this.fields.has(pathKey([...rowPath, ...p.slice(0, k)]))) this.fields.set(pathKey([...rowPath, ...p.slice(0, k)]), td);
        tr.append(td);
      }
      if (removable) {
        tr.append(h('td', {}, h('button', { type: 'button', class: 'ed-btn ed-remove', 'aria-label': `Xóa dòng ${label}`, onclick: () => { getAt(this.model, path).splice(i, 1); redraw(); this.onChange(path); } }, '✕')));
      }
      this.fields.set(pathKey(rowPath), tr);
      body.append(tr);
    }
    table.append(body);
    return this.scrollBox(table);
  }

  /** Appendix 2 and 3: a row per group (Bí thư, Ban Thường vụ…), each may be "no data" as a whole. */
  renderGroupGrid(node, path, rowKeys) {
    const first = child(node, rowKeys[0], this.root);
    const cols = leaves(first, this.root);
    const table = h('table', { class: 'ed-grid' });
    const head = h('tr', {}, h('th', { scope: 'col', text: '' }));
    for (const [, , titles] of cols) head.append(h('th', { scope: 'col', text: titles.join(' › ') }));
    table.append(h('thead', {}, head));
    const body = h('tbody');
    for (const key of rowKeys) {
      const sub = child(node, key, this.root);
      const rowPath = [...path, key];
      const noData = sub['x-no-data'] || [];
      const value = getAt(this.model, rowPath);
      const words = typeof value === 'string' ? value : '';
      const th = h('th', { scope: 'row' }, h('span', { text: sub.title ?? key }));
      const tr = h('tr', { 'data-path': pathKey(rowPath) }, th);
      const cells = [];
      if (noData.length) {
        const select = h('select', { class: 'ed-nodata', 'aria-label': `${sub.title ?? key}: có số liệu hay không`, name: rowPath.join('.') + '.no-data', onchange: (e) => {
          const v = e.target.value;
          if (v) this.set(rowPath, v);
          else this.set(rowPath, emptyValue(sub, this.root, rowPath, this.yearly, this.years));
          this.rebuildStep(rowPath[0]);
          this.onChange(rowPath);
        } }, h('option', { value: '', text: 'có số liệu' }));
        for (const [t, label] of noData) select.append(h('option', { value: t, text: label.toLowerCase(), selected: words === t }));
        th.append(select);
      }
      for (const [p, n, titles] of cols) {
        const fp = [...rowPath, ...p];
        const id = 'f-' + fp.join('-');
        const td = h('td', { class: 'ed-cell', 'data-path': pathKey(fp), 'data-label': titles.join(' › ') });
        if (words) td.append(h('span', { class: 'ed-words', text: '—' }));
        else {
          const control = this.input(n, fp, id);
          (control.matches('input, select, textarea') ? control : control.querySelector('input')).setAttribute('aria-label', `${sub.title ?? key} › ${titles.join(' › ')}`);
          td.append(control);
        }
        td.append(h('p', { class: 'ed-msg', role: 'alert' }));
        this.fields.set(pathKey(fp), td);
        // A rule about a group of columns ("Chuyên môn" sums) is said at its first column.
        for (let k = 1; k < p.length; k++) if (!this.fields.has(pathKey([...rowPath, ...p.slice(0, k)]))) this.fields.set(pathKey([...rowPath, ...p.slice(0, k)]), td);
        cells.push(td);
      }
      tr.append(...cells);
      this.fields.set(pathKey(rowPath), tr);
      body.append(tr);
    }
    table.append(body);
    return this.scrollBox(table);
  }

  scrollBox(table) {
    return h('div', { class: 'ed-grid-box' },
      h('p', { class: 'ed-scroll-note', text: 'Bảng rộng: cuộn sang ngang trong khung này để xem và điền hết các cột.' }),
      h('div', { class: 'ed-grid-scroll', tabindex: 0, role: 'region', 'aria-label': 'Bảng, cuộn ngang' }, table));
  }

  /** Whether problem `p` shows under its field now (see `reveal`). */
  visible(p) {
    if (this.reveal === 'all') return true;
    const fill = String(p.code).startsWith('fill-');
    if (!fill && (this.reveal === 'wrong' || this.leftSteps.has(this.stepOf.get(p.path[0])?.id))) return true;
    const prefix = (a, b) => a.length <= b.length && a.every((x, i) => x === b[i]);
    return this.touched.some((t) => prefix(t, p.path) || prefix(p.path, t));
  }

  /** Show each problem that helps now next to its field (the nearest field its path leads to). */
  showProblems(problems) {
    for (const el of this.container.querySelectorAll('.ed-msg')) el.replaceChildren();
    for (const el of this.container.querySelectorAll('.ed-has-error, .ed-has-warning')) el.classList.remove('ed-has-error', 'ed-has-warning');
    for (const p of problems) {
      if (!this.visible(p)) continue;
      const { el, path } = this.fieldOf(p.path);
      if (!el) continue;
      const msg = [...el.children].find((c) => c.classList?.contains('ed-msg')) || el.querySelector('.ed-msg');
      if (!msg) continue;
      const line = h('span', { class: `ed-msg-${p.severity}`, 'data-code': p.code },
        (p.severity === 'error' ? 'Lỗi: ' : 'Cảnh báo: ') + (path.length === p.path.length ? '' : p.field + ': ') + p.message);
      msg.append(line);
      el.classList.add(p.severity === 'error' ? 'ed-has-error' : 'ed-has-warning');
    }
  }

  /** The nearest built field element of `path`, and its path. */
  fieldOf(path) {
    let el = null;
    while (path.length && !(el = this.fields.get(pathKey(path)))) path = path.slice(0, -1);
    return { el, path };
  }
}

/** An ISO date (the stored value) as day/month/year. */
export function showDate(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value ?? '');
  return m ? `${m[3]}/${m[2]}/${m[1]}` : value ?? '';
}

/**
 * What was typed in a date box, stored as the schema's ISO date: "20/01/2021", "20-1-2021",
 * "20.01.2021" are 2021-01-20; an ISO date stays; anything else is kept as typed, so the check
 * says what is wrong with it, as the CLI would for the same text.
 */
export function readDate(text) {
  const t = text.trim();
  if (!t) return null;
  const m = /^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$/.exec(t);
  return m ? `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}` : t;
}
