/**
 * The resource directory, read only, through Alibaba's generic OpenAPI client (ResourceDirectoryMaster, RPC style,
 * version 2022-04-19; global): the directory (GetResourceDirectory), its folder tree (ListFoldersForParent, level by
 * level from the root folder) and its members (ListAccounts), every list paged through the paging helper. Every id is
 * checked against its grammar before it is used; what does not fit is reported, never followed. The result is the
 * organization file's tree, as `org export` writes it and `audit --directory` judges with.
 */
import { isAccountId, isFolderId, isResourceDirectoryId, isRootFolderId } from "../alibaba/ids";
import { MAX_FOLDER_LEVELS } from "../graph/organization";
import type { OrganizationAccount, OrganizationFile, OrganizationFolder } from "../graph/organization";
import { AlibabaApiError } from "../sdk/errors";
import { readAllPages } from "../sdk/paging";
import { rowsOf, totalCountOf } from "../sdk/answers";
import { AuditContext, mapAll, rpc } from "./clients";

/** The largest page the directory's lists return. */
const PAGE_SIZE = 100;

type Row = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** A folder of the directory, and the folder it is in. */
export interface DirectoryFolder {
    readonly id: string;
    readonly name?: string;
    /** The folder it is in: another folder, or the root folder. */
    readonly parentId: string;
}

/** A member account of the directory. */
export interface DirectoryMember {
    readonly id: string;
    readonly name?: string;
    /** The folder it is in. */
    readonly folderId: string;
    /** `ResourceAccount` or `CloudAccount`, as the API says. */
    readonly type?: string;
    /** `CreateSuccess`, `InviteSuccess`, `PromoteSuccess`…, as the API says. */
    readonly status?: string;
}

/** The directory as read. */
export interface DirectoryRead {
    readonly id: string;
    readonly rootFolderId: string;
    /** The management account (the caller, when it may list the members). */
    readonly managementAccountId: string;
    /** Every folder below the root, parents before their children. */
    readonly folders: readonly DirectoryFolder[];
    /** Every member, in the order listed. */
    readonly members: readonly DirectoryMember[];
    /** What was not read because an answer was not valid (an id that does not fit its grammar, a folder listed twice…). */
    readonly incomplete: readonly string[];
}

/** A number-paged list of the directory. */
function allPages(ctx: AuditContext, action: string, resource: string, listKey: string, itemKey: string, query: Record<string, unknown>, key: (row: Row) => string): Promise<Row[]> {
    return readAllPages<Row>({
        action,
        resource,
        style: "number",
        pageSize: PAGE_SIZE,
        maxPages: ctx.maxPages,
        key,
        onPage: (n) => ctx.itemsRead(n),
        fetch: async ({ number }) => {
            const page = `${resource} (page ${number})`;
            const body = await rpc(ctx, "resourcedirectorymaster", ctx.settings.region, action, page, { ...query, PageNumber: number, PageSize: PAGE_SIZE });
            const requestId = str(body.RequestId);
            const outer = body[listKey];
            const list = typeof outer === "object" && outer !== null && !Array.isArray(outer) ? (outer as Row)[itemKey] : undefined;
            // An answer without its list, or rows that are not objects: refused, never read as a shorter list.
            return {
                items: rowsOf(list, `${listKey}.${itemKey}`, action, page, requestId),
                totalCount: totalCountOf(body.TotalCount, action, page, requestId),
                requestId,
            };
        },
    });
}

/** An answer that is not the directory's: the directory cannot be read. */
const invalid = (action: string, detail: string, requestId?: string) =>
    new AlibabaApiError({
        action,
        resource: "the resource directory",
        code: "InvalidResponse",
        detail,
        fix: "Run it with the credentials of the directory's management account (or a delegated administrator of Resource Directory).",
        retryable: false,
        requestId,
    });

/** The same error with another fix (the API's message kept). */
export const withFix = (error: AlibabaApiError, fix: string): AlibabaApiError =>
    new AlibabaApiError({
        action: error.action,
        resource: error.resource,
        code: error.code,
        detail: error.detail,
        fix,
        retryable: error.retryable,
        ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
        ...(error.statusCode === undefined ? {} : { statusCode: error.statusCode }),
    });

/** What to do when the caller's account manages no resource directory. */
export const NO_DIRECTORY_FIX =
    "The account of these credentials manages no resource directory: run it with the credentials of the directory's management account " +
    "(or a delegated administrator of Resource Directory); to audit this account alone, run audit without --directory.";

/**
 * Reads the directory of the caller: its ids, its folders (the tree, level by level, each level's folders read
 * concurrently) and its members. Throws the `AlibabaApiError` of a call that failed; an answer naming no directory is
 * `InvalidResponse`. Folders and members whose ids do not fit their grammar, a folder listed twice, a member in a
 * folder not in the tree are reported in `incomplete`, and left out.
 */
