/** Vitest options that also write a JSON report to <workspace>/.reports/vitest/<name>-<script>.json (a test task output). */
export function reporting(name: string): { reporters: string[]; outputFile: { json: string } };
