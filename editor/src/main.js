// The page "Nộp báo cáo trực tuyến": loads the published schema, rules and messages, builds the
// form step by step (the steps come from the schema's structure), checks the report as the unit
// types, keeps a draft per unit, and hands over the file and a copy to print.
import * as YAML from '../vendor/yaml/index.js';
import {
  clearDraft, dropSetAside, lastUnit, loadDraft, saveDraft, schemaStamp, setAsideDraft, setAsideText,
} from './drafts.js';
import { emptyValue, fit, Form, h, yearlyLists } from './form.js';
import { githubLink } from './github.js';
import { printView } from './print.js';
import { readReports, submissionOf } from './published.js';
import { steps as stepsOf, view } from './schema.js';
import { createValidator, latestToday } from './validate.js';
import { dumpReport } from './yamlio.js';

const app = document.getElementById('ed-app');
const dataBase = new URL(app.dataset.data, location.href);
const reportsUrl = new URL(app.dataset.reports, location.href);
// How long a pause in typing is before the whole report is checked again (and the draft saved).
// A message shows when the person leaves the field, which checks at once; so while typing, a key
// only updates the report, and a slow phone checks the whole report when the person stops.
const PAUSE_MS = 1000;

async function fetchData() {
  // One file (schema/editor-data.json, written by the build): the report schema, rules.yaml's
  // text, the messages, the campaign, its roster and years. One request on a slow connection.
  const r = await fetch(new URL('editor-data.json', dataBase));
  if (!r.ok) throw new Error(`editor-data.json: ${r.status}`);
  return r.json();
}

const isFill = (p) => String(p.code).startsWith('fill-');

