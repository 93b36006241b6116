// The page "Nộp báo cáo trực tuyến": loads the published schema, rules and messages, builds the
// form, checks the report as the unit types, keeps a draft, and hands back the YAML file.
import * as YAML from '../vendor/yaml/index.js';
import { dropSetAside, loadDraft, saveDraft, schemaStamp, setAsideDraft, setAsideText } from './drafts.js';
import { emptyValue, fit, Form, h, yearlyLists } from './form.js';
import { githubLink } from './github.js';
import { readReports, submissionOf } from './published.js';
import { child, view } from './schema.js';
import { createValidator, latestToday } from './validate.js';
import { dumpReport } from './yamlio.js';

const app = document.getElementById('ed-app');
const dataBase = new URL(app.dataset.data, location.href);
const reportsUrl = new URL(app.dataset.reports, location.href);


async function fetchText(name) {
  const r = await fetch(new URL(name, dataBase));
  if (!r.ok) throw new Error(`${name}: ${r.status}`);
  return r.text();
}

async function main() {
  const [schemaText, campaignSchemaText, rulesText, messagesText, campaignText] = await Promise.all(
    ['report.schema.json', 'bao-cao.schema.json', 'rules.yaml', 'messages.json', 'campaign.json'].map(fetchText));
  const schema = JSON.parse(schemaText);
  const campaignSchema = JSON.parse(campaignSchemaText);
  const campaign = JSON.parse(campaignText);
  const validator = createValidator({ schema, rules: YAML.parse(rulesText), messages: JSON.parse(messagesText) });
  const stamp = schemaStamp(schema);
  const storage = window.localStorage;

  // The roster and the period's years come from the campaign's own schema (the one editors use).
  const unitIdNode = view(campaignSchema, campaignSchema).properties.unit.properties.id;
  const kinds = new Map(campaign.units.map((u) => [u.id, u.kind]));
  const rosterUnits = (unitIdNode.oneOf || []).map((o) => ({ id: o.const, name: o.title, kind: kinds.get(o.const) ?? null }));
  const yearNode = child(child(view(campaignSchema, campaignSchema), 'appendix_4', campaignSchema), 0, campaignSchema).properties.year;
  const years = yearNode.enum || [];
  const yearly = yearlyLists(validator.evaluator.rules);
  const top = view(schema, schema);
  const skeleton = () => {
    const out = emptyValue(top, schema, [], yearly, years);
    out.status = 'draft';
    return out;
  };

  let model = skeleton();
  const status = h('p', { class: 'ed-status', role: 'status', 'aria-live': 'polite' });
  const note = h('div', { class: 'ed-note', role: 'status' });
  const summary = h('div', { class: 'ed-summary' });
  const formBox = h('form', { class: 'ed-form', novalidate: true, onsubmit: (e) => e.preventDefault() });
  const form = new Form({ schema, say: validator.say, model, onChange: () => schedule(), rosterUnits, years, yearly, container: formBox });
  form.setShape(validator.shape);

  // --- where to start -----------------------------------------------------------------------
  const fileInput = h('input', { type: 'file', accept: '.yaml,.yml,text/yaml,text/plain', id: 'ed-file', class: 'ed-file', onchange: async (e) => {
    const f = e.target.files[0];
    if (f) loadBytes(new Uint8Array(await f.arrayBuffer()), f.name);
    e.target.value = '';
  } });
  const paste = h('textarea', { id: 'ed-paste', rows: 6, class: 'ed-input', placeholder: 'Dán toàn bộ nội dung tệp YAML vào đây' });
  const start = h('section', { class: 'ed-start', 'aria-labelledby': 'ed-start-h' },
    h('h2', { id: 'ed-start-h', text: 'Bắt đầu' }),
    h('div', { class: 'ed-buttons' },
      h('button', { type: 'button', class: 'ed-btn', id: 'ed-new', onclick: () => {
        if (!confirm('Xóa nội dung đang soạn và bắt đầu một báo cáo trống?')) return;
        setModel(skeleton(), 'Đã mở một báo cáo trống.');
      } }, 'Báo cáo trống'),
      h('button', { type: 'button', class: 'ed-btn', id: 'ed-existing', onclick: loadExisting }, 'Mở báo cáo đã gửi của đơn vị'),
      h('label', { class: 'ed-btn', for: 'ed-file' }, 'Mở tệp YAML trên máy'), fileInput),
    h('details', { class: 'ed-paste-box' }, h('summary', { text: 'Dán nội dung YAML' }),
      h('label', { for: 'ed-paste', text: 'Nội dung tệp báo cáo' }), paste,
      h('button', { type: 'button', class: 'ed-btn', id: 'ed-paste-read', onclick: () => loadText(paste.value, 'nội dung dán') }, 'Đọc nội dung đã dán')),
    note);

  // --- handing the file back ------------------------------------------------------------------
  const preview = h('textarea', { id: 'ed-yaml', class: 'ed-input ed-yaml', rows: 12, readonly: true, 'aria-label': 'Nội dung tệp YAML' });
  const ghNote = h('p', { class: 'ed-help', id: 'ed-github-note' });
  const finish = h('section', { class: 'ed-finish', 'aria-labelledby': 'ed-finish-h' },
    h('h2', { id: 'ed-finish-h', text: 'Lấy tệp báo cáo' }),
    summary,
    h('div', { class: 'ed-buttons' },
      h('button', { type: 'button', class: 'ed-btn ed-primary', id: 'ed-download', onclick: download }, 'Tải tệp về máy'),
      h('button', { type: 'button', class: 'ed-btn', id: 'ed-copy', onclick: copy }, 'Sao chép nội dung'),
      campaign.repository?.url ? h('button', { type: 'button', class: 'ed-btn', id: 'ed-github', onclick: toGithub }, 'Gửi lên GitHub') : null),
    ghNote,
    h('details', {}, h('summary', { text: 'Xem nội dung tệp YAML' }), preview));

  app.replaceChildren(start, status, formBox, finish);

  let timer = null;
  let current = { yaml: '', problems: [] };
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  }

  const unitId = () => (typeof model.unit?.id === 'string' && model.unit.id ? model.unit.id : null);
  const fileName = () => `${unitId() || 'bao-cao'}.yaml`;

  function refresh() {
    clearTimeout(timer);
    timer = null;
    const yaml = dumpReport(model, schema, campaign.schema_url);
    const result = validator.check(yaml, { file: fileName(), stem: unitId() || '', campaign, today: latestToday() });
    current = { yaml, problems: result.problems };
    form.showProblems(result.problems);
    form.showProgress(result.problems);
    preview.value = yaml;
    const errors = result.problems.filter((p) => p.severity === 'error').length;
    const warnings = result.problems.length - errors;
    summary.replaceChildren(h('p', { class: errors ? 'ed-bad' : 'ed-good', id: 'ed-verdict', text: errors
      ? `Còn ${errors} lỗi cần sửa và ${warnings} cảnh báo. Tệp vẫn tải về được để lưu, nhưng Huyện Đoàn chỉ nhận khi hết lỗi.`
      : model.status === 'final'
        ? `Báo cáo chính thức không có lỗi${warnings ? ` (${warnings} cảnh báo)` : ''}: sẵn sàng gửi.`
        : `Bản nháp không có lỗi; còn ${warnings} cảnh báo (thường là mục chưa điền). Khi điền xong, chọn “Chính thức”.` }));
    if (saveDraft(storage, { yaml, stamp, unitId: unitId() })) {
      status.textContent = `Bản nháp đã được lưu trên máy này lúc ${new Date().toLocaleTimeString('vi-VN')}.`;
    } else status.textContent = 'Trình duyệt không cho lưu bản nháp: hãy tải tệp về máy trước khi đóng trang.';
  }

  function setModel(next, message, dropped = []) {
    model = next;
    form.model = model;
    form.render();
    note.replaceChildren();
    if (message) note.append(h('p', { text: message }));
    if (dropped.length) {
      note.append(h('p', { text: 'Những mục sau không còn trong mẫu báo cáo hiện tại nên không được nạp (hãy chép nội dung sang mục phù hợp nếu cần):' }),
        h('ul', {}, dropped.map((d) => h('li', { text: d }))));
    }
    refresh();
  }

  function fromData(data) {
    const dropped = [];
    const fitted = fit(data, skeleton(), top, schema, [], dropped, []);
    return { fitted, dropped };
  }

  function showFileProblems(problems, name) {
    const list = h('ul', { class: 'ed-file-problems' }, problems.map((p) => h('li', { class: `ed-msg-${p.severity}`,
      text: `${name}:${p.line}:${p.column}: ${p.severity === 'error' ? 'lỗi' : 'cảnh báo'}: ${p.field ? p.field + ': ' : ''}${p.message}` })));
    return list;
  }

  function loadChecked(result, name) {
    if (!result.data) {
      note.replaceChildren(h('p', { class: 'ed-bad', text: `Không đọc được ${name}: hãy sửa các lỗi dưới đây (số dòng, số cột như trong tệp) rồi thử lại.` }), showFileProblems(result.problems, name));
      return;
    }
    const { fitted, dropped } = fromData(result.data);
    setModel(fitted, `Đã nạp ${name}.`, dropped);
    if (result.problems.length) {
      note.append(h('p', { text: `Khi nạp, ${name} có ${result.problems.length} vấn đề (dòng, cột trong tệp gốc):` }), showFileProblems(result.problems, name));
    }
  }

  function loadBytes(bytes, name) {
    const stem = name.replace(/\.[^.]*$/, '');
    loadChecked(validator.checkBytes(bytes, { file: name, stem, campaign, today: latestToday() }), name);
  }

  function loadText(text, name) {
    const probe = validator.check(text, { file: name, stem: '', campaign, today: latestToday() });
    const id = probe.data?.unit?.id;
    loadChecked(validator.check(text, { file: name, stem: typeof id === 'string' ? id : '', campaign, today: latestToday() }), name);
  }

  let published = null;
  async function publishedReports() {
    if (!published) published = await readReports(reportsUrl);
    return published;
  }

  async function loadExisting() {
    const id = unitId();
    if (!id) {
      note.replaceChildren(h('p', { class: 'ed-bad', text: 'Hãy chọn đơn vị trước (mục “Đơn vị của bạn”), rồi bấm lại.' }));
      return;
    }
    try {
      const doc = await publishedReports();
      const found = submissionOf(doc, id);
      if (!found) {
        note.replaceChildren(h('p', { text: `Đơn vị ${id} chưa có báo cáo nào trên trang; hãy điền báo cáo mới.` }));
        return;
      }
      const { fitted, dropped } = fromData(found.report);
      setModel(fitted, `Đã nạp báo cáo đã gửi của đơn vị (${found.file}).`, dropped);
    } catch {
      note.replaceChildren(h('p', { class: 'ed-bad', text: 'Không tải được dữ liệu báo cáo đã gửi; kiểm tra kết nối rồi thử lại.' }));
    }
  }

  function download() {
    refresh();
    const blob = new Blob([current.yaml], { type: 'text/yaml;charset=utf-8' });
    const a = h('a', { href: URL.createObjectURL(blob), download: fileName() });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 60000);
  }

  async function copy() {
    refresh();
    try {
      await navigator.clipboard.writeText(current.yaml);
      status.textContent = 'Đã sao chép nội dung tệp.';
    } catch {
      preview.closest('details').open = true;
      preview.select();
      status.textContent = document.execCommand('copy') ? 'Đã sao chép nội dung tệp.' : 'Hãy chọn toàn bộ nội dung trong khung rồi sao chép.';
    }
  }

  async function toGithub() {
    refresh();
    try {
      await publishedReports(); // does the unit have a file already? Then GitHub's edit page.
    } catch {
      /* offline: offer the new-file page */
    }
    const id = unitId();
    if (!id) {
      ghNote.textContent = 'Hãy chọn đơn vị trước.';
      return;
    }
    const exists = Boolean(published && submissionOf(published, id));
    const link = githubLink({ repository: campaign.repository.url, branch: campaign.repository.branch, unitId: id, yaml: current.yaml, exists });
    if (link.fits) {
      ghNote.textContent = 'Trang GitHub mở với nội dung tệp đã điền sẵn: bấm “Propose changes”, rồi “Create pull request”.';
      window.open(link.url, '_blank', 'noopener');
      return;
    }
    copy();
    ghNote.replaceChildren(
      h('span', { text: 'Nội dung đã được sao chép. Trên trang GitHub vừa mở, xóa nội dung cũ (nếu có) và dán nội dung mới vào, rồi bấm “Propose changes”.' }),
      h('br'), h('span', { text: 'Sau đó bấm “Create pull request”.' }));
    window.open(exists ? link.edit : link.url, '_blank', 'noopener');
  }

  // Keystrokes of the last 250 ms are saved too when the tab is closed or hidden.
  window.addEventListener('pagehide', () => timer !== null && refresh());
  document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && timer !== null && refresh());

  // --- a draft left from before --------------------------------------------------------------
  // A draft that cannot be opened is set aside (kept, downloadable), never lost, and the page opens.
  const draft = loadDraft(storage);
  if (draft) {
    try {
      const result = validator.check(draft.yaml, { file: 'bản nháp', stem: draft.unitId || '', campaign, today: latestToday() });
      if (result.data) {
        const { fitted, dropped } = fromData(result.data);
        const when = new Date(draft.savedAt).toLocaleString('vi-VN');
        setModel(fitted, draft.stamp === stamp
          ? `Đã khôi phục bản nháp lưu trên máy này lúc ${when}.`
          : `Đã khôi phục bản nháp lưu lúc ${when}, soạn theo mẫu báo cáo cũ: đã nạp những gì còn phù hợp với mẫu hiện tại.`, dropped);
        showSetAside();
        return;
      }
    } catch (e) {
      console.error(e);
    }
  }
  const justNow = setAsideDraft(storage); // a draft that could not be read (or not even as JSON)
  setModel(model, '');
  showSetAside(justNow || setAsideAgain);

  function showSetAside(justNow) {
    const text = setAsideText(storage);
    if (text === null) return;
    const href = URL.createObjectURL(new Blob([text], { type: 'text/yaml;charset=utf-8' }));
    const box = h('p', { class: 'ed-bad', id: 'ed-draft-aside' },
      h('span', { text: justNow
        ? 'Bản nháp lưu trên máy này không mở được, nên trang đã để riêng bản nháp đó (không xóa) và mở một báo cáo mới. '
        : 'Trên máy này còn giữ riêng một bản nháp cũ không mở được. ' }),
      h('a', { href, download: 'ban-nhap-khong-mo-duoc.yaml', text: 'Tải bản nháp cũ về máy' }),
      h('span', { text: ' để xem lại hoặc gửi cho huyện. ' }),
      h('button', { type: 'button', class: 'ed-link', text: 'Bỏ bản nháp cũ', onclick: () => {
        dropSetAside(storage);
        box.remove();
      } }));
    note.append(box);
  }
}

function failed(e) {
  app.replaceChildren(h('p', { class: 'ed-bad', text: `Không mở được trình soạn báo cáo (${e.message}). Hãy tải lại trang.` }));
  console.error(e);
}

// The page failed to open: if a saved draft may be the cause, set it aside and open once more.
let setAsideAgain = false;
main().catch((e) => {
  try {
    setAsideAgain = setAsideDraft(window.localStorage);
  } catch {
    /* no storage: nothing set aside */
  }
  if (setAsideAgain) main().catch(failed);
  else failed(e);
});

