// Drafts kept in the browser (localStorage) as the unit types: closing the tab or losing the
// connection loses nothing. A draft is the report's YAML text plus the schema it was written
// for, so a draft from an older schema is read like any uploaded file and fitted to the form.
const KEY = 'bao-cao-ban-nhap';
// A draft the page could not open is kept here, apart, until the unit downloads or replaces it.
const ASIDE = 'bao-cao-ban-nhap-khong-mo-duoc';

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

export function saveDraft(storage, { yaml, stamp, unitId }) {
  try {
    storage.setItem(KEY, JSON.stringify({ yaml, stamp, unitId, savedAt: new Date().toISOString() }));
    return true;
  } catch {
    return false; // storage full or disabled: the page says the draft is not kept
  }
}

export function loadDraft(storage) {
  try {
    const raw = storage.getItem(KEY);
    const draft = raw ? JSON.parse(raw) : null;
    return draft && typeof draft.yaml === 'string' ? draft : null;
  } catch {
    return null;
  }
}

export function clearDraft(storage) {
  try {
    storage.removeItem(KEY);
  } catch {
    /* nothing kept, nothing to clear */
  }
}

/** Move the saved draft (whatever its content) out of the way, keeping it: the page then opens
 *  empty instead of failing on it at every load. Returns whether there was one. */
export function setAsideDraft(storage) {
  try {
    const raw = storage.getItem(KEY);
    if (raw === null) return false;
    storage.setItem(ASIDE, raw);
    storage.removeItem(KEY);
    return true;
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
