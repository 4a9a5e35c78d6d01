// Transpiles a component for run.mjs with jco's own API (what
// `jco transpile --instantiation async --name component` does), writing
// component.js and its core modules into <out-dir>.
//
//   node transpile.mjs <component.wasm> <out-dir>
//
// The instantiation form takes its WASI imports from the caller instead of
// importing `@bytecodealliance/preview2-shim` by name, so the output works
// from any directory (the tests cache it outside the checkout).

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { transpile } from "@bytecodealliance/jco";

const [input, outDir] = process.argv.slice(2);
if (!input || !outDir) {
  console.error("usage: node transpile.mjs <component.wasm> <out-dir>");
  process.exit(2);
}

const { files } = await transpile(readFileSync(input), {
  name: "component",
  instantiation: "async",
  noTypescript: true,
  quiet: true,
});
for (const [name, contents] of Object.entries(files)) {
  const path = join(outDir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, contents);
}
