// Runs docgen's page script (docgen/web/static/app.js) under Node with a small stand-in for the
// browser's DOM, then a scenario, and prints what the page shows as JSON.
//
//   node tests/js/page.js APP_JS < scenario.json
//
// The scenario: {"templates": [...], "info": {name: ...}, "template": name,
//                "call": "setData", "args": [...]}.  The output: the page's elements with an id
// as a tree of {tag, text, value, placeholder, disabled, children} — what a reader sees.
"use strict";

const fs = require("fs");
const vm = require("vm");

class Node {
  constructor() { this.parentNode = null; this.childNodes = []; }
  remove() {
    if (!this.parentNode) return;
    const siblings = this.parentNode.childNodes;
    siblings.splice(siblings.indexOf(this), 1);
    this.parentNode = null;
  }
  get textContent() { return this.childNodes.map((c) => c.textContent).join(""); }
}

class Text extends Node {
  constructor(data) { super(); this.data = String(data); }
  get textContent() { return this.data; }
}

class ClassList {
  constructor() { this.names = new Set(); }
  add(name) { this.names.add(name); }
  remove(name) { this.names.delete(name); }
  contains(name) { return this.names.has(name); }
  toggle(name, on) {
    const want = on === undefined ? !this.names.has(name) : Boolean(on);
    if (want) this.names.add(name); else this.names.delete(name);
    return want;
  }
}

class Element extends Node {
  constructor(tag) {
    super();
    this.tagName = tag.toUpperCase();
    this.attributes = {};
    this.listeners = {};
    this.classList = new ClassList();
    this.style = {};
    this.dataset = {};
    // the properties el() sets directly (`key in node`), as on real elements
    Object.assign(this, {
      id: "", title: "", lang: "", hidden: false, disabled: false, type: "", name: "",
      value: "", placeholder: "", rows: 0, selected: false, checked: false, open: false,
      href: "", download: "", src: "", alt: "", files: [], scrollHeight: 0,
    });
  }
  get className() { return [...this.classList.names].join(" "); }
  set className(value) {
    this.classList = new ClassList();
    for (const name of String(value).split(/\s+/).filter(Boolean)) this.classList.add(name);
  }
  set textContent(value) { this.replaceChildren(new Text(value === null ? "" : value)); }
  get textContent() { return super.textContent; }
  setAttribute(key, value) { this.attributes[key] = String(value); }
  getAttribute(key) { return key in this.attributes ? this.attributes[key] : null; }
  addEventListener(type, handler) { (this.listeners[type] = this.listeners[type] || []).push(handler); }
  append(...nodes) {
    for (const node of nodes) {
      const child = node instanceof Node ? node : new Text(node);
      child.remove();
      child.parentNode = this;
      this.childNodes.push(child);
    }
  }
  replaceChildren(...nodes) {
    for (const child of [...this.childNodes]) child.remove();
    this.append(...nodes);
  }
  cloneNode() { return new Element(this.tagName); }
  closest() { return null; }
  querySelectorAll() { return []; }
  focus() {}
  click() {}
  scrollIntoView() {}
  reportValidity() {}
  setCustomValidity() {}
}

const byId = {};
const document = {
  documentElement: new Element("html"),
  body: new Element("body"),
  createElement: (tag) => new Element(tag),
  createTextNode: (data) => new Text(data),
  getElementById(id) {
    if (!byId[id]) { byId[id] = new Element(id === "editor" ? "div" : "input"); byId[id].id = id; }
    return byId[id];
  },
  querySelectorAll: () => [],
  addEventListener() {},  // DOMContentLoaded never comes: the scenario drives the page
};

const context = vm.createContext({
  document, Node, console, JSON, Math, Object, Array, String, Promise, Error,
  localStorage: { getItem: () => null, setItem() {} },
  requestAnimationFrame: (fn) => fn(),
  setTimeout, clearTimeout, URL, FormData: class {}, Uint8Array, atob, Blob,
  fetch: () => Promise.reject(new Error("no network in this test")),
});
vm.runInContext(fs.readFileSync(process.argv[2], "utf-8"), context, { filename: process.argv[2] });

const scenario = JSON.parse(fs.readFileSync(0, "utf-8"));
context.scenario = scenario;
vm.runInContext(`
  state.templates = scenario.templates || [];
  state.info = scenario.info || {};
  state.template = scenario.template || "";
  if (scenario.lang) lang = scenario.lang;  // the page as the language button left it
  ${scenario.call}(...scenario.args);
`, context);

function tree(node) {
  if (node instanceof Text) return node.data;
  const out = { tag: node.tagName.toLowerCase() };
  if (["INPUT", "TEXTAREA"].includes(node.tagName)) out.value = String(node.value);
  if (node.placeholder !== "") out.placeholder = String(node.placeholder);
  if (node.disabled) out.disabled = true;
  if (node.classList.names.size) out.class = node.className;
  if (node.src) out.src = String(node.src);
  if (node.childNodes.length) out.children = node.childNodes.map(tree);
  return out;
}
const shown = {};
for (const [id, node] of Object.entries(byId)) shown[id] = tree(node);
process.stdout.write(JSON.stringify(shown));
