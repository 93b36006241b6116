// Reading the report's JSON Schema: $refs, titles (the labels users see), "no data" choices and
// the shape that says what a plain YAML value may be. Mirrors generator/schema.py.

export const LABEL_SEP = ' › ';

export function typesOf(node) {
  const t = node?.type;
  if (t === undefined) return [];
  return Array.isArray(t) ? [...t] : [t];
}

/** Follow `$ref`s (local ones, `#/$defs/...`); sibling keywords win over the target's. */
export function resolve(node, root) {
  while (node && typeof node === 'object' && '$ref' in node) {
    const pointer = node.$ref.split('#')[1] || '';
    let target = root;
    for (const part of pointer.replace(/^\/+|\/+$/g, '').split('/').filter(Boolean)) target = target[part];
    const merged = { ...target };
    for (const [k, v] of Object.entries(node)) if (k !== '$ref') merged[k] = v;
    node = merged;
  }
  return node;
}

/** (text, label) of the `const` choices of a resolved node (a oneOf of consts). */
export function choiceTexts(node) {
  const options = node?.oneOf;
  if (Array.isArray(options) && options.every((o) => o && typeof o === 'object' && 'const' in o)) {
    return options.map((o) => [String(o.const), String(o.title ?? o.const)]);
  }
  return [];
}

/** `node` resolved, an `anyOf` of a value and "no data" choices read as the value (x-no-data). */
export function view(node, root) {
  node = resolve(node, root);
  const alternatives = node?.anyOf;
  if (!Array.isArray(alternatives)) return node;
  let main = null;
  const noData = [];
  for (let alt of alternatives) {
    alt = alt && typeof alt === 'object' ? resolve(alt, root) : {};
    const texts = choiceTexts(alt);
    if (texts.length) noData.push(...texts);
    else if (!main) main = alt;
  }
  const merged = { ...(main || {}) };
  for (const [k, v] of Object.entries(node)) if (k !== 'anyOf') merged[k] = v;
  merged['x-no-data'] = noData;
  return merged;
}

export function noDataTexts(node) {
  return new Map(node?.['x-no-data'] || []);
}

export function child(node, key, root) {
  node = view(node, root);
  if (typeof key === 'number') {
    const items = node.items;
    return items && typeof items === 'object' ? view(items, root) : null;
  }
  const props = node.properties || {};
  return Object.prototype.hasOwnProperty.call(props, key) ? view(props[key], root) : null;
}

export function subschema(path, root) {
  let node = view(root, root);
  for (const key of path) {
    if (!node) return null;
    node = child(node, key, root);
  }
  return node;
}

/** "Phụ lục 2 › Ban Thường vụ › Số lượng"; list rows as "dòng N"; unknown keys as written. */
export function labelPath(path, root) {
  const labels = [];
  let node = view(root, root);
  for (const key of path) {
    const nxt = node ? child(node, key, root) : null;
    if (typeof key === 'number') labels.push(`dòng ${key + 1}`);
    else if (nxt && 'title' in nxt) labels.push(String(nxt.title));
    else labels.push(String(key));
    node = nxt;
  }
  return labels.join(LABEL_SEP);
}

export function enumOptions(node) {
  const options = node?.oneOf;
  if (Array.isArray(options) && options.every((o) => o && typeof o === 'object' && 'const' in o)) {
    return options.map((o) => [o.const, String(o.title ?? o.const)]);
  }
  if (Array.isArray(node?.enum)) return node.enum.map((v) => [v, String(v)]);
  return null;
}

/** [path, resolved node] for every property in schema order; list items get index 0. */
export function* walk(root) {
  function* go(path, node) {
    yield [path, node];
    for (const key of Object.keys(node.properties || {})) {
      const sub = child(node, key, root);
      if (sub) yield* go([...path, key], sub);
    }
    if (node.items && typeof node.items === 'object') {
      const sub = child(node, 0, root);
      if (sub) yield* go([...path, 0], sub);
    }
  }
  yield* go([], view(root, root));
}

export const isMultiline = (node) => Boolean(node?.['x-multiline']);

/** What the schema allows at one place, for reading plain YAML values (generator/schema.py Shape). */
export class Shape {
  constructor() {
    this.types = new Set();
    this.consts = new Set();
    this.props = new Map();
    this.items = null;
    this.patterned = false;
  }
}

