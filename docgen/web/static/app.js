/* docgen's page: plain JavaScript, no build step, no CDN. Every URL is relative, so the page
 * works under any prefix (behind nginx at /docgen/, say). */
"use strict";

// ---------------------------------------------------------------- texts: 中文 and English
const I18N = {
  zh: {
    "app.title": "docgen 文档生成",
    "app.subtitle": "把文字整理成格式规范的学校文档",
    "tab.compose": "生成文档",
    "tab.batch": "批量生成",
    "tab.check": "检查/修正",
    "check.title": "检查或修正 Word 文档",
    "check.hint": "上传 .docx，按模板的规范检查；修正会统一标点、日期、序号和格式，不丢失文字。",
    "check.template": "模板",
    "check.check": "检查",
    "check.fix": "修正",
    "check.download": "下载修正后的文档",
    "check.changes": "改动",
    "check.findings": "与模板规范不符之处",
    "check.nofile": "请先选择一个 .docx 文件。",
    "check.ok": "符合模板 {template} 的规范，未发现问题。",
    "check.found": "与模板 {template} 的规范有 {count} 处不符。",
    "check.fixed": "按模板 {template} 修正了 {count} 处；修正后还有 {left} 处不符。",
    "check.page": "页面",
    "check.para": "第{n}段“{excerpt}”",
    "check.detail": "应为：{expected}；实为：{found}",
    "check.pages": "上传的文档",
    "check.fixedPages": "修正后的文档",
    "check.noPreview": "无法生成页面预览（{reason}），只列出检查结果。",
    "token.label": "令牌",
    "token.placeholder": "管理员提供的令牌",
    "input.title": "输入文字",
    "input.hint": "粘贴已有的总结、计划、通知，或上传 .txt / .md / .docx 文件，docgen 会识别标题、各级标题和落款。",
    "input.placeholder": "在这里粘贴文字……",
    "input.file": "选择文件",
    "input.format": "格式",
    "input.format.auto": "自动",
    "input.format.text": "纯文本",
    "input.normalize": "半角标点改为全角",
    "input.import": "识别结构",
    "input.example": "从模板示例开始",
    "input.blank": "空白文档",
    "input.nothing": "请先粘贴文字或选择文件。",
    "edit.title": "检查并修改结构",
    "edit.hint": "标题不写编号：生成时由模板自动编号（一、 1、 （1）……），移动或插入标题后编号自动更新。",
    "edit.empty": "先在第 1 步输入文字，或从模板示例开始。",
    "edit.raw": "高级：直接编辑 JSON 数据",
    "edit.raw.apply": "应用 JSON",
    "edit.raw.bad": "JSON 有误：",
    "edit.plain": "这个模板使用普通数据（不是报告）：请在下面的 JSON 中填写各字段。",
    "edit.doc": "标题与状态",
    "edit.docTitle": "标题",
    "edit.status": "状态",
    "edit.status.ph": "如：初稿（显示为（初稿））",
    "edit.term": "学期",
    "edit.term.ph": "如：2013学年第一学期",
    "edit.intro": "导语",
    "edit.intro.hint": "第一个标题之前的段落",
    "edit.sections": "正文各节",
    "edit.closing": "结束语",
    "edit.closing.hint": "最后一节之后的段落",
    "edit.signature": "落款",
    "edit.org": "署名单位",
    "edit.name": "署名人",
    "edit.date": "日期",
    "edit.date.ph": "2014-01 或 2014-01-15",
    "edit.dateStyle": "日期写法",
    "edit.attachments": "附件",
    "edit.attachments.ph": "每行一个附件名称",
    "edit.fields": "模板字段",
    "edit.sectionTitle": "标题（不写编号）",
    "edit.addPara": "＋ 段落",
    "edit.addSection": "＋ 一级标题",
    "edit.addSub": "＋ 下级标题",
    "edit.up": "上移",
    "edit.down": "下移",
    "edit.delete": "删除",
    "edit.paragraph.ph": "段落文字",
    "block.table": "表格（{n} 行）",
    "block.bullet_list": "项目列表（{n} 项）",
    "block.numbered_list": "编号列表（{n} 项）",
    "block.image": "图片",
    "block.page_break": "分页",
    "block.keep": "保留原样",
    "out.title": "预览与下载",
    "out.numbering": "编号方案",
    "out.numbering.template": "按模板",
    "out.filename": "文件名",
    "out.filename.placeholder": "默认用标题",
    "out.preview": "预览页面",
    "out.docx": "下载 Word (.docx)",
    "out.pdf": "下载 PDF",
    "out.page": "第 {n} 页",
    "out.more": "（只显示前 {n} 页）",
    "out.nothing": "还没有内容：请先完成第 1、2 步。",
    "out.noOffice": "服务器没有安装 LibreOffice：不能预览或生成 PDF，只能下载 Word 文档。",
    "tpl.title": "模板",
    "tpl.numbering": "编号：",
    "tpl.loading": "正在生成预览……",
    "tpl.noPreview": "没有预览图",
    "tpl.plain": "（普通数据模板）",
    "common.working": "正在处理……",
    "err.title": "出错了",
    "err.where": "位置",
    "err.expected": "应为",
    "err.found": "实际",
    "err.network": "无法连接服务器",
    "err.token": "需要令牌：请在右上角填写管理员提供的令牌。",
    "batch.title": "按表格批量生成",
    "batch.hint": "上传 Excel (.xlsx) 或 CSV 表格：第一行是列名（带点的列名表示嵌套，如 student.name），每一行生成一份文档，全部打包成 zip。出错的行会写进 zip 里的 report.json。",
    "batch.template": "模板",
    "batch.file": "表格文件",
    "batch.name": "文件名",
    "batch.name.hint": "文件名可以引用列名，如 {student.name}；{n} 是序号。不填时用 {title} 或序号。",
    "batch.start": "开始生成",
    "batch.upload": "上传",
    "batch.render": "生成",
    "batch.download": "下载 zip",
    "batch.row": "记录",
    "batch.reason": "原因",
    "batch.noFile": "请选择表格文件。",
    "batch.state.queued": "排队中……",
    "batch.state.reading": "正在读取表格……",
    "batch.state.rendering": "正在生成……",
    "batch.state.done": "完成",
    "batch.state.failed": "失败",
    "batch.summary": "共 {total} 条记录：生成 {written} 份，失败 {failed} 条。",
    "foot.api": "API 文档",
    "lang.switch": "English",
  },
  en: {
    "app.title": "docgen",
    "app.subtitle": "Well-formed Chinese school documents from your text",
    "tab.compose": "One document",
    "tab.batch": "Batch",
    "tab.check": "Check / fix",
    "check.title": "Check or fix a Word document",
    "check.hint": "Upload a .docx to check it against a template; a fix makes punctuation, dates, numbering and formatting the template's, keeping every sentence.",
    "check.template": "Template",
    "check.check": "Check",
    "check.fix": "Fix",
    "check.download": "Download the fixed document",
    "check.changes": "Changes",
    "check.findings": "Where it departs from the template",
    "check.nofile": "Choose a .docx file first.",
    "check.ok": "Follows the conventions of {template}: nothing found.",
    "check.found": "{count} place(s) depart from the conventions of {template}.",
    "check.fixed": "Fixed by {template}: {count} change(s); {left} finding(s) left.",
    "check.page": "Page",
    "check.para": "paragraph {n} “{excerpt}”",
    "check.detail": "expected: {expected}; found: {found}",
    "kind.标点": "punctuation",
    "kind.日期": "date",
    "kind.编号": "numbering",
    "kind.标题": "level",
    "kind.格式": "formatting",
    "kind.空段落": "empty paragraph",
    "kind.页面": "page setup",
    "check.pages": "The uploaded document",
    "check.fixedPages": "The fixed document",
    "check.noPreview": "No page preview ({reason}): the findings only.",
    "token.label": "Token",
    "token.placeholder": "the token from your administrator",
    "input.title": "Text",
    "input.hint": "Paste an existing summary, plan or notice, or upload a .txt / .md / .docx file; docgen finds the title, the headings at every level and the signature.",
    "input.placeholder": "Paste text here…",
    "input.file": "Choose a file",
    "input.format": "Format",
    "input.format.auto": "Automatic",
    "input.format.text": "Plain text",
    "input.normalize": "Full-width punctuation",
    "input.import": "Find the structure",
    "input.example": "Start from the template's example",
    "input.blank": "Blank document",
    "input.nothing": "Paste text or choose a file first.",
    "edit.title": "Check and fix the structure",
    "edit.hint": "Write headings without numbers: the template numbers them (一、 1、 （1）…) and renumbers after a move.",
    "edit.empty": "Enter text in step 1, or start from the template's example.",
    "edit.raw": "Advanced: edit the JSON data",
    "edit.raw.apply": "Apply JSON",
    "edit.raw.bad": "The JSON is wrong: ",
    "edit.plain": "This template takes plain data (not a report): fill in its fields in the JSON below.",
    "edit.doc": "Title and status",
    "edit.docTitle": "Title",
    "edit.status": "Status",
    "edit.status.ph": "e.g. 初稿 (shown as （初稿）)",
    "edit.term": "Term",
    "edit.term.ph": "e.g. 2013学年第一学期",
    "edit.intro": "Intro",
    "edit.intro.hint": "paragraphs before the first heading",
    "edit.sections": "Sections",
    "edit.closing": "Closing",
    "edit.closing.hint": "paragraphs after the last section",
    "edit.signature": "Signature",
    "edit.org": "Organisation",
    "edit.name": "Name",
    "edit.date": "Date",
    "edit.date.ph": "2014-01 or 2014-01-15",
    "edit.dateStyle": "Date style",
    "edit.attachments": "Attachments",
    "edit.attachments.ph": "one attachment name per line",
    "edit.fields": "Template fields",
    "edit.sectionTitle": "heading (without its number)",
    "edit.addPara": "+ Paragraph",
    "edit.addSection": "+ Section",
    "edit.addSub": "+ Subsection",
    "edit.up": "Up",
    "edit.down": "Down",
    "edit.delete": "Delete",
    "edit.paragraph.ph": "paragraph text",
    "block.table": "Table ({n} rows)",
    "block.bullet_list": "Bulleted list ({n} items)",
    "block.numbered_list": "Numbered list ({n} items)",
    "block.image": "Picture",
    "block.page_break": "Page break",
    "block.keep": "kept as it is",
    "out.title": "Preview and download",
    "out.numbering": "Numbering",
    "out.numbering.template": "The template's",
    "out.filename": "File name",
    "out.filename.placeholder": "default: the title",
    "out.preview": "Preview pages",
    "out.docx": "Download Word (.docx)",
    "out.pdf": "Download PDF",
    "out.page": "Page {n}",
    "out.more": "(first {n} pages only)",
    "out.nothing": "Nothing to render yet: do steps 1 and 2 first.",
    "out.noOffice": "LibreOffice is not installed on the server: no previews or PDF, Word documents only.",
    "tpl.title": "Template",
    "tpl.numbering": "Numbering: ",
    "tpl.loading": "Drawing a preview…",
    "tpl.noPreview": "no preview",
    "tpl.plain": "(plain data template)",
    "common.working": "Working…",
    "err.title": "Something is wrong",
    "err.where": "Where",
    "err.expected": "Expected",
    "err.found": "Found",
    "err.network": "Cannot reach the server",
    "err.token": "A token is needed: enter the one your administrator gave you (top right).",
    "batch.title": "Documents from a spreadsheet",
    "batch.hint": "Upload an Excel (.xlsx) or CSV sheet: the first row names the columns (a dotted name nests, e.g. student.name); each row becomes one document, all in one zip. Rows that fail are listed in the zip's report.json.",
    "batch.template": "Template",
    "batch.file": "Spreadsheet",
    "batch.name": "File names",
    "batch.name.hint": "File names may use columns, e.g. {student.name}; {n} is the number. Empty: {title} or the number.",
    "batch.start": "Start",
    "batch.upload": "Upload",
    "batch.render": "Rendering",
    "batch.download": "Download zip",
    "batch.row": "Record",
    "batch.reason": "Reason",
    "batch.noFile": "Choose a spreadsheet first.",
    "batch.state.queued": "Waiting…",
    "batch.state.reading": "Reading the sheet…",
    "batch.state.rendering": "Rendering…",
    "batch.state.done": "Done",
    "batch.state.failed": "Failed",
    "batch.summary": "{total} records: {written} documents written, {failed} failed.",
    "foot.api": "API documentation",
    "lang.switch": "中文",
  },
};

