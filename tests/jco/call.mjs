// Instantiates one transpiled library component (a reactor) on jco's
// preview2-shim and calls its exports in order, all on the same instance.
// The jco host's `Jco::call_exports` (tests/src/hosts/jco.rs) starts it:
//
//   node call.mjs <spec.json>
//
// spec.json: { "component": <dir from transpile.mjs>,
//              "env": [[name, value], ..],
//              "calls": [[<export name as in WIT>, [<argument>, ..]], ..],
//              "report": <path> }
//
// Arguments are JSON numbers (the exports take `s32`, `u32`, `f32` or
// `f64`). The report holds what each call returned, in order, or what was
// thrown and by which call:
//   {"results": [..]}       numbers as JSON numbers, 64-bit integers (which
//                           jco returns as BigInt) as decimal strings
//   {"thrown": {"call", "name", "message", "stack"}}

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { WASIShim } from "@bytecodealliance/preview2-shim/instantiation";
import { environment } from "@bytecodealliance/preview2-shim/cli";

const spec = JSON.parse(readFileSync(process.argv[2], "utf8"));

const imports = {
  ...new WASIShim().getImportObject(),
  "wasi:cli/environment": {
    ...environment,
    getArguments: () => [],
    getEnvironment: () => spec.env,
  },
};

// jco names a WIT export `fib-sum-parallel` `fibSumParallel`.
const camelCase = (name) => name.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());

let call = null;
try {
  const { instantiate } = await import(pathToFileURL(join(spec.component, "component.js")));
  const component = await instantiate(
    (name) => WebAssembly.compile(readFileSync(join(spec.component, name))),
    imports,
  );
  const results = [];
  for (const [name, args] of spec.calls) {
    call = name;
    const exported = component[camelCase(name)];
    if (typeof exported !== "function") {
      throw new TypeError(`the component exports no function ${name}`);
    }
    const result = exported(...args);
    results.push(typeof result === "bigint" ? result.toString() : result);
  }
  writeFileSync(spec.report, JSON.stringify({ results }));
} catch (error) {
  const thrown = {
    call,
    name: error?.name ?? typeof error,
    message: error?.message ?? String(error),
    stack: error?.stack ?? "",
  };
  writeFileSync(spec.report, JSON.stringify({ thrown }));
}
