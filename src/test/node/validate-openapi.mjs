// A second opinion on an OpenAPI document, beside Redocly's linter: validates the file against
// the OpenAPI specification's own JSON Schema (@seriousme/openapi-schema-validator) and checks
// that every $ref resolves. Prints {"valid": bool, "version": "3.1", "errors": [...]} on stdout.
// Usage: node validate-openapi.mjs <openapi.json>
import { Validator } from "@seriousme/openapi-schema-validator";

const file = process.argv[2];
if (!file) {
  console.error("usage: node validate-openapi.mjs <openapi.json>");
  process.exit(2);
}
const validator = new Validator();
const result = await validator.validate(file);
const errors = result.valid ? [] : [].concat(result.errors ?? []);
if (result.valid) {
  try {
    validator.resolveRefs(); // throws on a $ref that points nowhere
  } catch (e) {
    errors.push({ message: String(e.message ?? e) });
  }
}
console.log(JSON.stringify({ valid: errors.length === 0, version: validator.version, errors }));
