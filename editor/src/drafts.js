// Drafts kept in the browser (localStorage) as the unit types: closing the tab or losing the
// connection loses nothing. One draft per unit, under the unit's id (a report whose unit is not
// chosen yet has its own slot, ''), so two units typed on one phone never mix. A draft is the
// report's YAML text plus the schema it was written for, so a draft from an older schema is read
// like any uploaded file and fitted to the form.
const PREFIX = 'bao-cao-ban-nhap:';
const LAST = 'bao-cao-ban-nhap-dang-mo'; // the unit whose draft was open last
const OLD = 'bao-cao-ban-nhap'; // before drafts were kept per unit: one draft per browser

export function schemaStamp(schema) {
  // The schema's $id and a short hash of its text: a changed schema is a different stamp.
  const text = JSON.stringify(schema);
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return `${schema.$id || ''}#${h.toString(16)}`;
}

const keyOf = (unitId) => PREFIX + (unitId || '');

export function saveDraft(storage, { yaml, stamp, unitId }) {
  try {
    storage.setItem(keyOf(unitId), JSON.stringify({ yaml, stamp, unitId: unitId || null, savedAt: new Date().toISOString() }));
    storage.setItem(LAST, unitId || '');
    return true;
  } catch {
    return false; // storage full or disabled: the page says the draft is not kept
  }
}

function read(storage, key) {
  try {
    const raw = storage.getItem(key);
    const draft = raw ? JSON.parse(raw) : null;
    return draft && typeof draft.yaml === 'string' ? draft : null;
  } catch {
    return null;
  }
}

/** The draft of unit `unitId` ('' or null: the report whose unit is not chosen yet), or null. */
export function loadDraft(storage, unitId) {
  return read(storage, keyOf(unitId));
}

/** The unit whose draft was open last ('' for a report without a unit), or null if none. */
export function lastUnit(storage) {
  migrate(storage);
  try {
    const last = storage.getItem(LAST);
    return last === null ? null : last;
  } catch {
    return null;
  }
}

/** A draft of the one-draft-per-browser days moves to its unit's slot, unless that one is taken. */
function migrate(storage) {
  const old = read(storage, OLD);
  if (!old) return;
  try {
    if (!read(storage, keyOf(old.unitId))) {
      storage.setItem(keyOf(old.unitId), JSON.stringify(old));
      storage.setItem(LAST, old.unitId || '');
    }
    storage.removeItem(OLD);
  } catch {
    /* storage disabled: nothing to move */
  }
}

export function clearDraft(storage, unitId) {
  try {
    storage.removeItem(keyOf(unitId));
  } catch {
    /* nothing kept, nothing to clear */
  }
}

// A draft the page could not open is kept here, apart, until the unit downloads or replaces it.
const ASIDE = 'bao-cao-ban-nhap-khong-mo-duoc';

function moveAside(storage, key) {
  const raw = storage.getItem(key);
  if (raw === null) return false;
  storage.setItem(ASIDE, raw);
  storage.removeItem(key);
  return true;
}

/** Move the saved draft of `unitId` (whatever its content; without a unit id, the one open last,
 *  and a one-per-browser draft that is not even readable) out of the way, keeping it: the page
 *  then opens empty instead of failing on it at every load. Returns whether there was one. */
export function setAsideDraft(storage, unitId) {
  try {
    let moved = moveAside(storage, OLD); // unreadable, so never moved to a unit's slot
    const last = unitId === undefined ? storage.getItem(LAST) : unitId;
    if (last !== null) moved = moveAside(storage, keyOf(last)) || moved;
    return moved;
  } catch {
    return false;
  }
}

/** The text of the draft set aside, for the unit to download: its YAML, or the stored text as is. */
export function setAsideText(storage) {
  try {
    const raw = storage.getItem(ASIDE);
    if (raw === null) return null;
    try {
      const draft = JSON.parse(raw);
      if (draft && typeof draft.yaml === 'string') return draft.yaml;
    } catch {
      /* not JSON: keep it as it is */
    }
    return raw;
  } catch {
    return null;
  }
}

/** Forget the draft set aside (the unit has it, or does not want it). */
export function dropSetAside(storage) {
  try {
    storage.removeItem(ASIDE);
  } catch {
    /* nothing kept */
  }
}
