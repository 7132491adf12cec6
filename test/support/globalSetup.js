// Once per jest run: builds dist/ for the tests that load the package as a consumer does (the policy pack process,
// the tarball), and makes the run's folder, where test/support/consumer.ts packs the tarball and installs the consumer
// once for every test file (removed by its default export, jest's globalTeardown).
const { execFileSync } = require("child_process");
const { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } = require("fs");
const { tmpdir } = require("os");
const { join } = require("path");

const SUITE_DIR_VARIABLE = "ALICLOUD_SHARING_SUITE_DIR";
const PREFIX = "alicloud-sharing-suite-";

function alive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return e.code === "EPERM";
    }
}

/** Folders of earlier runs that were killed before their teardown: their jest process is gone. */
function removeAbandonedRuns() {
    for (const entry of readdirSync(tmpdir()).filter((e) => e.startsWith(PREFIX))) {
        const dir = join(tmpdir(), entry);
        let pid;
        try {
            pid = Number(readFileSync(join(dir, "jest.pid"), "utf8"));
        } catch {
            continue;
        }
        if (Number.isInteger(pid) && pid > 0 && !alive(pid)) {
            rmSync(dir, { recursive: true, force: true });
        }
    }
}

/** Removes the compiled outputs in `dist` (modules, declarations, their maps) whose TypeScript source in `src` is gone. */
function removeOrphanedOutputs(dist, src) {
    let entries;
    try {
        entries = readdirSync(dist, { withFileTypes: true });
    } catch {
        return;
    }
    for (const entry of entries) {
        const path = join(dist, entry.name);
        if (entry.isDirectory()) {
            removeOrphanedOutputs(path, join(src, entry.name));
            continue;
        }
        const base = entry.name.match(/^(.*?)\.(?:js|d\.ts)(?:\.map)?$/)?.[1];
        if (base !== undefined && !existsSync(join(src, `${base}.ts`))) {
            rmSync(path, { force: true });
        }
    }
}

/** The newest modification time of the files below a folder (0 for none). */
function newest(dir) {
    let latest = 0;
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
        if (entry.isFile()) {
            latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
        }
    }
    return latest;
}

/** Whether dist/ was built after every source and build setting changed (as `npm test` builds it right before jest). */
function builtSinceChanged(root) {
    let built;
    try {
        built = statSync(join(root, "dist", ".tsbuildinfo")).mtimeMs;
    } catch {
        return false;
    }
    const inputs = [newest(join(root, "src")), ...["tsconfig.json", "tsconfig.build.json", "package.json"].map((f) => statSync(join(root, f)).mtimeMs)];
    return inputs.every((t) => t < built);
}

module.exports = async () => {
    const root = join(__dirname, "..", "..");
    // Built incrementally; a module whose source was deleted must not linger in dist/ (nor in the tarball).
    removeOrphanedOutputs(join(root, "dist"), join(root, "src"));
    // `npm test` has just built it (its build step, beside the typecheck): the compiler's own no-op check takes seconds.
    if (!builtSinceChanged(root)) {
        execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
    }
    removeAbandonedRuns();
    const dir = mkdtempSync(join(tmpdir(), PREFIX));
    writeFileSync(join(dir, "jest.pid"), String(process.pid));
    // Jest's workers start after the global setup and inherit its environment.
    process.env[SUITE_DIR_VARIABLE] = dir;
};
