/** Vitest options that also write a JSON report to .cache/reports/<name>-<script>.json. */
export function reporting(name: string): { reporters: string[]; outputFile: { json: string } };
