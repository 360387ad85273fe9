/** Types of buildServer.mjs (a plain script, so `pnpm start` needs no compiler for it). */
export declare function bundleNodeModule(options: { entry: string; outfile: string; packageJson: string }): Promise<string>;
export declare const SERVER_BUNDLE: string;
export declare function buildServer(): Promise<string>;
