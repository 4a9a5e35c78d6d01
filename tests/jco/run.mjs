// Runs one transpiled command component (`wasi:cli/run`) on jco's
// preview2-shim. The jco host of the differential tests (tests/src/hosts/jco.rs)
// starts one Node process per run:
//
//   node run.mjs <spec.json>
//
// spec.json: { "component": <dir from transpile.mjs>, "args": [..],
//              "env": [[name, value], ..], "preopens": [[guest, host], ..],
//              "report": <path> }
//
// stdin, stdout and stderr are the program's own: the shim reads and writes
// this process's descriptors 0, 1 and 2. How the run ended goes to the report
// file instead, written when the process exits whatever the cause:
//   {"exit": <code>}                      the program returned or exited
//   {"trap": {"name", "message", "stack"}} the run threw (a wasm trap, or a
//                                         host error such as a TypeError)

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { WASIShim } from "@bytecodealliance/preview2-shim/instantiation";
import { _addPreopen, _clearPreopens } from "@bytecodealliance/preview2-shim/filesystem";
import { environment } from "@bytecodealliance/preview2-shim/cli";

const spec = JSON.parse(readFileSync(process.argv[2], "utf8"));

// `wasi:cli/exit` in the shim calls `process.exit(code)` from inside the
// program, so the exit code is only known here, in the exit event.
let trap = null;
process.on("exit", (code) => {
  writeFileSync(spec.report, JSON.stringify(trap ? { trap } : { exit: code }));
});

// The shim's `_setEnv` takes an object, which would reorder integer-like
// names and merge duplicates; the test case's list is given exactly instead.
const exactEnvironment = {
  ...environment,
  getArguments: () => spec.args,
  getEnvironment: () => spec.env,
};

// The shim starts with no preopens; add the case's in order (fd 3, 4, ...).
_clearPreopens();
for (const [guest, host] of spec.preopens) {
  _addPreopen(guest, host);
}

const imports = {
  ...new WASIShim().getImportObject(),
  "wasi:cli/environment": exactEnvironment,
};

try {
  const { instantiate } = await import(pathToFileURL(join(spec.component, "component.js")));
  const component = await instantiate(
    (name) => WebAssembly.compile(readFileSync(join(spec.component, name))),
    imports,
  );
  try {
    component.run.run();
  } catch (error) {
    // jco turns `run`'s `err` result into a ComponentError carrying no
    // payload: a component's way of saying "exit code 1".
    if (error?.constructor?.name === "ComponentError" && error.payload === undefined) {
      process.exit(1);
    }
    throw error;
  }
  process.exit(0);
} catch (error) {
  trap = {
    name: error?.name ?? typeof error,
    message: error?.message ?? String(error),
    stack: error?.stack ?? "",
  };
  process.exit(1);
}