let lang = localStorage.getItem("docgen.lang") === "en" ? "en" : "zh";

function t(key, values) {
  let text = (I18N[lang] && I18N[lang][key]) || I18N.zh[key] || key;
  for (const [name, value] of Object.entries(values || {})) {
    text = text.split("{" + name + "}").join(String(value));
  }
  return text;
}

function applyLanguage() {
  document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-placeholder]")) {
    el.placeholder = t(el.dataset.i18nPlaceholder);
  }
  const button = $("lang");
  button.textContent = t("lang.switch");
  button.lang = lang === "en" ? "zh-CN" : "en";
  renderEditor();
  showTemplate();
}

// ---------------------------------------------------------------- small helpers
function $(id) { return document.getElementById(id); }

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key in node && key !== "list") node[key] = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function show(node, visible) { node.classList.toggle("hidden", !visible); }

function autosize(area) {
  area.style.height = "auto";
  area.style.height = Math.min(area.scrollHeight + 2, 480) + "px";
}

// ---------------------------------------------------------------- talking to the API
const state = {
  health: null,
  templates: [],
  info: {},           // template name → GET /api/templates/{name}
  template: "",
  data: null,         // the report (or plain data) being edited
  warnings: [],
  thumbs: {},         // template name → object URL
  batchJob: null,
};

