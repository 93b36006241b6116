// The reports the site already publishes (tai-ve/bao-cao.json, or bao-cao.zip past 60 units):
// where the editor finds a unit's existing submission.

/** The single file of a zip archive written by the build (render._zip_one), as text. */
export async function unzipOne(buffer) {
  const view = new DataView(buffer);
  if (view.getUint32(0, true) !== 0x04034b50) throw new Error('not a zip archive');
  const method = view.getUint16(8, true);
  const size = view.getUint32(18, true);
  const start = 30 + view.getUint16(26, true) + view.getUint16(28, true);
  const data = new Uint8Array(buffer, start, size);
  if (method === 0) return new TextDecoder().decode(data);
  if (method !== 8) throw new Error(`zip method ${method}`);
  const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Response(stream).text();
}

/** {campaign, submissions: [{file, status, report}]} from the published JSON or zip. */
export async function readReports(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: ${r.status}`);
  const text = new URL(url, location.href).pathname.endsWith('.zip') ? await unzipOne(await r.arrayBuffer()) : await r.text();
  return JSON.parse(text);
}

/** The submission of unit `id`, or null. */
export function submissionOf(doc, id) {
  return doc.submissions.find((s) => s.report?.unit?.id === id) || null;
}
