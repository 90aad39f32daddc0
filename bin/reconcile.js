#!/usr/bin/env node
// The CLI as `npm run build` bundles it (scripts/build-cli.mjs): it starts faster than tsc's dist/cli/.
import { main } from "../dist/bin/main.js";

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
