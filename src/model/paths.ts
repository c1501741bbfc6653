import { resolve } from 'node:path';

/** The project's root directory, wherever the process was started from. */
export const PROJECT_ROOT = resolve(__dirname, '../..');

/** A path inside the project. */
export const projectPath = (...parts: string[]) => resolve(PROJECT_ROOT, ...parts);
