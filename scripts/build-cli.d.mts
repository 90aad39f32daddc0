import type { Metafile } from "esbuild";

/** The repository's root folder. */
export declare const ROOT: string;
/** The bundle's entry point, relative to ROOT. */
export declare const ENTRY: string;
/** The entry's file name inside the output folder. */
export declare const MAIN: string;
/** The precompiled validators' file name, beside the chunks when the build had them. */
export declare const PRECOMPILED: string;
/** Where `npm run build` writes them (scripts/compile-schemas.mjs), the default for `buildCli`. */
export declare const PRECOMPILED_SOURCE: string;
/** Packages left to Node's resolution at run time. */
export declare const EXTERNAL: readonly string[];
/**
 * Builds the CLI's bundle into `outDir` (default: ROOT/dist/bin), which must sit two folders below ROOT,
 * with the precompiled validators from `precompiled` (default: PRECOMPILED_SOURCE) when that file exists.
 */
export declare function buildCli(outDir?: string, options?: { readonly precompiled?: string }): Promise<{ readonly files: readonly string[]; readonly metafile: Metafile; readonly bytes: number }>;