async function main() {
  const data = await fetchData();
  const { schema, campaign } = data;
  const validator = createValidator({ schema, rules: YAML.parse(data.rules), messages: data.messages });
  const stamp = schemaStamp(schema);
  const storage = window.localStorage;
  const district = campaign.reviewing_organisation || 'Huyện Đoàn';

  // The roster (ids titled with names) and the period's years of the campaign's own schema.
  const kinds = new Map(campaign.units.map((u) => [u.id, u.kind]));
  const rosterUnits = data.roster.map((o) => ({ id: o.const, name: o.title, kind: kinds.get(o.const) ?? null }));
  const unitName = (id) => rosterUnits.find((u) => u.id === id)?.name ?? id;
  const years = data.years;
  const yearly = yearlyLists(validator.evaluator.rules);
  const top = view(schema, schema);
  const steps = stepsOf(schema);
  const finishStep = steps[steps.length - 1];
  const blank = (id = null) => {
    const out = emptyValue(top, schema, [], yearly, years);
    out.status = 'draft';
    const u = rosterUnits.find((x) => x.id === id);
    if (u) out.unit = { id: u.id, name: u.name, kind: u.kind };
    return out;
  };

  let model = blank();
  let stepIndex = 0;
  const status = h('p', { class: 'ed-status', role: 'status', 'aria-live': 'polite' });
  const note = h('div', { class: 'ed-note', role: 'status' });
  const formBox = h('form', { class: 'ed-form', novalidate: true, onsubmit: (e) => e.preventDefault() });
  const form = new Form({
    schema, say: validator.say, model, rosterUnits, years, yearly, container: formBox, steps,
    onChange: () => schedule(), onLeave: () => left(), onUnit: (id) => switchUnit(id),
  });
  form.setShape(validator.shape);

  // --- the step bar and the buttons under each step ----------------------------------------------
  const chips = steps.map((s, i) => h('li', {}, h('button', { type: 'button', class: 'ed-chip', 'data-step': s.id, onclick: () => goto(i) },
    h('span', { class: 'ed-chip-n', text: String(i + 1) }), h('span', { class: 'ed-chip-name', text: s.short }),
    h('span', { class: 'ed-chip-state' }))));
  const where = h('p', { class: 'ed-where', 'aria-live': 'polite' });
  const bar = h('nav', { class: 'ed-stepbar', 'aria-label': 'Các bước của báo cáo' }, h('ol', {}, chips), where);
  const back = h('button', { type: 'button', class: 'ed-btn', id: 'ed-back', onclick: () => goto(stepIndex - 1) }, '‹ Quay lại');
  const next = h('button', { type: 'button', class: 'ed-btn ed-primary', id: 'ed-next', onclick: () => goto(stepIndex + 1) }, 'Tiếp ›');
  const stepNav = h('div', { class: 'ed-stepnav' }, back, next);

  // --- "Dành cho người dùng GitHub": files, pasting, the file's text, GitHub -----------------------
  const fileInput = h('input', { type: 'file', accept: '.yaml,.yml,text/yaml,text/plain', id: 'ed-file', class: 'ed-file', onchange: async (e) => {
    const f = e.target.files[0];
    if (f) loadBytes(new Uint8Array(await f.arrayBuffer()), f.name);
    e.target.value = '';
  } });
  const paste = h('textarea', { id: 'ed-paste', rows: 6, class: 'ed-input', placeholder: 'Dán toàn bộ nội dung tệp báo cáo vào đây' });
  const preview = h('textarea', { id: 'ed-yaml', class: 'ed-input ed-yaml', rows: 12, readonly: true, 'aria-label': 'Nội dung tệp báo cáo' });
  const ghNote = h('p', { class: 'ed-help', id: 'ed-github-note' });
  const ghBlocked = h('p', { class: 'ed-help', id: 'ed-github-blocked' });
  const ghButton = campaign.repository?.url ? h('button', { type: 'button', class: 'ed-btn', id: 'ed-github', onclick: toGithub }, 'Gửi lên GitHub') : null;
  const ghBox = h('details', { class: 'ed-gh-box', id: 'ed-gh-box' }, h('summary', { text: 'Dành cho người dùng GitHub' }),
    h('p', { class: 'ed-help', text: 'Phần này dành cho đơn vị đã có tệp báo cáo (.yaml) hoặc gửi báo cáo qua GitHub. Không cần dùng phần này để điền và gửi báo cáo cho Huyện Đoàn.' }),
    h('div', { class: 'ed-buttons' }, h('label', { class: 'ed-btn', for: 'ed-file' }, 'Mở tệp báo cáo trên máy'), fileInput),
    h('details', { class: 'ed-paste-box' }, h('summary', { text: 'Dán nội dung tệp báo cáo' }),
      h('label', { for: 'ed-paste', text: 'Nội dung tệp báo cáo' }), paste,
      h('button', { type: 'button', class: 'ed-btn', id: 'ed-paste-read', onclick: () => loadText(paste.value, 'nội dung dán') }, 'Đọc nội dung đã dán')),
    h('details', {}, h('summary', { text: 'Xem nội dung tệp' }), preview),
    h('div', { class: 'ed-buttons' }, h('button', { type: 'button', class: 'ed-btn', id: 'ed-copy', onclick: copy }, 'Sao chép nội dung tệp'), ghButton),
    ghBlocked, ghNote);

  const printBox = h('div', { id: 'ed-print', hidden: true });
  const main = h('div', { class: 'ed-main' }, bar, note, formBox, stepNav, status, ghBox);
  app.replaceChildren(main, printBox);

  // --- what each step adds to the form's fields ----------------------------------------------------
  const verdict = h('p', { id: 'ed-verdict' });
  const problemsBox = h('div', { class: 'ed-problems', id: 'ed-problems' });
  const fileName = () => `${unitId() || 'bao-cao'}.yaml`;
  const fileNameEl = h('strong', { class: 'ed-filename' });
  const downloadButton = h('button', { type: 'button', class: 'ed-btn ed-primary', id: 'ed-download', onclick: download }, 'Tải tệp về máy');
  form.decorate = (step, el) => {
    if (step.id === 'unit') {
      el.append(h('div', { class: 'ed-start' },
        h('p', { class: 'ed-help', text: 'Đơn vị đã gửi báo cáo trước đây có thể mở lại báo cáo đó để sửa.' }),
        h('div', { class: 'ed-buttons' },
          h('button', { type: 'button', class: 'ed-btn', id: 'ed-existing', onclick: loadExisting }, 'Mở báo cáo đã gửi của đơn vị'),
          h('button', { type: 'button', class: 'ed-btn', id: 'ed-new', onclick: startBlank }, 'Bắt đầu lại từ báo cáo trống'))));
    }
    if (step.id === 'finish') el.append(handoff());
  };

  function handoff() {
    const contact = campaign.contact;
    const lines = [];
    if (contact) {
      if (contact.person) lines.push(['Người nhận', contact.person]);
      if (contact.zalo) lines.push(['Zalo', contact.zalo]);
      if (contact.phone) lines.push(['Điện thoại', contact.phone]);
      if (contact.email) lines.push(['Thư điện tử', contact.email]);
      if (contact.address) lines.push(['Địa chỉ nhận bản giấy', contact.address]);
    }
    const contactBox = lines.length
      ? h('dl', { class: 'ed-contact', id: 'ed-contact' }, lines.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })]))
      : h('p', { class: 'ed-contact', id: 'ed-contact', text: `Hỏi ${district} địa chỉ Zalo hoặc thư điện tử nhận báo cáo.` });
    const nextSteps = contact?.next_steps || `${district} kiểm tra tệp, báo lại cho đơn vị nếu cần sửa, rồi đưa báo cáo lên trang tổng hợp; báo cáo chỉ được tính là đã gửi khi là bản chính thức.`;
    return h('div', { class: 'ed-handoff' },
      verdict, problemsBox,
      h('h3', { id: 'ed-send-h', text: `Gửi cho ${district}` }),
      h('ol', { class: 'ed-send-steps' },
        h('li', {}, h('span', { text: 'Tải tệp báo cáo về máy. Tệp có tên ' }), fileNameEl,
          h('span', { text: '. Trên điện thoại, tệp nằm trong thư mục Tải xuống (Download): mở ứng dụng Tệp hoặc Quản lý tệp để tìm.' }),
          h('div', { class: 'ed-buttons' }, downloadButton)),
        h('li', {}, h('span', { text: `Gửi tệp đó cho ${district} qua Zalo hoặc thư điện tử (đính kèm tệp):` }), contactBox,
          contact?.sample ? h('p', { class: 'ed-sample', text: 'Đây là thông tin mẫu; Huyện Đoàn sẽ thay bằng thông tin thật.' }) : null),
        h('li', {}, h('span', { text: 'Mở “Bản in”, in ra (hoặc lưu thành PDF), ký, đóng dấu, rồi gửi bản giấy hoặc ảnh chụp của bản có dấu.' }),
          h('div', { class: 'ed-buttons' }, h('button', { type: 'button', class: 'ed-btn', id: 'ed-print-open', onclick: openPrint }, 'Bản in')))),
      h('h3', { text: `${district} làm gì tiếp` }), h('p', { id: 'ed-next-steps', text: nextSteps }));
  }

  // --- checking ----------------------------------------------------------------------------------
  let timer = null;
  // A field left by tapping a button is checked once the tap is over: a message appearing under
  // the field between the finger's down and up would move the button away from under it.
  let pointerDown = false;
  let leftWhileDown = false;
  document.addEventListener('pointerdown', () => { pointerDown = true; }, true);
  document.addEventListener('pointerup', () => {
    pointerDown = false;
    if (leftWhileDown) {
      leftWhileDown = false;
      setTimeout(refresh, 0);
    }
  }, true);
  function left() {
    if (pointerDown) leftWhileDown = true;
    else refresh();
  }
  let current = { yaml: '', problems: [] };
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, PAUSE_MS);
  }

  const unitId = () => (typeof model.unit?.id === 'string' && model.unit.id ? model.unit.id : null);

  function refresh() {
    clearTimeout(timer);
    timer = null;
    const yaml = dumpReport(model, schema, campaign.schema_url);
    const result = validator.check(yaml, { file: fileName(), stem: unitId() || '', campaign, today: latestToday() });
    current = { yaml, problems: result.problems };
    form.showProblems(said(result.problems));
    showStates();
    if (steps[stepIndex] === finishStep) showFinish();
    preview.value = yaml;
    if (ghButton) {
      // GitHub is offered only for a file the check accepts: a pull request would be refused.
      const errors = errorsOf(result.problems).length;
      ghButton.disabled = errors > 0;
      ghBlocked.textContent = errors ? `Chỉ gửi lên GitHub được khi báo cáo không còn lỗi (còn ${errors} lỗi: xem bước Hoàn tất).` : '';
    }
    // An untouched empty report is no draft: nothing to keep, nothing to offer back next time.
    if (!loadDraft(storage, unitId()) && yaml === dumped(blank(unitId()))) {
      status.textContent = '';
    } else if (saveDraft(storage, { yaml, stamp, unitId: unitId() })) {
      status.textContent = `Bản nháp của ${unitId() ? unitName(unitId()) : 'báo cáo'} đã được lưu trên máy này lúc ${new Date().toLocaleTimeString('vi-VN')}.`;
    } else status.textContent = 'Trình duyệt không cho lưu bản nháp: hãy tải tệp về máy trước khi đóng trang.';
  }

  const errorsOf = (problems) => problems.filter((p) => p.severity === 'error');

  /**
   * The problems as the page says them: the CLI's words, except that while no unit is chosen
   * the file's unit fields (its id, name, kind, which the picker fills) are one plain request.
   */
  function said(problems) {
    if (unitId()) return problems;
    const others = problems.filter((p) => p.path[0] !== 'unit');
    if (others.length === problems.length) return problems;
    return [{ path: ['unit', 'id'], severity: 'error', code: 'chon-don-vi', field: '', line: 0, column: 0,
      message: 'Chưa chọn đơn vị: hãy chọn đơn vị của bạn trong danh sách ở bước 1.' }, ...others];
  }
  const skeletons = new Map();
  function started(step) {
    if (!skeletons.has(null)) skeletons.set(null, blank());
    const empty = skeletons.get(null);
    return step.keys.some((k) => JSON.stringify(model[k]) !== JSON.stringify(empty[k]));
  }

  /** Each step's state in the bar: chưa bắt đầu / còn N mục / có lỗi / xong. An error is never green. */
  function stateOf(step) {
    const mine = current.problems.filter((p) => step.keys.includes(p.path[0]) || (!p.path.length && step.id === 'unit'));
    const wrong = mine.filter((p) => p.severity === 'error' && !isFill(p)).length;
    const left = mine.filter(isFill).length;
    if (step === finishStep) return errorsOf(current.problems).length ? ['left', 'chưa xong'] : ['done', 'sẵn sàng'];
    // A part nothing was written in yet is "not started", whatever it lacks; one left empty on
    // purpose (no documents to list) is done once the person has been through it.
    if (!started(step) && (left || wrong || !form.leftSteps.has(step.id))) return ['new', 'chưa bắt đầu'];
    if (wrong) return ['error', `có ${wrong} lỗi`];
    if (left) return ['left', `còn ${left} mục`];
    return ['done', 'xong'];
  }

  function showStates() {
    steps.forEach((s, i) => {
      const [kind, text] = stateOf(s);
      const chip = chips[i].firstChild;
      chip.dataset.state = kind;
      chip.lastChild.textContent = { new: '–', done: '✓ xong', error: text.replace('có ', ''), left: text.replace(' mục', '') }[kind];
      chip.setAttribute('aria-label', `Bước ${i + 1}: ${s.title} — ${text}`);
      if (i === stepIndex) {
        chip.setAttribute('aria-current', 'step');
        where.textContent = `Bước ${i + 1}/${steps.length}: ${s.short} — ${text}`;
      } else chip.removeAttribute('aria-current');
    });
  }

  /** Hoàn tất: the verdict, then every problem grouped by part, each a link to its field. */
  function showFinish() {
    const problems = said(current.problems);
    const errors = errorsOf(current.problems).length;
    const warnings = current.problems.length - errors;
    fileNameEl.textContent = fileName();
    verdict.className = errors ? 'ed-bad' : 'ed-good';
    verdict.textContent = errors
      ? `Còn ${errors} lỗi cần sửa${warnings ? ` và ${warnings} cảnh báo` : ''}. Tệp vẫn tải về được để lưu, nhưng ${district} chỉ nhận khi hết lỗi.`
      : model.status === 'final'
        ? `Báo cáo chính thức không có lỗi${warnings ? ` (${warnings} cảnh báo)` : ''}: sẵn sàng gửi.`
        : `Bản nháp không có lỗi; còn ${warnings} cảnh báo (thường là mục chưa điền). Khi điền xong, chọn “Chính thức”.`;
    problemsBox.replaceChildren();
    if (!problems.length) return;
    problemsBox.append(h('h3', { text: errors ? 'Những chỗ cần sửa' : 'Những chỗ nên xem lại' }));
    for (const s of steps) {
      const mine = problems.filter((p) => s.keys.includes(p.path[0]) || (!p.path.length && s.id === 'unit'));
      if (!mine.length) continue;
      const group = h('div', { class: 'ed-problem-group' }, h('h4', { text: `${s.short}${s.short === s.title ? '' : ' — ' + s.title}` }));
      const list = h('ul', {});
      for (const p of mine) {
        list.append(h('li', { class: `ed-msg-${p.severity}` }, h('a', { href: '#', class: 'ed-problem-link', 'data-path': JSON.stringify(p.path), onclick: (e) => {
          e.preventDefault();
          goto(steps.indexOf(s), { field: p.path });
        } }, `${p.severity === 'error' ? 'Lỗi' : 'Cảnh báo'}: ${p.field ? p.field + ': ' : ''}${p.message}`)));
      }
      group.append(list);
      problemsBox.append(group);
    }
  }

  // --- moving between steps -----------------------------------------------------------------------
  function goto(index, { field = null, scroll = true } = {}) {
    if (index < 0 || index >= steps.length) return;
    if (timer !== null) refresh();
    if (index !== stepIndex) form.leftSteps.add(steps[stepIndex].id);
    stepIndex = index;
    const step = steps[index];
    if (step === finishStep) form.reveal = 'all';
    const el = form.stepElement(step);
    for (const other of formBox.children) other.hidden = other !== el;
    back.hidden = index === 0;
    next.hidden = index === steps.length - 1;
    next.textContent = index === steps.length - 2 ? 'Tiếp: Hoàn tất ›' : 'Tiếp ›';
    form.showProblems(said(current.problems));
    showStates();
    if (step === finishStep) showFinish();
    chips[index].scrollIntoView?.({ block: 'nearest', inline: 'center' });
    if (field) {
      const { el: holder } = form.fieldOf(field);
      const control = holder?.querySelector('input:not([type=hidden]):not([disabled]), select, textarea') || holder;
      if (control) {
        if (!control.matches('input, select, textarea')) control.setAttribute('tabindex', '-1');
        control.scrollIntoView({ block: 'center' });
        control.focus({ preventScroll: true });
      }
    } else if (scroll) {
      // The step's title just under the sticky step bar (editor.css: its scroll-margin-top).
      const title = el.querySelector('.ed-step-title');
      title.scrollIntoView({ block: 'start' });
      title.focus({ preventScroll: true });
    }
  }

  // --- one draft per unit; nothing replaced without asking ------------------------------------------
  const whenOf = (d) => new Date(d.savedAt).toLocaleString('vi-VN');
  const ownerOf = (id) => (id ? `đơn vị ${unitName(id)}` : 'báo cáo chưa chọn đơn vị');
  const dumped = (data) => dumpReport(data, schema, campaign.schema_url);

  /** May `what` replace the draft kept for unit `id`? Asks when that draft holds something else. */
  function mayReplace(what, id, yaml) {
    if (timer !== null) refresh();
    const d = loadDraft(storage, id);
    if (!d || d.yaml === yaml || d.yaml === dumped(blank(id))) return true;
    return window.confirm(`Trên máy này có bản nháp của ${ownerOf(id)}, lưu lúc ${whenOf(d)}. ${what} sẽ thay bản nháp đó.\n\nBấm OK để thay. Bấm Hủy để giữ bản nháp.`);
  }

  function switchUnit(id) {
    const from = unitId();
    if (id === from) return;
    if (timer !== null) refresh();
    const theirs = loadDraft(storage, id);
    const mine = dumped(model) !== dumped(blank(from));
    if (!from && mine && id) {
      // What was typed before a unit was chosen becomes that unit's report, unless it has its own.
      if (!theirs || theirs.yaml === dumped(blank(id)) || !window.confirm(
        `${unitName(id)} đã có bản nháp lưu trên máy này lúc ${whenOf(theirs)}.\n\nBấm OK để mở bản nháp đó (nội dung đang soạn vẫn được giữ riêng). Bấm Hủy để dùng nội dung đang soạn cho đơn vị này, thay bản nháp cũ.`)) {
        model.unit = blank(id).unit;
        clearDraft(storage, null);
        form.refreshUnit();
        note.replaceChildren(h('p', { text: `Nội dung đang soạn là báo cáo của ${unitName(id)}.` }));
        refresh();
        return;
      }
    }
    const kept = mine ? ` Bản nháp của ${ownerOf(from)} vẫn được giữ trên máy này.` : '';
    if (theirs && restore(theirs, `Đã mở bản nháp của ${ownerOf(id)}, lưu lúc ${whenOf(theirs)}.${kept}`)) return;
    setModel(blank(id), `Báo cáo mới của ${ownerOf(id)}.${kept}`);
  }

  function setModel(next, message, dropped = [], reveal = 'touched') {
    model = next;
    form.model = model;
    form.render();
    form.resetReveal(reveal);
    note.replaceChildren();
    if (message) note.append(h('p', { text: message }));
    if (dropped.length) {
      note.append(h('p', { text: 'Những mục sau không còn trong mẫu báo cáo hiện tại nên không được nạp (hãy chép nội dung sang mục phù hợp nếu cần):' }),
        h('ul', {}, dropped.map((d) => h('li', { text: d }))));
    }
    refresh();
    goto(stepIndex, { scroll: false });
  }

  function fromData(data) {
    const dropped = [];
    const fitted = fit(data, blank(), top, schema, [], dropped, []);
    return { fitted, dropped };
  }

  function startBlank() {
    if (!mayReplace('Một báo cáo trống', unitId(), dumped(blank(unitId())))) return;
    setModel(blank(unitId()), 'Đã mở một báo cáo trống.');
  }

  function showFileProblems(problems, name) {
    return h('ul', { class: 'ed-file-problems' }, problems.map((p) => h('li', { class: `ed-msg-${p.severity}`,
      text: `${name}:${p.line}:${p.column}: ${p.severity === 'error' ? 'lỗi' : 'cảnh báo'}: ${p.field ? p.field + ': ' : ''}${p.message}` })));
  }

  function loadChecked(result, name) {
    if (!result.data) {
      note.replaceChildren(h('p', { class: 'ed-bad', text: `Không đọc được ${name}: hãy sửa các lỗi dưới đây (số dòng, số cột như trong tệp) rồi thử lại.` }), showFileProblems(result.problems, name));
      return;
    }
    const { fitted, dropped } = fromData(result.data);
    if (!mayReplace(`Nội dung ${name}`, fitted.unit?.id || null, dumped(fitted))) return;
    setModel(fitted, `Đã nạp ${name}.`, dropped, 'wrong');
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
      note.replaceChildren(h('p', { class: 'ed-bad', text: 'Hãy chọn đơn vị trước (ô “Đơn vị của bạn”), rồi bấm lại.' }));
      return;
    }
    try {
      const doc = await publishedReports();
      const found = submissionOf(doc, id);
      if (!found) {
        note.replaceChildren(h('p', { text: `${unitName(id)} chưa có báo cáo nào trên trang; hãy điền báo cáo mới.` }));
        return;
      }
      const { fitted, dropped } = fromData(found.report);
      if (!mayReplace('Báo cáo đã gửi của đơn vị', id, dumped(fitted))) return;
      setModel(fitted, `Đã nạp báo cáo đã gửi của đơn vị (${found.file}).`, dropped, 'wrong');
    } catch {
      note.replaceChildren(h('p', { class: 'ed-bad', text: 'Không tải được báo cáo đã gửi; kiểm tra kết nối rồi thử lại.' }));
    }
  }

  // --- handing the file over -------------------------------------------------------------------------
  function download() {
    refresh();
    const blob = new Blob([current.yaml], { type: 'text/yaml;charset=utf-8' });
    const a = h('a', { href: URL.createObjectURL(blob), download: fileName() });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 60000);
    status.textContent = `Đã tải về tệp ${fileName()} (trên điện thoại: thư mục Tải xuống / Download).`;
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
    const id = unitId();
    if (!id) {
      ghNote.textContent = 'Hãy chọn đơn vị trước.';
      return;
    }
    const errors = errorsOf(current.problems).length;
    if (errors) {
      // GitHub only takes a file the check accepts: the pull request would be refused anyway.
      ghNote.textContent = `Báo cáo còn ${errors} lỗi: sửa hết lỗi (xem bước Hoàn tất) rồi mới gửi lên GitHub.`;
      return;
    }
    try {
      await publishedReports(); // does the unit have a file already? Then GitHub's edit page.
    } catch {
      /* offline: offer the new-file page */
    }
    const exists = Boolean(published && submissionOf(published, id));
    const link = githubLink({ repository: campaign.repository.url, branch: campaign.repository.branch, unitId: id, yaml: current.yaml, exists });
    const buttons = '“Propose changes” (đề xuất thay đổi), rồi “Create pull request” (tạo yêu cầu gộp)';
    if (link.fits) {
      ghNote.textContent = `Trang GitHub mở với nội dung tệp đã điền sẵn: bấm ${buttons}.`;
      window.open(link.url, '_blank', 'noopener');
      return;
    }
    copy();
    ghNote.textContent = `Nội dung đã được sao chép. Trên trang GitHub vừa mở, xóa nội dung cũ (nếu có) và dán nội dung mới vào, rồi bấm ${buttons}.`;
    window.open(exists ? link.edit : link.url, '_blank', 'noopener');
  }

  // --- the copy to print -------------------------------------------------------------------------
  function openPrint() {
    refresh();
    printBox.replaceChildren(
      h('div', { class: 'ed-print-bar' },
        h('button', { type: 'button', class: 'ed-btn ed-primary', id: 'ed-print-go', onclick: () => window.print() }, 'In hoặc lưu thành PDF'),
        h('button', { type: 'button', class: 'ed-btn', id: 'ed-print-close', onclick: closePrint }, '‹ Quay lại biểu mẫu')),
      printView({ schema, report: model, campaign, years }));
    main.hidden = true;
    printBox.hidden = false;
    document.body.classList.add('ed-printing');
    printBox.scrollIntoView({ block: 'start' });
  }

  function closePrint() {
    printBox.hidden = true;
    main.hidden = false;
    document.body.classList.remove('ed-printing');
    goto(stepIndex);
  }

  // Keystrokes of the last pause are saved too when the tab is closed or hidden.
  window.addEventListener('pagehide', () => timer !== null && refresh());
  document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && timer !== null && refresh());

  // --- the draft left from before ----------------------------------------------------------------
  // A draft that cannot be opened is set aside (kept, downloadable), never lost, and the page opens.
  function restore(draft, message) {
    const result = validator.check(draft.yaml, { file: 'bản nháp', stem: draft.unitId || '', campaign, today: latestToday() });
    if (!result.data) return false;
    const { fitted, dropped } = fromData(result.data);
    setModel(fitted, draft.stamp === stamp ? message
      : `${message} Bản nháp này soạn theo mẫu báo cáo cũ: đã nạp những gì còn phù hợp với mẫu hiện tại.`, dropped);
    return true;
  }

  const last = lastUnit(storage);
  const draft = last === null ? null : loadDraft(storage, last);
  if (draft) {
    try {
      if (restore(draft, `Đã khôi phục bản nháp của ${ownerOf(draft.unitId)}, lưu trên máy này lúc ${whenOf(draft)}.`)) {
        showSetAside();
        return;
      }
    } catch (e) {
      console.error(e);
    }
  }
  const justNow = setAsideDraft(storage, last === null ? undefined : last); // could not be read (or not even as JSON)
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
  app.replaceChildren(h('p', { class: 'ed-bad', text: `Không mở được trang soạn báo cáo (${e.message}). Hãy tải lại trang.` }));
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
