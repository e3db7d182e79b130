// Compiles a Typst file to PDF with the npm package
// @myriaddreamin/typst-ts-node-compiler (Typst as a library), for
// bench/compare.py. Not part of the build: install the package in a folder of
// its own and point NODE_PATH at its node_modules.
//
// usage: node bench/typst-compile.js IN.typ OUT.pdf FONT_DIR [--warm N]
// With --warm N the compiler is loaded once and the document compiled N more
// times (cache evicted before each), then once more after a one-word edit,
// and the times in ms are printed as JSON: what Typst's watch loop costs.
const fs = require("fs");
const path = require("path");
const { NodeCompiler } = require("@myriaddreamin/typst-ts-node-compiler");

const [input, output, fontDir, flag, count] = process.argv.slice(2);
const fonts = fs.readdirSync(fontDir).filter((f) => /\.(ttf|otf)$/i.test(f))
  .map((f) => path.join(fontDir, f));
const compiler = NodeCompiler.create({
  workspace: path.dirname(path.resolve(input)),
  fontArgs: [{ fontBlobs: fonts.map((f) => fs.readFileSync(f)) }],
});
const src = fs.readFileSync(input, "utf8");
function build(text) {
  const pdf = compiler.pdf({ mainFileContent: text });
  if (!pdf || pdf.length < 1000) throw new Error("typst produced no PDF");
  return pdf;
}
fs.writeFileSync(output, build(src));
if (flag === "--warm") {
  const cold = [], edit = [];
  for (let i = 0; i < Number(count || 5); i++) {
    compiler.evictCache(0);
    const t = process.hrtime.bigint();
    build(src);
    cold.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  for (let i = 0; i < Number(count || 5); i++) {
    build(src); // warm cache
    const t = process.hrtime.bigint();
    build(src.replace(/\bprogramme\b/, i % 2 ? "project" : "scheme"));
    edit.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  console.log(JSON.stringify({ warm_evicted_ms: cold, one_word_edit_ms: edit }));
}
