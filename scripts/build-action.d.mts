import type { Metafile } from "esbuild";

/** The repository's root folder. */
export declare const ROOT: string;
/** The bundle's entry point, relative to ROOT. */
export declare const ENTRY: string;
/** The bundle's and the licence list's file names inside the output folder. */
export declare const BUNDLE: string;
export declare const LICENSES: string;
/** Builds the Action's bundle and its licence list into `outDir` (default: ROOT/dist-action). */
export declare function buildAction(outDir?: string): Promise<{ readonly files: readonly string[]; readonly metafile: Metafile; readonly bytes: number }>;
/** esbuild's options for an ES module bundle run by Node 20 (shared with scripts/build-cli.mjs). */
export declare const NODE_BUNDLE: Readonly<Record<string, unknown>>;
