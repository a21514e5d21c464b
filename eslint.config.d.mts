/** Types of eslint.config.mjs's named exports, for test/unit/layers.test.ts. */
/** Folder of src/ → the folders it may import. */
export declare const LAYERS: Readonly<Record<string, readonly string[]>>;
/** Folders whose code never imports `vscode`. */
export declare const PURE_FOLDERS: readonly string[];
declare const config: unknown;
export default config;