export async function readDirectory(ctx: AuditContext): Promise<DirectoryRead> {
    const body = await rpc(ctx, "resourcedirectorymaster", ctx.settings.region, "GetResourceDirectory", "the resource directory", {}).catch((e: unknown) => {
        throw e instanceof AlibabaApiError && e.code.startsWith("EntityNotExists.ResourceDirectory") ? withFix(e, NO_DIRECTORY_FIX) : e;
    });
    const rd = (typeof body.ResourceDirectory === "object" && body.ResourceDirectory !== null ? body.ResourceDirectory : {}) as Row;
    const id = rd.ResourceDirectoryId;
    const rootFolderId = rd.RootFolderId;
    const managementAccountId = rd.MasterAccountId;
    const requestId = str(body.RequestId);
    if (!isResourceDirectoryId(id) || !isRootFolderId(rootFolderId) || !isAccountId(managementAccountId)) {
        throw invalid("GetResourceDirectory", "the answer named no resource directory id (rd-…), root folder id (r-…) and management account (16 digits)", requestId);
    }
    const incomplete: string[] = [];
    const folders: DirectoryFolder[] = [];
    const known = new Set<string>([rootFolderId]);
    // Level by level from the root: each level's folders are listed concurrently (the limiter bounds the requests).
    // Folders below the deepest level a resource directory nests (the organization file's bound too) are asked for,
    // to know there are none; any that is listed is reported, and neither it nor what it holds is used.
    for (let depth = 0, level: string[] = [rootFolderId]; level.length > 0; depth++) {
        const children = await mapAll(level, async (parentId) => ({
            parentId,
            rows: await allPages(ctx, "ListFoldersForParent", `the folders in ${parentId}`, "Folders", "Folder", { ParentFolderId: parentId }, (r) => String(r.FolderId ?? "")),
        }));
        const next: string[] = [];
        for (const { parentId, rows } of children) {
            for (const row of rows) {
                const folderId = row.FolderId;
                if (!isFolderId(folderId)) {
                    incomplete.push(`ListFoldersForParent named ${JSON.stringify(folderId) ?? "nothing"} in ${parentId}, which is not a folder id (fd-…): not read.`);
                    continue;
                }
                if (known.has(folderId)) {
                    incomplete.push(`ListFoldersForParent named the folder ${folderId} again, in ${parentId}: a tree holds each folder once; read where it was named first.`);
                    continue;
                }
                if (depth === MAX_FOLDER_LEVELS) {
                    incomplete.push(
                        `ListFoldersForParent named the folder ${folderId} in ${parentId}, ${depth + 1} levels below the root folder, deeper than a resource directory nests folders (${MAX_FOLDER_LEVELS} levels): ` +
                            "neither it nor what it holds was used.",
                    );
                    continue;
                }
                known.add(folderId);
                folders.push({ id: folderId, ...(str(row.FolderName) === undefined ? {} : { name: str(row.FolderName) }), parentId });
                next.push(folderId);
            }
        }
        level = next;
    }
    const rows = await allPages(ctx, "ListAccounts", "the members of the resource directory", "Accounts", "Account", {}, (r) => String(r.AccountId ?? ""));
    const members: DirectoryMember[] = [];
    for (const row of rows) {
        const accountId = row.AccountId;
        const folderId = row.FolderId;
        if (!isAccountId(accountId)) {
            incomplete.push(`ListAccounts named ${JSON.stringify(accountId) ?? "nothing"}, which is not an account id (16 digits): not read.`);
            continue;
        }
        if (typeof folderId !== "string" || !known.has(folderId)) {
            incomplete.push(`ListAccounts placed the member ${accountId} in ${JSON.stringify(folderId) ?? "no folder"}, which is not a folder of the tree read: not placed, not audited.`);
            continue;
        }
        members.push({
            id: accountId,
            ...(str(row.DisplayName) === undefined ? {} : { name: str(row.DisplayName) }),
            folderId,
            ...(str(row.Type) === undefined ? {} : { type: str(row.Type) }),
            ...(str(row.Status) === undefined ? {} : { status: str(row.Status) }),
        });
    }
    return { id, rootFolderId, managementAccountId, folders, members, incomplete };
}

/** The directory as the organization file's tree: each folder under its parent, each member in its folder. */
export function organizationOfDirectory(directory: DirectoryRead): Required<Pick<OrganizationFile, "resourceDirectory">> {
    const accountsIn = new Map<string, OrganizationAccount[]>();
    for (const m of directory.members) {
        const list = accountsIn.get(m.folderId) ?? [];
        list.push({ id: m.id, ...(m.name === undefined ? {} : { name: m.name }) });
        accountsIn.set(m.folderId, list);
    }
    const childrenOf = new Map<string, DirectoryFolder[]>();
    for (const f of directory.folders) {
        const list = childrenOf.get(f.parentId);
        if (list === undefined) {
            childrenOf.set(f.parentId, [f]);
        } else {
            list.push(f);
        }
    }
    // Built bottom-up over the folders in reverse (children come after their parents), so any depth is built without recursion.
    const built = new Map<string, OrganizationFolder>();
    for (const f of [...directory.folders].reverse()) {
        const accounts = accountsIn.get(f.id) ?? [];
        const folders = (childrenOf.get(f.id) ?? []).map((c) => built.get(c.id)!);
        built.set(f.id, { id: f.id, ...(f.name === undefined ? {} : { name: f.name }), ...(accounts.length === 0 ? {} : { accounts }), ...(folders.length === 0 ? {} : { folders }) });
    }
    const rootAccounts = accountsIn.get(directory.rootFolderId) ?? [];
    const rootFolders = (childrenOf.get(directory.rootFolderId) ?? []).map((c) => built.get(c.id)!);
    return {
        resourceDirectory: {
            id: directory.id,
            rootFolderId: directory.rootFolderId,
            ...(rootAccounts.length === 0 ? {} : { accounts: rootAccounts }),
            ...(rootFolders.length === 0 ? {} : { folders: rootFolders }),
        },
    };
}
