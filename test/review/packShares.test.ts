/**
 * Review (issue 15), pack reader: the parts of one resource share matched to it when the share is made in another
 * stack (its id a StackReference output, unknown at preview). Each test names the defect and asserts the correct
 * behaviour.
 */
import { limitsPolicy } from "../../src/policy";
import { TYPES } from "../../src/policy/resources";
import { TestResource, runPolicy, unknown, urnOf } from "../../src/testing";

const OWNER = "1111111111111111";
const at = { providerProps: { region: "cn-shanghai", accountId: OWNER } };

test("a snapshot and 70 targets added to one share made in another stack (its id from a StackReference) exceed C6, as with the share's literal id", async () => {
    const reference: TestResource = { type: "pulumi:pulumi:StackReference", name: "platform", props: { name: "org/platform/prod", outputs: unknown.object } };
    const viaReference = { props: { resourceShareId: unknown.string }, propertyDependencies: { resourceShareId: [urnOf(reference)] } };
    const item: TestResource = { type: TYPES.sharedResource, name: "item", props: { ...viaReference.props, resourceId: "s-abcdef012345", resourceType: "Snapshot" }, propertyDependencies: viaReference.propertyDependencies, ...at };
    const targets: TestResource[] = Array.from({ length: 70 }, (_, i) => ({
        type: TYPES.sharedTarget,
        name: `target${i}`,
        props: { ...viaReference.props, targetId: String(4000000000000000 + i) },
        propertyDependencies: viaReference.propertyDependencies,
        ...at,
    }));
    const literal = (r: TestResource): TestResource => ({ ...r, props: { ...r.props, resourceShareId: "rs-abc123" }, propertyDependencies: {} });
    const rules = async (resources: TestResource[]) => (await runPolicy(limitsPolicy, resources)).map((v) => `${v.finding?.ruleId}@${v.urn?.split("::").pop()}`);
    expect(await rules([item, ...targets].map(literal))).toEqual(["snapshot-account-limit@item"]);
    // shareKeyOf gives each part whose share id is unknown a share of its own (`unknown:<its urn>`): the snapshot has no recipient.
    expect(await rules([reference, item, ...targets])).toEqual(["snapshot-account-limit@item"]);
});
