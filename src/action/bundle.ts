/*
 * The GitHub Action's entry point: `npm run build:action` bundles this file, and everything it
 * imports, into dist-action/index.mjs, which action.yml runs on the node20 runtime with nothing
 * installed. Beside the bundle there is no node_modules and no `schemas/` folder, so ajv and the
 * JSON Schemas are imported here (esbuild embeds them) and handed to the manifest loader.
 * Importing it runs the Action, and only the bundle needs it: `npm run build` leaves it out of dist/
 * (tsconfig.build.json).
 */
import { Ajv } from "ajv";
import common from "../../schemas/common.schema.json" with { type: "json" };
import configOptionGroup from "../../schemas/config-option-group.schema.json" with { type: "json" };
import config from "../../schemas/config.schema.json" with { type: "json" };
import customerOrg from "../../schemas/customer-org.schema.json" with { type: "json" };
import manifest from "../../schemas/manifest.schema.json" with { type: "json" };
import productGroup from "../../schemas/product-group.schema.json" with { type: "json" };
import product from "../../schemas/product.schema.json" with { type: "json" };
import { actionMain } from "../cli/action-main.js";
import { provideSchemas } from "../manifest/schemas.js";

provideSchemas({
  Ajv,
  schemas: {
    "common.schema.json": common,
    "product-group.schema.json": productGroup,
    "product.schema.json": product,
    "config-option-group.schema.json": configOptionGroup,
    "customer-org.schema.json": customerOrg,
    "manifest.schema.json": manifest,
    "config.schema.json": config,
  },
});

actionMain().then((code) => {
  process.exitCode = code;
});