function authHeaders() {
  const token = $("token").value.trim();
  return token ? { Authorization: "Bearer " + token } : {};
}

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || "HTTP " + status);
    this.status = status;
    this.body = body || {};
  }
}

async function api(path, options) {
  const opts = Object.assign({}, options || {});
  // the server's messages (errors, a check's findings, a fix's changes) in the page's language
  const language = { "Accept-Language": lang === "en" ? "en" : "zh-CN" };
  opts.headers = Object.assign(language, authHeaders(), opts.headers || {});
  let response;
  try {
    response = await fetch(path, opts);
  } catch (err) {
    throw new ApiError(0, { error: "NetworkError", message: t("err.network") });
  }
  if (!response.ok) {
    let body = null;
    try { body = await response.json(); } catch (err) { body = null; }
    throw new ApiError(response.status, body || { message: response.statusText });
  }
  return response;
}

async function apiJson(path, options) {
  return (await api(path, options)).json();
}

function showError(box, error) {
  if (!error) { show(box, false); box.replaceChildren(); return; }
  const body = error.body || { message: String(error.message || error) };
  const rows = [];
  for (const [key, label] of [["where", "err.where"], ["expected", "err.expected"], ["found", "err.found"]]) {
    if (body[key]) rows.push(el("dt", {}, t(label)), el("dd", {}, body[key]));
  }
  const parts = [el("strong", {}, t("err.title") + (body.error ? " · " + body.error : "")),
    el("div", {}, body.message || "")];
  if (rows.length) parts.push(el("dl", {}, rows));
  if (error.status === 401 || error.status === 403) {
    parts.push(el("div", {}, t("err.token")));
    show($("token-box"), true);
    $("token").focus();
  }
  box.replaceChildren(...parts);
  show(box, true);
  box.scrollIntoView({ block: "nearest", behavior: "smooth" });
}

function fileNameOf(response, fallback) {
  const header = response.headers.get("Content-Disposition") || "";
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star) { try { return decodeURIComponent(star[1]); } catch (err) { /* fall through */ } }
  const plain = /filename="([^"]+)"/i.exec(header);
  return plain ? plain[1] : fallback;
}

async function saveResponse(response, fallback) {
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: fileNameOf(response, fallback) });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

async function busy(button, work) {
  const indicator = $("out-busy");
  button.disabled = true;
  if (button.closest("#panel-compose")) show(indicator, true);
  try { return await work(); } finally {
    button.disabled = false;
    show(indicator, false);
  }
}

// ---------------------------------------------------------------- numbering labels
const PRESETS = {
  SCHOOL: ["{cn}、", "{n}、", "（{n}）", "{circled}"],
  GBT9704: ["{cn}、", "（{cn}）", "{n}.", "（{n}）"],
  DECIMAL: ["{path} ", "{path} ", "{path} ", "{path} "],
};
const CN_DIGITS = "〇一二三四五六七八九";

