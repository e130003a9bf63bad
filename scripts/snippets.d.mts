// Types of snippets.mjs, for the tests that import it.
export interface Block {
  line: number;
  code: string;
  nocheck: boolean;
}
export interface Failure {
  where: string;
  errors: string[];
}
export const root: string;
export function markdownBlocks(text: string): Block[];
export function tsdocBlocks(text: string): Block[];
export function markdownFiles(dir?: string): string[];
export function sourceFiles(dir?: string): string[];
export function strictTsconfig(files: string[], options?: Record<string, unknown>): string;
export function workspacePackages(dir?: string): { name: string; dir: string; source: string }[];
export function checkSnippets(options?: { markdown?: string[]; sources?: string[]; dir?: string }): {
  checked: number;
  skipped: number;
  failures: Failure[];
};
