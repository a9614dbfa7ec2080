// Tests use the same runtime as the CLI.
export * from '../../www/cli/runtime.mjs';

import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { REPO as ROOT } from '../../www/cli/runtime.mjs';

// Formats (date-time) are checked separately, so no ajv-formats dependency.
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const validate = ajv.compile(JSON.parse(readFileSync(joinPath(ROOT, 'docs', 'report.schema.json'), 'utf8')));

/** Throws with every schema violation listed unless `report` matches docs/report.schema.json. */
export function assertValidReport(report) {
  if (!validate(report)) {
    throw new Error(`report does not match docs/report.schema.json:\n${validate.errors.map((e) => `  ${e.instancePath} ${e.message}`).join('\n')}`);
  }
  if (Number.isNaN(Date.parse(report.generatedAt))) throw new Error(`generatedAt ${report.generatedAt} is not a date-time`);
}