function chineseNumber(n) {
  if (n < 10) return CN_DIGITS[n];
  if (n < 20) return "十" + (n % 10 ? CN_DIGITS[n % 10] : "");
  if (n < 100) return CN_DIGITS[Math.floor(n / 10)] + "十" + (n % 10 ? CN_DIGITS[n % 10] : "");
  return String(n);
}

function circled(n) {
  if (n >= 1 && n <= 20) return String.fromCodePoint(0x2460 + n - 1);
  if (n >= 21 && n <= 35) return String.fromCodePoint(0x3251 + n - 21);
  if (n >= 36 && n <= 50) return String.fromCodePoint(0x32b1 + n - 36);
  return "(" + n + ")";
}

function formats() {
  const chosen = $("numbering").value;
  if (chosen && PRESETS[chosen]) return PRESETS[chosen];
  const info = state.info[state.template];
  return (info && info.numbering && info.numbering.formats) || PRESETS.SCHOOL;
}

function label(path) {
  const fmts = formats();
  const level = path.length;
  if (level > fmts.length) return "";
  const n = path[path.length - 1];
  return fmts[level - 1]
    .split("{cn}").join(chineseNumber(n))
    .split("{n}").join(String(n))
    .split("{circled}").join(circled(n))
    .split("{path}").join(path.join("."));
}

// ---------------------------------------------------------------- the structure editor
function isReportTemplate() {
  const summary = state.templates.find((x) => x.name === state.template);
  return !summary || summary.uses_report;
}

function asList(value) {
  if (value === undefined || value === null || value === "") return [];
  return Array.isArray(value) ? value : [value];
}

function normalizeReport(data) {
  // sections and blocks in their long form, so the editor can hold on to them
  const fixSection = (s) => {
    const section = typeof s === "string" ? { title: s } : s;
    section.blocks = asList(section.blocks);
    section.subsections = asList(section.subsections).map(fixSection);
    return section;
  };
  data.intro = asList(data.intro);
  data.closing = asList(data.closing);
  data.sections = asList(data.sections).map(fixSection);
  if (typeof data.signature === "string") data.signature = { org: data.signature };
  if (typeof data.attachments === "string") data.attachments = [data.attachments];
  return data;
}

function paragraphText(block) {
  if (typeof block === "string") return block;
  if (!block || (block.type && block.type !== "paragraph")) return null;
  const runs = asList(block.text !== undefined ? block.text : block.runs);
  return runs.map((r) => (typeof r === "string" ? r : r.text || "")).join("");
}

function blockChip(block) {
  const kind = block.type || "paragraph";
  let n = 0;
  if (kind === "table") n = asList(block.rows).length;
  if (kind === "bullet_list" || kind === "numbered_list") n = asList(block.items).length;
  let text = t("block." + kind, { n });
  if (kind === "table" && block.caption) text += " · " + block.caption;
  if (kind === "image" && block.caption) text += " · " + block.caption;
  return text + " — " + t("block.keep");
}

function blocksEditor(list) {
  const box = el("div", { class: "blocks" });
  const draw = () => {
    box.replaceChildren();
    list.forEach((block, i) => {
      const text = paragraphText(block);
      const remove = el("button", {
        type: "button", class: "icon", title: t("edit.delete"), "aria-label": t("edit.delete"),
        onclick: () => { list.splice(i, 1); draw(); syncRaw(); },
      }, "×");
      if (text === null) {
        box.append(el("div", { class: "block" }, el("div", { class: "chip" }, blockChip(block)), remove));
        return;
      }
      const area = el("textarea", {
        rows: 1, value: text, placeholder: t("edit.paragraph.ph"),
        oninput: (event) => {
          const value = event.target.value;
          if (typeof list[i] === "string" || !list[i] || typeof list[i] !== "object") list[i] = value;
          else { list[i] = Object.assign({}, list[i], { text: value }); delete list[i].runs; }
          autosize(event.target);
          syncRaw();
        },
      });
      box.append(el("div", { class: "block" }, area, remove));
      requestAnimationFrame(() => autosize(area));
    });
    box.append(el("div", { class: "add-row" }, el("button", {
      type: "button", class: "small",
      onclick: () => { list.push(""); draw(); syncRaw(); box.querySelectorAll("textarea").forEach((a, k, all) => { if (k === all.length - 1) a.focus(); }); },
    }, t("edit.addPara"))));
  };
  draw();
  return box;
}

function sectionEditor(siblings, index, path) {
  const section = siblings[index];
  const body = el("div", { class: "section-body" });
  const move = (delta) => {
    const target = index + delta;
    if (target < 0 || target >= siblings.length) return;
    [siblings[index], siblings[target]] = [siblings[target], siblings[index]];
    renderEditor();
  };
  const head = el("div", { class: "section-head" },
    el("span", { class: "label", title: "level " + path.length }, label(path) || "·"),
    el("input", {
      type: "text", value: section.title || "", placeholder: t("edit.sectionTitle"),
      "aria-label": t("edit.sectionTitle"),
      oninput: (event) => { section.title = event.target.value; syncRaw(); },
    }),
    el("div", { class: "tools" },
      el("button", { type: "button", class: "icon", title: t("edit.up"), "aria-label": t("edit.up"), onclick: () => move(-1) }, "↑"),
      el("button", { type: "button", class: "icon", title: t("edit.down"), "aria-label": t("edit.down"), onclick: () => move(1) }, "↓"),
      el("button", {
        type: "button", class: "icon", title: t("edit.delete"), "aria-label": t("edit.delete"),
        onclick: () => { siblings.splice(index, 1); renderEditor(); },
      }, "×")));
  body.append(blocksEditor(section.blocks));
  section.subsections.forEach((_, i) => body.append(sectionEditor(section.subsections, i, path.concat(i + 1))));
  if (path.length < formats().length) {
    body.append(el("div", { class: "add-row" }, el("button", {
      type: "button", class: "small",
      onclick: () => { section.subsections.push({ title: "", blocks: [], subsections: [] }); renderEditor(); },
    }, t("edit.addSub"))));
  }
  return el("div", { class: "section" }, head, body);
}

