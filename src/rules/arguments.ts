/** The rule every component argument answers to before any other (S8). */
import { COMPONENT_NAMES, POLICY_NAMES } from "./enforcement";
import { defineRule } from "./types";

export const argumentsWellFormed = defineRule({
    id: "arguments-well-formed",
    constraints: ["S8"],
    severity: "error",
    title: "Arguments have their declared form",
    description:
        "Each component argument has a declared form: a plain list of strings for recipients, a string or an Output of one for ids, a boolean, " +
        "a whole number, a map by region, a list of objects. A value of another form (a string where a list belongs, an Output where the value " +
        "must be known when the program runs, a hole in a list, a `null` entry, `\"false\"` for a boolean, `NaN`) or a misspelt argument is " +
        "refused with its path before anything else is judged, never coerced, dropped or read as absent.",
    subject: "share",
    enforcement: {
        components: COMPONENT_NAMES,
        policies: { reason: "the engine gives raw resources their provider's schema; each value a rule reads is judged in whatever form it has" },
    },
    // Judged by each component against its declared argument forms (components/arguments.ts), not on an intent.
    check: () => [],
});

export const policyConfigValid = defineRule({
    id: "policy-config-valid",
    constraints: ["S8"],
    severity: "error",
    title: "The pack's config has its declared form",
    description:
        "Each policy's config is checked against the policy's config schema: its enforcement level, each setting's type and form, no key it does " +
        "not take. The engine checks the same schemas before it configures the pack, and the offline preview before it runs; a config that " +
        "reaches a policy anyway is reported by that policy, once, with the path of each problem, and the policy judges with its default " +
        "settings (no exemption, the documented limits, failing closed) until the config is fixed.",
    subject: "exemption",
    enforcement: { components: { reason: "components read no policy config" }, policies: POLICY_NAMES },
    // Judged by each policy against its config schema (policy/config.ts), not on a subject.
    check: () => [],
});
