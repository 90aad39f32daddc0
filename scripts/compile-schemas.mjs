// Writes dist/manifest/validators.precompiled.cjs: the manifest and config validators as code
// (ajv standalone), so the CLI does not compile the JSON Schemas on every start. Run by `npm run build`.
import { writeFileSync } from "node:fs";
import standaloneCode from "ajv/dist/standalone/index.js";
import { createAjv, readSchema, schemaHash, PRECOMPILED_FILE, SCHEMA_BASE, SCHEMA_FILES } from "../dist/manifest/schemas.js";

const ajv = createAjv({ source: true });
for (const f of SCHEMA_FILES) ajv.addSchema(readSchema(f));
const code = standaloneCode.default(ajv, { manifest: `${SCHEMA_BASE}manifest.schema.json`, config: `${SCHEMA_BASE}config.schema.json` });
writeFileSync(PRECOMPILED_FILE, `${code}\nexports.schemaHash = ${JSON.stringify(schemaHash())};\n`);
