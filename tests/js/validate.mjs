// Validate JSON documents against the published schemas with ajv (JSON Schema 2020-12).
// Usage: node validate.mjs SCHEMA_DIR < cases.jsonl
// Each input line: {"schema": "<$id>", "data": <instance>}; each output line: {"valid": bool, "errors": [...]}.
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const dir = process.argv[2];
const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: true });
addFormats(ajv);
for (const name of fs.readdirSync(dir)) {
  if (name.endsWith(".schema.json")) {
    ajv.addSchema(JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")));
  }
}
const rl = readline.createInterface({ input: process.stdin });
for await (const line of rl) {
  if (!line.trim()) continue;
  const { schema, data } = JSON.parse(line);
  const validate = ajv.getSchema(schema);
  if (!validate) {
    console.log(JSON.stringify({ valid: false, errors: [`unknown schema ${schema}`] }));
    continue;
  }
  const valid = validate(data);
  const errors = valid ? [] : validate.errors.map((e) => `${e.instancePath} ${e.message}`);
  console.log(JSON.stringify({ valid, errors }));
}
