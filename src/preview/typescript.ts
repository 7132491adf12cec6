/**
 * TypeScript programs run as `pulumi preview` runs them (its Node.js runtime, `cmd/run`): ts-node registered with the
 * program's own `typescript` and `ts-node` when it has them, else the versions `@pulumi/pulumi` vendors (TypeScript
 * 3.8.3, ts-node 7.0.1), so the program's TypeScript version is the one `pulumi` would use; the program's
 * `tsconfig.json` (or `PULUMI_NODEJS_TSCONFIG_PATH`); type-checked unless `PULUMI_NODEJS_TRANSPILE_ONLY=true`, the
 * tsconfig's `noCheck`, or `--transpile-only` says otherwise.
 */
import * as fs from "fs";
import * as path from "path";

/** How the program's TypeScript is compiled. */
export interface TypeScriptSetup {
    /** The `typescript` module used, and its version. */
    readonly compiler: string;
    readonly version: string;
    /** The `ts-node` used. */
    readonly tsNode: string;
    /** Whether the program is type-checked. */
    readonly typeCheck: boolean;
}

/** A module resolved from the program's folder, or undefined when the program has none. */
function resolveFrom(programDir: string, request: string): string | undefined {
    try {
        return require.resolve(request, { paths: [programDir] });
    } catch {
        return undefined;
    }
}

/** The folder of the `@pulumi/pulumi` the program uses (else this package's), where the vendored compilers are. */
function pulumiDir(programDir: string): string {
    const manifest = resolveFrom(programDir, "@pulumi/pulumi/package.json") ?? require.resolve("@pulumi/pulumi/package.json");
    return path.dirname(manifest);
}

/** `major.minor` of a version at least `4.7`: then `pulumi` compiles for `nodenext`. */
const atLeast47 = (version: string): boolean => {
    const [major, minor] = version.split(".").map(Number);
    return major > 4 || (major === 4 && minor >= 7);
};

/**
 * Registers ts-node for the program, as `pulumi` does. Call with the working directory set to the program's folder
 * (as `pulumi` runs it), before the program is loaded.
 */
export function registerTypeScript(programDir: string, options: { transpileOnly?: boolean } = {}): TypeScriptSetup {
    const vendor = path.join(pulumiDir(programDir), "vendor");
    const compiler = resolveFrom(programDir, "typescript") ?? path.join(vendor, "typescript@3.8.3", "typescript.js");
    const tsNode = resolveFrom(programDir, "ts-node") ?? path.join(vendor, "ts-node@7.0.1");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require(compiler) as { version: string; parseConfigFileTextToJson(file: string, text: string): { config?: { compilerOptions?: Record<string, unknown> } } };

    const tsConfigPath = process.env.PULUMI_NODEJS_TSCONFIG_PATH ?? "tsconfig.json";
    const skipProject = !fs.existsSync(tsConfigPath);
    if (skipProject && process.env.PULUMI_NODEJS_TSCONFIG_PATH !== undefined) {
        throw new Error(`tsconfig path was set to ${tsConfigPath} but the file was not found`);
    }
    let compilerOptions: Record<string, unknown> = {};
    if (!skipProject) {
        compilerOptions = ts.parseConfigFileTextToJson(tsConfigPath, fs.readFileSync(tsConfigPath, "utf8")).config?.compilerOptions ?? {};
    }
    const fromEnvironment = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
    const transpileOnly = options.transpileOnly === true || (fromEnvironment !== undefined && fromEnvironment !== "" ? fromEnvironment === "true" : compilerOptions.noCheck === true);
    const nodeNext = atLeast47(ts.version);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const register = (require(tsNode) as { register(options: object): unknown }).register;
    register({
        compiler,
        transpileOnly,
        project: tsConfigPath,
        skipProject,
        compilerOptions: {
            target: "ES2020",
            module: nodeNext ? "nodenext" : "commonjs",
            moduleResolution: nodeNext ? "nodenext" : "node",
            sourceMap: "true",
            ...compilerOptions,
        },
    });
    return { compiler, version: ts.version, tsNode, typeCheck: !transpileOnly };
}

/**
 * A TypeScript compile error (ts-node's `TSError`) as the lines of its diagnostics, `file(line,col): error TS…`, or
 * undefined for any other error.
 */
export function typeErrorsOf(error: unknown): string[] | undefined {
    if (!(error instanceof Error) || error.name !== "TSError") {
        return undefined;
    }
    return error.message
        .split("\n")
        .filter((line) => line.trim() !== "" && !/Unable to compile TypeScript/.test(line))
        .map((line) => line.trimEnd());
}
