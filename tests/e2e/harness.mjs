// Tests use the same runtime as the CLI.
export * from '../../www/cli/runtime.mjs';