function field(labelText, control) {
  const id = "f-" + Math.random().toString(36).slice(2, 9);
  control.id = id;
  return el("div", { class: "field" }, el("label", { for: id }, labelText), control);
}

function textInput(object, key, placeholder) {
  return el("input", {
    type: "text", value: object[key] || "", placeholder: placeholder || "",
    oninput: (event) => {
      const value = event.target.value;
      if (value) object[key] = value; else delete object[key];
      syncRaw();
    },
  });
}

function group(title, hint, ...content) {
  return el("div", { class: "group" },
    el("h3", {}, title, hint ? el("span", { class: "hint" }, hint) : null), ...content);
}

const DATE_STYLES = ["year_month", "long", "full", "chinese", "chinese_year_month", "weekday", "short_weekday", "bill"];
const DATE_EXAMPLES = {
  year_month: "2014年1月", long: "2014年1月15日", full: "2014年1月15日星期三",
  chinese: "二〇一四年一月十五日", chinese_year_month: "二〇一四年一月", weekday: "星期三",
  short_weekday: "周三", bill: "贰零壹肆年零壹月壹拾伍日",
};

function extraFields(data) {
  // a list to spread: the group of the template's own fields, or nothing.  (Never null: the
  // DOM's append and replaceChildren would show it as the text "null".)
  const info = state.info[state.template];
  const fields = (info && info.fields) || {};
  const names = Object.keys(fields);
  if (!names.length) return [];
  data.extra = data.extra || {};
  const extra = data.extra;
  const rows = names.map((name) => {
    const spec = fields[name];
    const value = extra[name];
    const sample = value !== undefined ? value : spec.example;
    const short = (spec.description || "").split(/[，：；（(/,:;]| \//)[0].trim();
    const title = (short && short.length <= 12 ? short : name) + (spec.required ? " *" : "");
    if (Array.isArray(sample) && sample.every((x) => typeof x === "string")) {
      const area = el("textarea", {
        rows: 2, value: asList(value).join("\n"), placeholder: asList(spec.example).join("\n"),
        title: name + ": " + spec.description,
        oninput: (event) => {
          const lines = event.target.value.split("\n").map((x) => x.trim()).filter(Boolean);
          if (lines.length) extra[name] = lines; else delete extra[name];
          syncRaw();
        },
      });
      return field(title, area);
    }
    if (sample !== null && typeof sample === "object") {
      const area = el("textarea", {
        rows: 3, value: value === undefined ? "" : JSON.stringify(value, null, 1),
        placeholder: JSON.stringify(spec.example), title: name + ": " + spec.description,
        onchange: (event) => {
          try {
            const text = event.target.value.trim();
            if (text) extra[name] = JSON.parse(text); else delete extra[name];
            event.target.setCustomValidity("");
            syncRaw();
          } catch (err) { event.target.setCustomValidity(String(err.message)); event.target.reportValidity(); }
        },
      });
      return field(title, area);
    }
    const input = textInput(extra, name, spec.example === null || spec.example === undefined ? "" : String(spec.example));
    input.title = name + ": " + spec.description;
    return field(title, input);
  });
  return [group(t("edit.fields"), null, rows)];
}

function renderEditor() {
  const root = $("editor");
  if (!state.data) {
    root.replaceChildren(el("p", { class: "empty" }, t("edit.empty")));
    $("raw-json").value = "";
    return;
  }
  if (!isReportTemplate()) {
    root.replaceChildren(el("p", { class: "hint" }, t("edit.plain")));
    $("raw-box").open = true;
    syncRaw();
    return;
  }
  const data = normalizeReport(state.data);
  data.signature = data.signature || { org: "" };
  const sig = data.signature;
  // "": no date_style in the data, so the template's own style is used
  const dateStyle = el("select", {
    onchange: (event) => {
      if (event.target.value) sig.date_style = event.target.value; else delete sig.date_style;
      syncRaw();
    },
  }, [el("option", { value: "", selected: !sig.date_style }, "按模板 / the template's")].concat(
    DATE_STYLES.map((s) => el("option", { value: s, selected: sig.date_style === s }, DATE_EXAMPLES[s] + " · " + s))));
  const sections = el("div", {});
  data.sections.forEach((_, i) => sections.append(sectionEditor(data.sections, i, [i + 1])));
  const attachments = el("textarea", {
    rows: 2, value: asList(data.attachments).join("\n"), placeholder: t("edit.attachments.ph"),
    oninput: (event) => {
      data.attachments = event.target.value.split("\n").map((x) => x.trim()).filter(Boolean);
      syncRaw();
    },
  });
  root.replaceChildren(
    group(t("edit.doc"), null,
      field(t("edit.docTitle"), textInput(data, "title")),
      field(t("edit.status"), textInput(data, "status", t("edit.status.ph"))),
      field(t("edit.term"), typeof data.term === "object" && data.term
        ? el("input", { type: "text", value: JSON.stringify(data.term), disabled: true })
        : textInput(data, "term", t("edit.term.ph")))),
    ...extraFields(data),
    group(t("edit.intro"), t("edit.intro.hint"), blocksEditor(data.intro)),
    group(t("edit.sections"), null, sections, el("div", { class: "add-row" }, el("button", {
      type: "button", class: "small",
      onclick: () => { data.sections.push({ title: "", blocks: [], subsections: [] }); renderEditor(); },
    }, t("edit.addSection")))),
    group(t("edit.closing"), t("edit.closing.hint"), blocksEditor(data.closing)),
    group(t("edit.signature"), null,
      field(t("edit.org"), textInput(sig, "org")),
      field(t("edit.name"), textInput(sig, "name")),
      field(t("edit.date"), textInput(sig, "date", t("edit.date.ph"))),
      field(t("edit.dateStyle"), dateStyle)),
    group(t("edit.attachments"), null, attachments));
  requestAnimationFrame(() => autosize(attachments));
  syncRaw();
}

function cleaned(data) {
  // what is sent: empty optional parts left out, so the data reads like a data file
  if (!isReportTemplate()) return data;
  const copy = JSON.parse(JSON.stringify(data));
  if (copy.signature && !copy.signature.org) delete copy.signature;
  for (const key of ["intro", "closing", "sections", "attachments"]) {
    if (Array.isArray(copy[key]) && !copy[key].length) delete copy[key];
  }
  if (copy.extra && !Object.keys(copy.extra).length) delete copy.extra;
  return copy;
}

function syncRaw() {
  if (!state.data) return;
  $("raw-json").value = JSON.stringify(cleaned(state.data), null, 2);
}

function setData(data, warnings) {
  state.data = data;
  state.warnings = warnings || [];
  const list = $("import-warnings");
  list.replaceChildren(...state.warnings.map((w) => el("li", {}, w)));
  show(list, state.warnings.length > 0);
  renderEditor();
}

// ---------------------------------------------------------------- templates
async function loadTemplates() {
  state.templates = await apiJson("api/templates");
  const options = state.templates.map((x) => el("option", { value: x.name },
    (x.display_name ? x.display_name + " · " : "") + x.name));
  $("template").replaceChildren(...options);
  $("batch-template").replaceChildren(...options.map((o) => o.cloneNode(true)));
  $("check-template").replaceChildren(...options.map((o) => o.cloneNode(true)));
  if (state.templates.some((x) => x.name === "official")) $("check-template").value = "official";
  const preferred = ["work-summary", "term-comment"];
  if (state.templates.some((x) => x.name === preferred[0])) $("template").value = preferred[0];
  if (state.templates.some((x) => x.name === preferred[1])) $("batch-template").value = preferred[1];
  await selectTemplate($("template").value);
}

async function templateInfo(name) {
  if (!state.info[name]) state.info[name] = await apiJson("api/templates/" + encodeURIComponent(name));
  return state.info[name];
}

async function selectTemplate(name) {
  state.template = name;
  try {
    await templateInfo(name);
  } catch (err) {
    showError($("error"), err);
  }
  showTemplate();
  renderEditor();
  loadThumb(name);
}

function showTemplate() {
  const info = state.info[state.template];
  if (!info) return;
  $("template-desc").textContent = info.description || "";
  const labels = info.numbering ? info.numbering.labels.join(" ") : "";
  $("template-numbering").textContent = info.uses_report ? t("tpl.numbering") + labels : t("tpl.plain");
}

async function loadThumb(name) {
  const img = $("template-thumb");
  const note = $("template-thumb-note");
  show(img, false);
  if (state.health && !(state.health.libreoffice && state.health.pdftoppm)) {
    note.textContent = t("tpl.noPreview");
    return;
  }
  if (!state.thumbs[name]) {
    note.textContent = t("tpl.loading");
    try {
      const response = await api("api/templates/" + encodeURIComponent(name) + "/preview.png");
      state.thumbs[name] = URL.createObjectURL(await response.blob());
    } catch (err) {
      if (state.template === name) note.textContent = t("tpl.noPreview");
      return;
    }
  }
  if (state.template !== name) return;
  img.src = state.thumbs[name];
  img.alt = name;
  note.textContent = "";
  show(img, true);
}

// ---------------------------------------------------------------- step 1: import
async function importText() {
  showError($("error"), null);
  const file = $("source-file").files[0];
  const text = $("source-text").value;
  if (!file && !text.trim()) {
    showError($("error"), { body: { message: t("input.nothing") } });
    return;
  }
  const form = new FormData();
  if (file) form.append("file", file);
  else form.append("text", text);
  const fmt = $("source-format").value;
  if (fmt && !file) form.append("format", fmt);
  form.append("normalize_punctuation", $("normalize").checked ? "true" : "false");
  await busy($("btn-import"), async () => {
    try {
      const result = await apiJson("api/import", { method: "POST", body: form });
      if (!isReportTemplate()) {
        const first = state.templates.find((x) => x.uses_report);
        if (first) { $("template").value = first.name; await selectTemplate(first.name); }
      }
      setData(result.report, result.warnings);
      $("step-edit").scrollIntoView({ behavior: "smooth", block: "start" });
    } catch (err) {
      showError($("error"), err);
    }
  });
}

async function startFromExample() {
  showError($("error"), null);
  try {
    const info = await templateInfo(state.template);
    setData(JSON.parse(JSON.stringify(info.example.data)), []);
  } catch (err) {
    showError($("error"), err);
  }
}

// ---------------------------------------------------------------- step 3: preview, download
function renderRequest(format) {
  const body = { template: state.template, format, data: cleaned(state.data) };
  if ($("numbering").value) body.numbering = $("numbering").value;
  if ($("normalize").checked) body.normalize_punctuation = true;
  if ($("filename").value.trim()) body.filename = $("filename").value.trim();
  return { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
}

function ready() {
  if (state.data) return true;
  showError($("error"), { body: { message: t("out.nothing") } });
  return false;
}

// Page images ({pages: [data: URLs], more_pages}, as /api/preview and a check's preview give them).
function pageFigures(preview) {
  if (!preview) return [];
  const pages = preview.pages.map((src, i) => el("figure", {},
    el("img", { src, alt: t("out.page", { n: i + 1 }) }), el("figcaption", {}, t("out.page", { n: i + 1 }))));
  if (preview.more_pages) pages.push(el("div", { class: "more" }, t("out.more", { n: preview.pages.length })));
  return pages;
}

async function previewPages() {
  showError($("error"), null);
  if (!ready()) return;
  await busy($("btn-preview"), async () => {
    try {
      $("pages").replaceChildren(...pageFigures(await apiJson("api/preview", renderRequest("docx"))));
    } catch (err) {
      showError($("error"), err);
    }
  });
}

async function download(format, button) {
  showError($("error"), null);
  if (!ready()) return;
  await busy(button, async () => {
    try {
      const response = await api("api/render", renderRequest(format));
      await saveResponse(response, "document." + format);
    } catch (err) {
      showError($("error"), err);
    }
  });
}

// ---------------------------------------------------------------- the batch tab
function batchStart() {
  const box = $("batch-error");
  showError(box, null);
  const file = $("batch-file").files[0];
  if (!file) { showError(box, { body: { message: t("batch.noFile") } }); return; }
  const form = new FormData();
  form.append("file", file);
  form.append("template", $("batch-template").value);
  if ($("batch-name").value.trim()) form.append("name", $("batch-name").value.trim());
  if ($("batch-numbering").value) form.append("numbering", $("batch-numbering").value);
  form.append("background", "true");
  show($("batch-progress"), true);
  show($("batch-result"), false);
  $("upload-bar").value = 0;
  $("render-bar").value = 0;
  $("upload-pct").textContent = "";
  $("render-count").textContent = "";
  $("batch-state").textContent = t("batch.state.queued");
  $("btn-batch").disabled = true;

  const xhr = new XMLHttpRequest();
  xhr.open("POST", "api/batch");
  for (const [key, value] of Object.entries(authHeaders())) xhr.setRequestHeader(key, value);
  xhr.upload.onprogress = (event) => {
    if (!event.lengthComputable) return;
    const pct = Math.round((event.loaded / event.total) * 100);
    $("upload-bar").value = pct;
    $("upload-pct").textContent = pct + "%";
  };
  xhr.onerror = () => { $("btn-batch").disabled = false; showError(box, { body: { message: t("err.network") } }); };
  xhr.onload = () => {
    $("upload-bar").value = 100;
    $("upload-pct").textContent = "100%";
    let body = null;
    try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
    if (xhr.status !== 202 || !body) {
      $("btn-batch").disabled = false;
      showError(box, new ApiError(xhr.status, body || { message: "HTTP " + xhr.status }));
      return;
    }
    state.batchJob = body.job;
    pollBatch(body.job);
  };
  xhr.send(form);
}

async function pollBatch(job) {
  const box = $("batch-error");
  let progress;
  try {
    progress = await apiJson("api/batch/" + encodeURIComponent(job));
  } catch (err) {
    $("btn-batch").disabled = false;
    showError(box, err);
    return;
  }
  if (state.batchJob !== job) return;
  $("batch-state").textContent = t("batch.state." + progress.state);
  if (progress.total) {
    $("render-bar").value = Math.round((progress.done / progress.total) * 100);
    $("render-count").textContent = progress.done + " / " + progress.total;
  }
  if (progress.state === "failed") {
    $("btn-batch").disabled = false;
    showError(box, new ApiError(422, progress.error));
    showFailures((progress.error && progress.error.failures) || []);
    show($("batch-result"), (progress.error && progress.error.failures || []).length > 0);
    show($("btn-batch-download"), false);
    return;
  }
  if (progress.state !== "done") {
    setTimeout(() => pollBatch(job), 600);
    return;
  }
  $("btn-batch").disabled = false;
  $("render-bar").value = 100;
  $("batch-summary").textContent = t("batch.summary", {
    total: progress.total, written: progress.total - progress.failed, failed: progress.failed,
  });
  showFailures(progress.failures);
  show($("btn-batch-download"), true);
  $("btn-batch-download").onclick = () => busy($("btn-batch-download"), async () => {
    try {
      const response = await api("api/batch/" + encodeURIComponent(job) + "/download");
      await saveResponse(response, "documents.zip");
    } catch (err) {
      showError(box, err);
    }
  });
  show($("batch-result"), true);
}

function showFailures(failures) {
  const table = $("batch-failures");
  table.tBodies[0].replaceChildren(...failures.map((f) => el("tr", {}, el("td", {}, f.record), el("td", {}, f.error || ""))));
  show(table, failures.length > 0);
}

// ---------------------------------------------------------------- start
// ---------------------------------------------------------------- check and fix
const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

function checkForm() {
  const file = $("check-file").files[0];
  if (!file) throw new ApiError(0, { message: t("check.nofile") });
  const form = new FormData();
  form.append("file", file);
  form.append("template", $("check-template").value);
  form.append("preview", "true");  // the server says so in preview_error when it cannot draw pages
  return form;
}

function wherePara(item) {
  return item.paragraph ? t("check.para", { n: item.paragraph, excerpt: item.excerpt }) : t("check.page");
}

// A fix's kind of change (a stable Chinese name: 标点, 日期…) as the page's language calls it.
function kindName(kind) {
  return (I18N[lang] && I18N[lang]["kind." + kind]) || kind;
}

// The findings of POST /api/check, or a fix's result (POST /api/fix) with its changes.
function showCheck(result) {
  const findings = result.findings || [];
  const changes = result.changes || null;
  const summary = changes
    ? t("check.fixed", { template: result.template, count: changes.length, left: findings.length })
    : findings.length
      ? t("check.found", { template: result.template, count: findings.length })
      : t("check.ok", { template: result.template });
  $("check-summary").textContent = summary;
  $("check-changes").replaceChildren(...(changes || []).map((c) => el("li", {},
    el("span", { class: "where" }, wherePara(c)), " [" + kindName(c.kind) + "] ",
    el("del", {}, c.before), " → ", el("ins", {}, c.after))));
  show($("check-changes-title"), Boolean(changes && changes.length));
  $("check-findings").replaceChildren(...findings.map((f) => el("li", {},
    el("span", { class: "where" }, wherePara(f)), " " + f.message + " [" + f.code + "] ",
    el("small", {}, t("check.detail", { expected: f.expected, found: f.found })))));
  show($("check-findings-title"), findings.length > 0);
  const link = $("check-download");
  if (changes && result.document) {
    const bytes = Uint8Array.from(atob(result.document), (c) => c.charCodeAt(0));
    const blob = new Blob([bytes], { type: DOCX_TYPE });
    if (link.href && link.href.startsWith("blob:")) URL.revokeObjectURL(link.href);
    link.href = URL.createObjectURL(blob);
    link.download = result.filename;
    link.textContent = t("check.download") + "（" + result.filename + "）";
  }
  show(link, Boolean(changes && result.document));
  showCheckPages(result);
}

// The pages beside the findings: the fixed document's and the upload's, or why there are none.
function showCheckPages(result) {
  const original = result.preview || null;
  const fixed = result.fixed_preview || null;
  $("check-fixed-pages").replaceChildren(...pageFigures(fixed));
  show($("check-fixed-pages-title"), Boolean(fixed));
  $("check-pages").replaceChildren(...pageFigures(original));
  show($("check-pages-title"), Boolean(original && fixed));
  const problem = result.preview_error;
  $("check-preview-note").textContent = problem
    ? t("check.noPreview", { reason: problem.message + (problem.code ? " [" + problem.code + "]" : "") })
    : "";
  show($("check-preview-note"), Boolean(problem));
  show($("check-preview"), Boolean(original || fixed || problem));
  $("check-layout").classList.toggle("with-pages", Boolean(original || fixed));
}

async function checkOrFix(route, button) {
  const box = $("check-error");
  showError(box, null);
  button.disabled = true;
  try {
    showCheck(await apiJson(route, { method: "POST", body: checkForm() }));
  } catch (err) {
    showError(box, err);
  } finally {
    button.disabled = false;
  }
}

function switchTab(name) {
  for (const tab of ["compose", "batch", "check"]) {
    const active = tab === name;
    $("tab-" + tab).classList.toggle("active", active);
    $("tab-" + tab).setAttribute("aria-selected", String(active));
    show($("panel-" + tab), active);
  }
}

async function start() {
  $("token").value = sessionStorage.getItem("docgen.token") || "";
  $("token").addEventListener("change", () => {
    sessionStorage.setItem("docgen.token", $("token").value.trim());
    if (!state.templates.length) loadTemplates().catch((err) => showError($("error"), err));
  });
  $("lang").addEventListener("click", () => {
    lang = lang === "zh" ? "en" : "zh";
    localStorage.setItem("docgen.lang", lang);
    applyLanguage();
  });
  $("tab-compose").addEventListener("click", () => switchTab("compose"));
  $("tab-batch").addEventListener("click", () => switchTab("batch"));
  $("tab-check").addEventListener("click", () => switchTab("check"));
  $("btn-check").addEventListener("click", (event) => checkOrFix("api/check", event.currentTarget));
  $("btn-fix").addEventListener("click", (event) => checkOrFix("api/fix", event.currentTarget));
  $("template").addEventListener("change", (event) => selectTemplate(event.target.value));
  $("numbering").addEventListener("change", renderEditor);
  $("source-file").addEventListener("change", (event) => {
    const file = event.target.files[0];
    $("source-file-name").textContent = file ? file.name : "";
  });
  $("btn-import").addEventListener("click", importText);
  $("btn-example").addEventListener("click", startFromExample);
  $("btn-blank").addEventListener("click", () => setData(isReportTemplate()
    ? { title: "", sections: [{ title: "", blocks: [""], subsections: [] }] } : {}, []));
  $("btn-raw-apply").addEventListener("click", () => {
    try {
      setData(JSON.parse($("raw-json").value), state.warnings);
      showError($("error"), null);
    } catch (err) {
      showError($("error"), { body: { message: t("edit.raw.bad") + err.message } });
    }
  });
  $("btn-preview").addEventListener("click", previewPages);
  $("btn-docx").addEventListener("click", (event) => download("docx", event.currentTarget));
  $("btn-pdf").addEventListener("click", (event) => download("pdf", event.currentTarget));
  $("btn-batch").addEventListener("click", batchStart);
  applyLanguage();

  try {
    state.health = await apiJson("healthz");
    $("version").textContent = state.health.version;
    show($("token-box"), state.health.token_required);
    if (!state.health.libreoffice || !state.health.pdftoppm) {
      $("btn-pdf").disabled = !state.health.libreoffice;
      $("btn-preview").disabled = true;
      $("service-notice").dataset.i18n = "out.noOffice";
      $("service-notice").textContent = t("out.noOffice");
      show($("service-notice"), true);
    }
    if (state.health.token_required && !$("token").value) {
      $("token").focus();
      return;
    }
    await loadTemplates();
  } catch (err) {
    showError($("error"), err);
  }
}

document.addEventListener("DOMContentLoaded", start);
