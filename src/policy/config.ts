/**
 * A policy pack config, as `pulumi preview --policy-pack-config FILE` takes it: by policy name (or `all`), either an
 * enforcement level or an object of `enforcementLevel` and the policy's settings. Checked against each policy's
 * config schema with one JSON-schema validator (ajv), every problem at once, each with its JSON path and, for a
 * misspelt name, the closest valid one.
 */
import type { EnforcementLevel, PolicyConfigSchema } from "@pulumi/policy";
import { closest, distance } from "fastest-levenshtein";
import type { OrganizationFile } from "../graph/organization";
import { JsonSchema, SettingProblem, problemsOf, validatorOf, withOrganizationFile } from "../rules/settings";

/** The enforcement levels a config may give a policy. */
export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** What is read of a policy: its name, level and config schema. */
export interface ConfigurablePolicy {
    readonly name: string;
    readonly enforcementLevel?: EnforcementLevel;
    readonly configSchema?: PolicyConfigSchema;
}

/** `; did you mean "x"?` when the closest of `candidates` is close enough to `name` to be a likely misspelling, else "". */
export function didYouMean(name: string, candidates: readonly string[]): string {
    if (candidates.length === 0) {
        return "";
    }
    const best = closest(name, [...candidates]);
    return distance(name, best) <= Math.max(2, Math.floor(best.length / 3)) ? `; did you mean "${best}"?` : "";
}

const LEVEL_SCHEMA = { type: "string", enum: [...ENFORCEMENT_LEVELS] };

/** The schema of one policy's entry in the object form: `enforcementLevel` and its settings, nothing else. */
function entrySchema(policy: ConfigurablePolicy | undefined): JsonSchema {
    return {
        type: "object",
        properties: { enforcementLevel: LEVEL_SCHEMA, ...(policy?.configSchema?.properties ?? {}) },
        ...(policy?.configSchema?.required === undefined ? {} : { required: policy.configSchema.required }),
        additionalProperties: false,
    };
}

