export { decodeHtmlEntities } from "../../core/html.js";
