/** Types of perf-table.mjs, for the test that imports it. */
export const START: string;
export const END: string;
export function perfSection(results: string): string;
export function replaceSection(readme: string, section: string): string;