/** The part of a schema a JSON pointer (`#/properties/a/items`) names. */
function schemaAt(schema: object, pointer: string): unknown {
    return pointer
        .replace(/^#\/?/, "")
        .split("/")
        .filter((p) => p !== "")
        .reduce<unknown>((at, p) => (typeof at === "object" && at !== null ? (at as Record<string, unknown>)[p.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined), schema);
}

/** The value a JSON pointer (`/a/0/b`) names in the data. */
function valueAt(data: unknown, pointer: string): unknown {
    return pointer
        .split("/")
        .slice(1)
        .reduce<unknown>((at, p) => (typeof at === "object" && at !== null ? (at as Record<string, unknown>)[p.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined), data);
}

/** The problems of one policy's entry (a level, or an object of `enforcementLevel` and settings), paths under `policyName`. */
export function policyEntryProblems(policyName: string, entry: unknown, policy: ConfigurablePolicy | undefined, others: readonly ConfigurablePolicy[] = []): SettingProblem[] {
    const base = policyName;
    if (typeof entry === "string") {
        return ENFORCEMENT_LEVELS.includes(entry as EnforcementLevel)
            ? []
            : [{ path: base, message: `must be one of ${ENFORCEMENT_LEVELS.map((l) => JSON.stringify(l)).join(", ")} (or an object of enforcementLevel and the policy's settings), not ${JSON.stringify(entry)}` }];
    }
    const schema = entrySchema(policy);
    const validate = validatorOf(schema);
    if (validate(entry)) {
        return [];
    }
    // Each error as the settings report it (JSON path, message), with the closest valid name for an unknown key and
    // the value given for a wrong type or value (a policy config is no secret).
    return (validate.errors ?? []).flatMap((error) => {
        const [problem] = problemsOf([error], entry, base);
        if (problem === undefined) {
            return [];
        }
        if (error.keyword === "additionalProperties") {
            const parent = schemaAt(schema, error.schemaPath.replace(/\/additionalProperties$/, "")) as { properties?: Record<string, unknown> } | undefined;
            const key = String((error.params as { additionalProperty: string }).additionalProperty);
            // A setting of other policies, at the top of the entry: say which read it.
            const readers = error.instancePath === "" ? others.filter((o) => o.configSchema !== undefined && Object.hasOwn(o.configSchema.properties, key)).map((o) => o.name) : [];
            const hint = readers.length > 0 ? `; ${key} is a setting of ${readers.join(", ")}` : didYouMean(key, Object.keys(parent?.properties ?? {}));
            return [{ path: problem.path, message: `${problem.message}${hint}` }];
        }
        if (error.keyword === "type" || error.keyword === "enum" || error.keyword === "pattern") {
            return [{ path: problem.path, message: `${problem.message}, not ${JSON.stringify(valueAt(entry, error.instancePath))}` }];
        }
        return [problem];
    }).filter((p, i, all) => all.findIndex((q) => q.path === p.path && q.message === p.message) === i);
}

/**
 * Every problem of a pack config: not an object, a policy the pack does not have (with the closest name), an entry
 * that is neither a level nor an object, a bad level, a setting the policy does not take (with the closest name), a
 * value of the wrong type or form. Empty when the config is valid.
 */
export function packConfigProblems(config: unknown, policies: readonly ConfigurablePolicy[]): SettingProblem[] {
    if (typeof config !== "object" || config === null || Array.isArray(config)) {
        return [{ path: "", message: "must be an object keyed by policy name (or all)" }];
    }
    const names = policies.map((p) => p.name);
    const problems: SettingProblem[] = [];
    for (const [name, entry] of Object.entries(config)) {
        const policy = policies.find((p) => p.name === name);
        if (policy === undefined && name !== "all") {
            problems.push({ path: name === "" ? '""' : name, message: `is not a policy of the pack${didYouMean(name, [...names, "all"])}` });
            continue;
        }
        problems.push(...policyEntryProblems(name, entry, policy, policies));
    }
    return problems;
}

/**
 * One policy's config as the engine hands it to the policy: `all`'s level, then the policy's own entry (a level, or
 * an object of `enforcementLevel` and settings). The level is the policy's own when the config gives none.
 */
export function resolvedPolicyConfig(config: Readonly<Record<string, unknown>>, policy: ConfigurablePolicy): { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> } {
    const levelOf = (entry: unknown): EnforcementLevel | undefined =>
        typeof entry === "string" ? (entry as EnforcementLevel) : typeof entry === "object" && entry !== null ? ((entry as { enforcementLevel?: EnforcementLevel }).enforcementLevel ?? undefined) : undefined;
    // A level the engine would refuse is refused here too: never a violation tagged with a level that is none.
    const entries: [string, unknown, ConfigurablePolicy | undefined][] = [[policy.name, config[policy.name], policy], ["all", config.all, undefined]];
    const problems = entries.flatMap(([name, entry, p]) => (entry === undefined ? [] : policyEntryProblems(name, entry, p))).filter(
        (p) => p.path.endsWith("enforcementLevel") || !p.path.includes("."),
    );
    if (problems.length > 0) {
        throw new PolicyConfigError(problems);
    }
    const own = config[policy.name];
    const { enforcementLevel: _level, ...properties } = typeof own === "object" && own !== null ? (own as Record<string, unknown>) : {};
    void _level;
    return { enforcementLevel: levelOf(own) ?? levelOf(config.all) ?? policy.enforcementLevel ?? "advisory", properties };
}

/** A policy the config sets to another level than its own. */
export interface LevelChange {
    readonly policy: string;
    readonly level: string;
    readonly defaultLevel: string;
}

/** The policies a config sets to another level than their own: said in every report, so a disabled check is never silent. */
export function levelChangesOf(config: Readonly<Record<string, unknown>>, policies: readonly ConfigurablePolicy[]): LevelChange[] {
    return policies
        .map((p) => ({ policy: p.name, level: resolvedPolicyConfig(config, p).enforcementLevel, defaultLevel: p.enforcementLevel ?? "advisory" }))
        .filter((c) => c.level !== c.defaultLevel);
}

/**
 * The organization a pack config gives, for reports to group recipients by directory and folder: the first policy's
 * `organization`, or its `organizationFile` read from `baseDir` (as the pack reads it). Undefined when none gives one,
 * or the one given cannot be read (the policies report that).
 */
export function organizationOfConfig(config: Readonly<Record<string, unknown>>, baseDir: string = process.cwd()): OrganizationFile | undefined {
    for (const entry of Object.values(config)) {
        if (typeof entry !== "object" || entry === null) {
            continue;
        }
        const { values, problems } = withOrganizationFile(entry as Record<string, unknown>, baseDir);
        if (problems.length === 0 && typeof values.organization === "object" && values.organization !== null) {
            return values.organization as OrganizationFile;
        }
    }
    return undefined;
}

/** What `sharingPolicies` takes: by policy name (or `all`), a level, or an object of `enforcementLevel` and settings. */
export type SharingPoliciesConfig = Readonly<Record<string, EnforcementLevel | Readonly<Record<string, unknown>>>>;

/** A policy config that does not fit the pack's schemas: every problem, with its path. */
export class PolicyConfigError extends Error {
    constructor(readonly problems: readonly SettingProblem[]) {
        super(`the policy config has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${problems.map((p) => `  - ${p.path === "" ? "(the whole config)" : p.path}: ${p.message}`).join("\n")}`);
        this.name = "PolicyConfigError";
    }
}
