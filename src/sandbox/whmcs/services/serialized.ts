import { WhmcsApiError, WhmcsSandboxError } from "../errors.js";
import type { FormValue } from "../form.js";
import { PhpArray, type PhpValue } from "../php-array.js";
import { unserializeBase64 } from "../php-unserialize.js";

/**
 * A base64 PHP-serialized parameter (`configoptions`, `customfields`), as an array. Malformed
 * input is an API error naming the parameter, not a crash.
 */
export function serializedArray(value: FormValue | undefined, name: string): PhpArray | undefined {
  if (value === undefined || value === "") return undefined;
  if (typeof value !== "string") throw new WhmcsApiError(`Invalid ${name}: expected base64 of a PHP serialized array`);
  let decoded: PhpValue;
  try {
    decoded = unserializeBase64(value);
  } catch (err) {
    if (err instanceof WhmcsSandboxError) throw new WhmcsApiError(`Invalid ${name}: ${err.message}`);
    throw err;
  }
  if (!(decoded instanceof PhpArray)) throw new WhmcsApiError(`Invalid ${name}: expected a serialized array`);
  return decoded;
}
