// "Bản in": the report laid out as the Word report is (generator/documents/word.py): the header
// (the superior body, the unit's committee, ***, the number line; the Youth Union's name, the
// place and date), the title, the outline with its headings and every value, the signature block
// with "Nơi nhận", then the six appendices as tables. Built from the schema and the form's data
// alone, for the phone's "print / save as PDF": a unit without a computer prints, signs, stamps.
import { h, isAppendix, kindOf } from './form.js';
import { child, enumOptions, noDataTexts, steps as stepsOf, view } from './schema.js';

const NOT_FILLED = '(chưa điền)';

/** A number the Vietnamese way (1.536; 78,5), as the site and the Word files write it. */
export function numberVi(value) {
  if (typeof value !== 'number') return String(value);
  if (Number.isInteger(value)) return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return String(value).replace('.', ',');
}

function shown(node, value) {
  if (value === null || value === undefined || value === '') return NOT_FILLED;
  const options = enumOptions(node);
  if (options) {
    const hit = options.find(([v]) => v === value);
    if (hit) return hit[1];
  }
  // The schema's view keeps the words a field accepts beside its number or date in x-no-data.
  const word = [...noDataTexts(node)].find(([v]) => v === value);
  if (word) return word[1];
  if (node?.format === 'date' && typeof value === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (m) return `${m[3]}/${m[2]}/${m[1]}`;
  }
  if (typeof value === 'boolean') return value ? 'có' : 'không';
  return numberVi(value);
}

const paragraphs = (text) => String(text).split(/\n\s*\n/).map((p) => h('p', { class: 'ed-p-text', text: p }));

/** [path, node, titles] of every leaf of a group, for a table's columns. */
function leaves(node, root, path = []) {
  const out = [];
  for (const key of Object.keys(node.properties || {})) {
    const sub = child(node, key, root);
    if (kindOf(sub) === 'group') out.push(...leaves(sub, root, [...path, key]).map(([p, n, t]) => [p, n, [sub.title ?? key, ...t]]));
    else out.push([[...path, key], sub, [sub.title ?? key]]);
  }
  return out;
}

const at = (obj, path) => path.reduce((v, k) => (v === null || v === undefined || typeof v === 'string' ? v : v[k]), obj);

