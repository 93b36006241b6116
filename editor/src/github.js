// Handing the file to GitHub: the page that creates the file (or edits the unit's existing
// one) in the campaign's repository, with the text filled in when it fits in a link.
export const MAX_URL = 7000;

/** {url, fits}: GitHub's "new file" page with the text, or its edit page when the file exists. */
export function githubLink({ repository, branch, unitId, yaml, exists }) {
  if (!repository || !unitId) return null;
  const base = repository.replace(/\/+$/, '');
  const ref = encodeURIComponent(branch || 'main');
  const edit = `${base}/edit/${ref}/submissions/${encodeURIComponent(unitId)}.yaml`;
  if (exists) return { url: edit, fits: false, edit };
  const url = `${base}/new/${ref}/submissions?filename=${encodeURIComponent(unitId + '.yaml')}&value=${encodeURIComponent(yaml)}`;
  if (url.length <= MAX_URL) return { url, fits: true, edit };
  return { url: `${base}/new/${ref}/submissions?filename=${encodeURIComponent(unitId + '.yaml')}`, fits: false, edit };
}