function mergeInto(shape, node, root, depth) {
  if (!node || typeof node !== 'object' || Array.isArray(node) || depth > 64) {
    if (node === true) shape.types.add('string');
    return;
  }
  node = resolve(node, root);
  const alternatives = ['anyOf', 'oneOf', 'allOf'].flatMap((k) => node[k] || []);
  for (const alt of alternatives) mergeInto(shape, alt, root, depth + 1);
  const choice = 'const' in node || 'enum' in node;
  if (typeof node.const === 'string') shape.consts.add(node.const);
  if (Array.isArray(node.enum)) for (const v of node.enum) if (typeof v === 'string') shape.consts.add(v);
  let types = typesOf(node);
  if (!types.length && !alternatives.length && !choice && !('properties' in node) && !('items' in node)) {
    types = ['string'];
  }
  for (const t of types) {
    if (t === 'string' && choice) continue;
    if (t === 'string' && ('pattern' in node || 'format' in node)) shape.patterned = true;
    shape.types.add(t);
  }
  if ('properties' in node || types.includes('object')) shape.types.add('object');
  for (const [key, sub] of Object.entries(node.properties || {})) {
    if (!shape.props.has(key)) shape.props.set(key, new Shape());
    mergeInto(shape.props.get(key), sub, root, depth + 1);
  }
  if (node.items && typeof node.items === 'object' && !Array.isArray(node.items)) {
    if (!shape.items) shape.items = new Shape();
    mergeInto(shape.items, node.items, root, depth + 1);
  }
}

export function shapeOf(root) {
  const out = new Shape();
  mergeInto(out, root, root, 0);
  return out;
}

export function shapeAt(shape, path) {
  let node = shape;
  for (const part of path) {
    if (!node) return null;
    node = typeof part === 'number' ? node.items : node.props.get(part) || null;
  }
  return node;
}

// The tool's own groups of every report (generator/outline.py ENVELOPE): the form's first step.
const ENVELOPE_GROUPS = new Set(['unit', 'signer']);

/**
 * The form's steps, from the schema's structure alone: the top-level groups before the outline's
 * first heading (the unit, the signer) are the first step; each part with a heading (`x-heading`:
 * Mục I … VI, Phụ lục 1 … 6) is a step of its own, under its `x-parents`; parts without a heading
 * that follow one another (good models, commendations) share a step; the top-level single values
 * (status, sending date) belong to the last step, "Hoàn tất", where the file is handed over.
 * A plain schema, with no `x-heading` anywhere, still gets steps: the tool's own groups (the unit,
 * the signer) first, then one step per part of the outline, titled by its `title`.
 * Each step: {id, title, short, parents, keys}.
 */
export function steps(root) {
  const top = view(root, root);
  const out = [];
  const head = { id: 'unit', title: '', short: '', parents: [], keys: [] };
  const finish = { id: 'finish', title: 'Hoàn tất', short: 'Hoàn tất', parents: [], keys: [] };
  let seenHeading = false;
  let loose = null;
  const keys = Object.keys(top.properties || {});
  const plain = !keys.some((key) => child(top, key, root)['x-heading']);
  for (const key of keys) {
    const node = child(top, key, root);
    const isGroup = 'properties' in node || typesOf(node).includes('array');
    if (!isGroup) {
      finish.keys.push(key);
      continue;
    }
    if (plain && !ENVELOPE_GROUPS.has(key)) {
      const title = node.title ?? key;
      out.push({ id: key, title, short: title.split(/[,;]/)[0], parents: [], keys: [key] });
    } else if (node['x-heading']) {
      seenHeading = true;
      loose = null;
      out.push({ id: key, title: node['x-heading'], short: node.title ?? key, parents: node['x-parents'] || [], keys: [key] });
    } else if (!seenHeading) {
      head.keys.push(key);
    } else if (loose) {
      loose.keys.push(key);
      loose.title += `; ${node.title ?? key}`;
      loose.short += ` · ${(node.title ?? key).split(/[,;]/)[0]}`;
    } else {
      loose = { id: key, title: node.title ?? key, short: (node.title ?? key).split(/[,;]/)[0], parents: [], keys: [key] };
      out.push(loose);
    }
  }
  if (head.keys.length) {
    const titles = head.keys.map((k) => child(top, k, root).title ?? k);
    head.title = titles.join(', ');
    head.short = titles[0];
    out.unshift(head);
  }
  out.push(finish);
  return out;
}