function table(head, rows) {
  return h('table', { class: 'ed-p-table' },
    h('thead', {}, h('tr', {}, head.map((t) => h('th', { text: t })))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', { text: c }))))));
}

/** A list as a table: a TT column, then a column per leaf field. */
function listTable(node, rows, root) {
  const item = child(node, 0, root);
  const cols = leaves(item, root);
  if (!rows.length) return h('p', { class: 'ed-p-empty', text: 'Không có.' });
  return table(['TT', ...cols.map(([, , t]) => t.join(' – '))],
    rows.map((row, i) => [String(i + 1), ...cols.map(([p, n]) => (typeof row === 'string' ? row : shown(n, at(row, p))))]));
}

/** A group of the outline: "* group" headings, "- narrative" with its text, "label: value" lines. */
function groupBody(node, value, root, out) {
  let group = null;
  for (const key of Object.keys(node.properties || {})) {
    const sub = child(node, key, root);
    const v = value && typeof value === 'object' ? value[key] : undefined;
    if ((sub['x-group'] ?? null) !== group) {
      group = sub['x-group'] ?? null;
      if (group) out.push(h('p', { class: 'ed-p-group', text: `* ${group}` }));
    }
    const kind = kindOf(sub);
    if (kind === 'narrative') {
      out.push(h('p', { class: 'ed-p-label', text: `- ${sub.title ?? key}` }));
      out.push(...(v ? paragraphs(v) : [h('p', { class: 'ed-p-text', text: NOT_FILLED })]));
    } else if (kind === 'list') {
      out.push(h('p', { class: 'ed-p-label', text: `- ${sub.title ?? key}` }), listTable(sub, Array.isArray(v) ? v : [], root));
    } else if (kind === 'group') {
      if (typeof v === 'string') out.push(h('p', { class: 'ed-p-figure' }, `${sub.title ?? key}: `, h('strong', { text: v })));
      else {
        out.push(h('p', { class: 'ed-p-label', text: `- ${sub.title ?? key}` }));
        groupBody(sub, v, root, out);
      }
    } else {
      out.push(h('p', { class: 'ed-p-figure' }, `${sub.title ?? key}: `, h('strong', { text: shown(sub, v) })));
    }
  }
}

/** An appendix: a list is a table of its rows; a group of like groups a row per group; else label: value. */
function appendix(node, value, root) {
  if (kindOf(node) === 'list') return listTable(node, Array.isArray(value) ? value : [], root);
  const rowKeys = Object.keys(node.properties || {}).filter((k) => kindOf(child(node, k, root)) === 'group');
  if (rowKeys.length >= 2 && rowKeys.length === Object.keys(node.properties).length) {
    const cols = leaves(child(node, rowKeys[0], root), root);
    return table(['', ...cols.map(([, , t]) => t.join(' – '))], rowKeys.map((k) => {
      const sub = child(node, k, root);
      const v = value?.[k];
      return [sub.title ?? k, ...cols.map(([p, n]) => (typeof v === 'string' ? v : shown(n, at(v, p))))];
    }));
  }
  const rows = leaves(node, root).map(([p, n, t]) => {
    const parent = at(value, p.slice(0, -1));
    return [t.join(' – '), typeof parent === 'string' ? parent : shown(n, at(value, p))];
  });
  return table(['Chỉ tiêu', 'Kết quả'], rows);
}

/** Who the unit signs for, as its Word file says (the paths and words come from
 * generator/documents/letterhead.py): its Standing Committee when a count of it is above 0. */
function onBehalf(sig, report) {
  const standing = (sig.standing_counts || []).some((path) => {
    const v = path.reduce((o, k) => (o && typeof o === 'object' && !Array.isArray(o) && Object.hasOwn(o, k) ? o[k] : undefined), report);
    return Number.isInteger(v) && v > 0;
  });
  return standing ? sig.standing : sig.executive;
}

/** A deputy signs for the secretary ("KT. BÍ THƯ" above the deputy's title). */
function isDeputy(sig, position) {
  return Boolean(sig.deputy_prefix) && typeof position === 'string'
    && position.trim().toLocaleLowerCase('vi').startsWith(sig.deputy_prefix);
}

/** The unit's own place from the roster (`place:`), which dates its printed copy. */
function placeOf(campaign, id) {
  const u = (campaign.units || []).find((x) => x && x.id === id);
  return u && typeof u.place === 'string' ? u.place : '';
}

/** The whole printable report of `report`. */
export function printView({ schema, report, campaign }) {
  const root = schema;
  const top = view(schema, schema);
  const lh = campaign.letterhead || {};
  const unit = report.unit || {};
  const name = unit.name || '……';
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(report.submission_date || '');
  const dateLine = date ? `ngày ${date[3]} tháng ${date[2]} năm ${date[1]}` : 'ngày …… tháng …… năm ……';
  const doc = h('article', { class: 'ed-paper', id: 'ed-paper', lang: 'vi' });
  if (report.status !== 'final') doc.append(h('p', { class: 'ed-p-draft', text: 'BẢN NHÁP — chưa phải báo cáo chính thức' }));
  doc.append(h('div', { class: 'ed-p-head' },
    h('div', {}, h('p', { class: 'ed-p-caps', text: lh.unit_superior || '' }), h('p', { class: 'ed-p-strong ed-p-caps', text: `BCH ${name}` }),
      h('p', { text: '***' }), h('p', { text: `Số: ${lh.number || '……-BC/ĐTN'}` })),
    h('div', {}, h('p', { class: 'ed-p-strong ed-p-caps ed-p-motto', text: lh.motto || 'Đoàn TNCS Hồ Chí Minh' }),
      h('p', { class: 'ed-p-date', text: `${placeOf(campaign, unit.id) || lh.place || '……'}, ${dateLine}` }))));
  doc.append(h('h1', { class: 'ed-p-title', text: 'BÁO CÁO' }), h('p', { class: 'ed-p-subject', text: lh.subject || '' }));
  let shownParents = [];
  const appendices = [];
  // The first step's own groups past the envelope (the unit and its signer, printed in the header
  // and the signature), e.g. the unit's review conference, under the title as in the Word file.
  const head = stepsOf(schema).find((s) => s.id === 'unit');
  for (const key of head ? head.keys : []) {
    if (key === 'unit' || key === 'signer') continue;
    const node = child(top, key, root);
    const out = [];
    groupBody(node, report[key], root, out);
    doc.append(h('h2', { class: 'ed-p-h', text: node['x-heading'] || node.title || key }), ...out);
  }
  for (const step of stepsOf(schema)) {
    if (step.id === 'unit' || step.id === 'finish') continue;
    for (const key of step.keys) {
      const node = child(top, key, root);
      if (isAppendix(node)) {
        appendices.push([key, node]);
        continue;
      }
      step.parents.forEach((p, i) => {
        if (shownParents[i] !== p) doc.append(h(i === 0 ? 'h2' : 'h3', { class: 'ed-p-h', text: p }));
      });
      shownParents = step.parents;
      doc.append(h(step.parents.length ? 'h3' : 'h2', { class: 'ed-p-h', text: node['x-heading'] || node.title || key }));
      const out = [];
      if (kindOf(node) === 'list') out.push(listTable(node, Array.isArray(report[key]) ? report[key] : [], root));
      else groupBody(node, report[key], root, out);
      doc.append(...out);
    }
  }
  const signer = report.signer || {};
  const sig = lh.signature || { standing_counts: [], executive: 'TM. BAN CHẤP HÀNH' };
  const signerNode = child(top, 'signer', root);
  doc.append(h('div', { class: 'ed-p-sign' },
    h('div', { class: 'ed-p-recipients' }, h('p', { class: 'ed-p-strong', text: 'Nơi nhận:' }),
      ...(lh.unit_recipients || []).map((r) => h('p', { text: `- ${r}` }))),
    h('div', { class: 'ed-p-signer' }, h('p', { class: 'ed-p-strong', text: onBehalf(sig, report) }),
      ...(isDeputy(sig, signer.position) ? [h('p', { class: 'ed-p-strong ed-p-caps', text: sig.deputy_line })] : []),
      h('p', { class: 'ed-p-strong ed-p-caps', text: shown(child(signerNode, 'position', root), signer.position) }),
      h('p', { class: 'ed-p-space', text: '(Ký, đóng dấu)' }),
      h('p', { class: 'ed-p-strong', text: shown(child(signerNode, 'name', root), signer.name) }))));
  for (const [key, node] of appendices) {
    doc.append(h('h2', { class: 'ed-p-h ed-p-appendix', text: node['x-heading'] || node.title || key }), appendix(node, report[key], root));
  }
  return doc;
}
