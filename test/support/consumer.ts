/**
 * What the tests that use the package as its users do share, made once per `npm test` run: the packed tarball and one
 * consumer project that installed it. Whichever test file asks first makes it; the others (in other jest workers
 * too) wait for it. It lives in the run's folder, which jest's globalSetup creates outside the repository (a consumer
 * inside it would resolve modules and `@types` from the repository's own node_modules, hiding a missing dependency)
 * and this module's default export, jest's globalTeardown, removes.
 *
 * The consumer is shared: test files must not change it. Each writes its files in a workspace of its own
 * (`consumerWorkspace`), below the consumer, so they resolve the consumer's node_modules.
 */
import { execFileSync } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "fs";
import { join } from "path";

export const SUITE_DIR_VARIABLE = "ALICLOUD_SHARING_SUITE_DIR";

const root = join(__dirname, "..", "..");
export const rootPackage = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

/**
 * The packages the consumer installs besides the tarball: the README's install line, and nothing else (no TypeScript,
 * no `@pulumi/policy`, no `@types`), at the versions this repository is tested with. Tests that compile TypeScript
 * in the consumer use this repository's compiler and `@types/node` (`repoTsc`, `REPO_TYPE_ROOTS`).
 */
export const CONSUMER_SDKS = ["@pulumi/pulumi", "@pulumi/alicloud"] as const;

/** This repository's TypeScript compiler, for tests that compile a consumer's code. */
export const repoTsc = join(root, "node_modules", "typescript", "bin", "tsc");
/** Where that compiler finds `@types/node` for the consumer's code. */
export const REPO_TYPE_ROOTS = [join(root, "node_modules", "@types")];

/** Runs npm in a folder, offline-preferred; returns its standard output, or throws with its standard error. */
export function npm(args: readonly string[], cwd: string): string {
    return execFileSync("npm", [...args], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

export function npmInstall(cwd: string): void {
    npm(["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], cwd);
}

/** This run's folder (made by test/support/globalSetup.js). */
export function suiteDir(): string {
    const dir = process.env[SUITE_DIR_VARIABLE];
    if (!dir || !existsSync(dir)) {
        throw new Error(`${SUITE_DIR_VARIABLE} names no folder: run the tests with jest, whose globalSetup (test/support/globalSetup.js) makes it`);
    }
    return dir;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Makes `<run folder>/<name>` once. The first caller takes the lock (an atomic mkdir) and makes it; the others poll
 * until it is done, and fail with the maker's error when making it failed.
 */
async function once(name: string, make: (dir: string) => void, timeoutMs = 600_000): Promise<string> {
    const dir = join(suiteDir(), name);
    const [lock, done, failed] = [`${dir}.lock`, `${dir}.done`, `${dir}.failed`];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        if (existsSync(done)) {
            return dir;
        }
        if (existsSync(failed)) {
            throw new Error(`making ${name} failed (in another test file): ${readFileSync(failed, "utf8")}`);
        }
        try {
            mkdirSync(lock);
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== "EEXIST") {
                throw e;
            }
            if (Date.now() > deadline) {
                throw new Error(`waited ${timeoutMs / 1000} s for ${dir} to be made by another test file`);
            }
            await sleep(250);
            continue;
        }
        try {
            mkdirSync(dir);
            make(dir);
            writeFileSync(done, "");
            return dir;
        } catch (e) {
            const error = e as Error & { stderr?: string };
            writeFileSync(failed, `${error.message}${error.stderr ? `\n${error.stderr}` : ""}`);
            throw e;
        }
    }
}

/**
 * The package as `npm pack` makes it, from the dist/ the globalSetup built. `--ignore-scripts`: `prepare` would clean
 * and rebuild dist/ under the other test files.
 */
export async function packedTarball(): Promise<string> {
    const dir = await once("tarball", (d) => {
        npm(["pack", "--ignore-scripts", "--silent", "--pack-destination", d], root);
    });
    const tarballs = readdirSync(dir).filter((f) => f.endsWith(".tgz"));
    if (tarballs.length !== 1) {
        throw new Error(`expected one tarball in ${dir}, found ${JSON.stringify(tarballs)}`);
    }
    return join(dir, tarballs[0]);
}

/** A consumer project that installed the tarball and the Pulumi SDKs as the README's install line does. */
export async function consumerInstall(): Promise<string> {
    const tarball = await packedTarball();
    return once("consumer", (dir) => {
        writeFileSync(
            join(dir, "package.json"),
            JSON.stringify({
                name: "consumer",
                version: "1.0.0",
                private: true,
                dependencies: {
                    "alicloud-sharing": `file:${tarball}`,
                    ...Object.fromEntries(CONSUMER_SDKS.map((p) => [p, rootPackage.devDependencies[p] ?? rootPackage.dependencies[p]])),
                },
            }),
        );
        npmInstall(dir);
    });
}

/** The README's install line and nothing else: the shared consumer is exactly that. */
export const readmeLineInstall = (): Promise<string> => consumerInstall();

/** The README's first program (its first typescript block). */
export function firstExample(): string {
    const match = readFileSync(join(root, "README.md"), "utf8").match(/```typescript\n([\s\S]*?)```/);
    if (!match) {
        throw new Error("README.md has no ```typescript block");
    }
    return match[1];
}

/** A fresh folder below the shared consumer, for one test file's programs. */
export async function consumerWorkspace(label: string): Promise<string> {
    return mkdtempSync(join(await consumerInstall(), `${label}-`));
}

/** jest's globalTeardown (jest.config.js): removes the run's folder. */
export default async function removeSuiteDir(): Promise<void> {
    const dir = process.env[SUITE_DIR_VARIABLE];
    if (dir) {
        rmSync(dir, { recursive: true, force: true });
    }
}
