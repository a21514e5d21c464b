/** The entry of dist/ignore.js: the `ignore` package alone (loaded through ./ignorePackage.ts). */
export { default } from 'ignore';
