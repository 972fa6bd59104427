// The docxtemplater side of benchmarks/bench.py: render N records with one template,
// the way docxtemplater's documentation shows it (load the zip, render, generate).
//   node render.js TEMPLATE.docx RECORDS.json N OUTDIR   → prints ms per document
"use strict";
const fs = require("fs");
const path = require("path");
const PizZip = require("pizzip");
const Docxtemplater = require("docxtemplater");

const [template, recordsFile, n, outDir] = process.argv.slice(2);
const content = fs.readFileSync(template, "binary");
const records = JSON.parse(fs.readFileSync(recordsFile, "utf8"));

// {{ student.name }}: the same delimiters and dotted names as the Jinja template.
const parser = (tag) => ({
  get: (scope) => tag.trim().split(".").reduce((v, k) => (v == null ? v : v[k]), scope),
});

const start = process.hrtime.bigint();
for (let i = 0; i < Number(n); i++) {
  const doc = new Docxtemplater(new PizZip(content), {
    delimiters: { start: "{{", end: "}}" },
    parser,
    paragraphLoop: true,
    linebreaks: true,
  });
  doc.render(records[i % records.length]);
  const out = doc.getZip().generate({ type: "nodebuffer", compression: "DEFLATE" });
  if (outDir) fs.writeFileSync(path.join(outDir, `${i}.docx`), out);
}
const ms = Number(process.hrtime.bigint() - start) / 1e6;
console.log((ms / Number(n)).toFixed(3));
