// ajv (JSON Schema 2020-12, formats on) over a JSON Lines file, timed inside node.
// Usage: node ajv_bench.mjs JS_DIR SCHEMA_DIR FILE.jsonl MODE [LIMIT]
//   JS_DIR: tests/js (its node_modules holds ajv and ajv-formats)
//   MODE "rate":     prints {"records", "invalid", "seconds"} (reading + parsing + validating)
//   MODE "verdicts": prints one line per record of the first LIMIT lines: 1 valid, 0 invalid
// The record's "type" selects the schema; anything else goes to the record schema.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { StringDecoder } from "node:string_decoder";

const [jsDir, schemaDir, file, mode, limitArg] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(jsDir), "package.json"));
const Ajv2020 = require("ajv/dist/2020.js").default;
const addFormats = require("ajv-formats").default;

const ajv = new Ajv2020({ strict: false, allErrors: false, unicodeRegExp: true });
addFormats(ajv);
const ids = {};
for (const name of fs.readdirSync(schemaDir)) {
  if (name.endsWith(".schema.json")) {
    const schema = JSON.parse(fs.readFileSync(path.join(schemaDir, name), "utf8"));
    ajv.addSchema(schema); // all added before any is compiled: they refer to each other
    ids[name.slice(0, -".schema.json".length)] = schema.$id;
  }
}
const byType = {};
for (const [kind, id] of Object.entries(ids)) byType[kind] = ajv.getSchema(id);
const fallback = byType.record;

function verdict(line) {
  let data;
  try {
    data = JSON.parse(line);
  } catch {
    return false;
  }
  const kind = data !== null && typeof data === "object" && !Array.isArray(data) ? data.type : undefined;
  const check = (typeof kind === "string" && Object.hasOwn(byType, kind)) ? byType[kind] : fallback;
  return check(data);
}

// Lines split on \n only (JSON Lines): the whole file is read in chunks, never at once.
function* lines(limit) {
  const fd = fs.openSync(file, "r");
  const buffer = Buffer.alloc(1 << 20);
  const decoder = new StringDecoder("utf8"); // a character may straddle two chunks
  let rest = "";
  let seen = 0;
  try {
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      const parts = (rest + decoder.write(buffer.subarray(0, n))).split("\n");
      rest = parts.pop();
      for (const part of parts) {
        if (limit !== undefined && seen >= limit) return;
        seen += 1;
        if (part.trim()) yield part;
      }
    }
    if (rest.trim() && (limit === undefined || seen < limit)) yield rest;
  } finally {
    fs.closeSync(fd);
  }
}

if (mode === "verdicts") {
  const out = [];
  for (const line of lines(limitArg === undefined ? undefined : Number(limitArg))) out.push(verdict(line) ? "1" : "0");
  process.stdout.write(out.join("\n") + "\n");
} else {
  const start = process.hrtime.bigint();
  let records = 0;
  let invalid = 0;
  for (const line of lines(undefined)) {
    records += 1;
    if (!verdict(line)) invalid += 1;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  process.stdout.write(JSON.stringify({ records, invalid, seconds }) + "\n");
}
