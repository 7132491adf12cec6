// node scripts/clean.js <dir>...: removes build output folders of this repository (the `prepare` script removes dist/
// before building it, so a deleted source file never leaves a stale module in the package).
const { rmSync } = require("fs");
const { join, relative, resolve, isAbsolute } = require("path");

const root = join(__dirname, "..");
for (const dir of process.argv.slice(2)) {
    const target = resolve(root, dir);
    const rel = relative(root, target);
    if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) {
        throw new Error(`refusing to remove ${target}: not a folder inside ${root}`);
    }
    rmSync(target, { recursive: true, force: true });
}
