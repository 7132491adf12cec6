/**
 * The facts of each kind of shared resource, in one table: its id grammar, its Resource Sharing type (C31), its share
 * role and the constraint that requires it (C9, C21), its account limit and the setting that moves it (C6, C17), how
 * it can be granted, the component that shares it and the argument that lists it, and the `@pulumi/alicloud`
 * resources that make it. The names, rules, readers and components read these; a new kind is a new row.
 */
import { IMAGE_ID, SNAPSHOT_ID } from "./ids";
import { TYPES } from "./resourceTypes";

/** What is shared. */
export type ResourceKind = "snapshot" | "image";

/** The facts of one kind. */
export interface KindFacts {
    /** Its id grammar (`s-…`, `m-…`). */
    readonly id: RegExp;
    /** C31: the exact, case-sensitive Resource Sharing type. */
    readonly sharingType: string;
    /** C9 / C21 / S4: the role ECS assumes to share it encrypted, by its fixed name, and the constraint that requires it. */
    readonly shareRole: { readonly name: string; readonly constraint: "C9" | "C21" };
    /** The limit of accounts per resource: the setting that holds it and its constraint. */
    readonly accountLimit: { readonly setting: "maxAccountsPerSnapshot" | "imageShareQuota"; readonly constraint: "C6" | "C17" };
    /** How it can be granted: through a resource share (C5), and for images by image permission too (C17). */
    readonly grantMethods: readonly ("resourceShare" | "imagePermission")[];
    /** The component that shares it, and the argument that lists what it shares. */
    readonly component: { readonly name: "SharedSnapshot" | "SharedImage"; readonly idsArgument: "snapshotIds" | "imageIds" };
    /** The `@pulumi/alicloud` resources that make one (a copy is one of its kind). */
    readonly madeBy: readonly string[];
}

export const KINDS: Readonly<Record<ResourceKind, KindFacts>> = Object.freeze({
    snapshot: {
        id: SNAPSHOT_ID,
        sharingType: "Snapshot",
        shareRole: { name: "AliyunECSShareEncryptSnapshotDefaultRole", constraint: "C9" },
        accountLimit: { setting: "maxAccountsPerSnapshot", constraint: "C6" },
        grantMethods: ["resourceShare"],
        component: { name: "SharedSnapshot", idsArgument: "snapshotIds" },
        madeBy: [TYPES.ecsSnapshot, TYPES.snapshot],
    },
    image: {
        id: IMAGE_ID,
        sharingType: "Image",
        shareRole: { name: "AliyunECSShareEncryptImageDefaultRole", constraint: "C21" },
        accountLimit: { setting: "imageShareQuota", constraint: "C17" },
        grantMethods: ["resourceShare", "imagePermission"],
        component: { name: "SharedImage", idsArgument: "imageIds" },
        madeBy: [TYPES.image, TYPES.imageCopy, TYPES.copyImage],
    },
});

export const RESOURCE_KINDS = Object.keys(KINDS) as ResourceKind[];

/** One value per kind, from the table. */
export const byKind = <T>(pick: (facts: KindFacts) => T): Readonly<Record<ResourceKind, T>> =>
    Object.freeze(Object.fromEntries(RESOURCE_KINDS.map((k) => [k, pick(KINDS[k])])) as Record<ResourceKind, T>);
