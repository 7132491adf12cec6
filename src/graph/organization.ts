/**
 * The organization file: the organization's own facts, written once for every reader (the components through the
 * stack config, the pack through its config, the preview and the audit): the resource directory's tree (folders and
 * member accounts), the allow-list of recipients (S3), and each account's site (C3). A folder is judged by its place
 * in the tree, a member account is a member wherever it is judged. JSON or YAML, checked against one JSON schema.
 */
import * as fs from "fs";
import * as yaml from "js-yaml";
import { ACCOUNT_ID, FOLDER_ID, RESOURCE_DIRECTORY_ID, ROOT_FOLDER_ID, isAccountId, isFolderId, isResourceDirectoryId, isRootFolderId, parseFolderPath } from "../alibaba/ids";
import { ACCOUNT_SITES, AccountSite } from "../alibaba/limits";

/** An account in the tree: its id, and (optional) its name and site. */
export interface OrganizationAccount {
    readonly id: string;
    readonly name?: string;
    readonly site?: AccountSite;
}

/** A folder in the tree: its id, name, member accounts and folders. */
export interface OrganizationFolder {
    readonly id: string;
    readonly name?: string;
    readonly accounts?: readonly OrganizationAccount[];
    readonly folders?: readonly OrganizationFolder[];
}

/** The file, as written. */
export interface OrganizationFile {
    /** The resource directory: its id, its root folder, and the tree below it. */
    readonly resourceDirectory?: {
        readonly id: string;
        readonly rootFolderId: string;
        readonly accounts?: readonly OrganizationAccount[];
        readonly folders?: readonly OrganizationFolder[];
    };
    /** S3: who may receive shares, besides the tree's own places (see `isAllowedRecipient`). */
    readonly allowedRecipients?: { readonly accountIds?: readonly string[]; readonly resourceDirectoryIds?: readonly string[]; readonly folderPathPrefixes?: readonly string[] };
    /** C3: the site of accounts outside the tree (those inside may say it on their entry). */
    readonly accountSites?: Readonly<Record<string, AccountSite>>;
}

const account = {
    type: "object",
    properties: { id: { type: "string", pattern: ACCOUNT_ID.source }, name: { type: "string" }, site: { type: "string", enum: [...ACCOUNT_SITES] } },
    required: ["id"],
    additionalProperties: false,
};

/** The file's JSON schema (ajv validates it: every problem at once, with its path). */
export const ORGANIZATION_SCHEMA = {
    type: "object",
    description:
        "The organization file: the resource directory's tree (folders, member accounts), the allow-list of recipients (S3) and account sites (C3), read by the components, the pack, the preview and the audit.",
    properties: {
        resourceDirectory: {
            type: "object",
            properties: {
                id: { type: "string", pattern: RESOURCE_DIRECTORY_ID.source },
                rootFolderId: { type: "string", pattern: ROOT_FOLDER_ID.source },
                accounts: { type: "array", items: account },
                folders: { type: "array", items: { $ref: "#/definitions/folder" } },
            },
            required: ["id", "rootFolderId"],
            additionalProperties: false,
        },
        allowedRecipients: {
            type: "object",
            properties: {
                accountIds: { type: "array", items: { type: "string", pattern: ACCOUNT_ID.source } },
                resourceDirectoryIds: { type: "array", items: { type: "string", pattern: RESOURCE_DIRECTORY_ID.source } },
                folderPathPrefixes: { type: "array", items: { type: "string", minLength: 1 } },
            },
            additionalProperties: false,
        },
        accountSites: { type: "object", propertyNames: { pattern: ACCOUNT_ID.source }, additionalProperties: { type: "string", enum: [...ACCOUNT_SITES] } },
    },
    additionalProperties: false,
    definitions: {
        folder: {
            type: "object",
            properties: {
                id: { type: "string", pattern: FOLDER_ID.source },
                name: { type: "string" },
                accounts: { type: "array", items: account },
                folders: { type: "array", items: { $ref: "#/definitions/folder" } },
            },
            required: ["id"],
            additionalProperties: false,
        },
    },
} as const;

/** The organization, indexed: where each folder and member account sits. */
export interface Organization {
    readonly directoryId?: string;
    /** The path of each folder of the tree (the root folder's too), by id: `rd-…/r-…/fd-…`. */
    readonly folderPaths: ReadonlyMap<string, string>;
    /** The path of the folder each member account sits in, by account id. */
    readonly accountFolders: ReadonlyMap<string, string>;
    /** Each account's site, from the tree and `accountSites`. */
    readonly sites: Readonly<Record<string, AccountSite>>;
    readonly allowedRecipients?: { readonly accountIds: readonly string[]; readonly resourceDirectoryIds: readonly string[]; readonly folderPathPrefixes: readonly string[] };
    /** Problems of the tree itself (a folder or account listed twice): the file does not say one thing. */
    readonly problems: readonly string[];
}

/** Indexes a file already checked against the schema. */
export function organizationOf(file: OrganizationFile): Organization {
    const folderPaths = new Map<string, string>();
    const accountFolders = new Map<string, string>();
    const sites: Record<string, AccountSite> = { ...(file.accountSites ?? {}) };
    const problems: string[] = [];
    const rd = file.resourceDirectory;
    const place = (accounts: readonly OrganizationAccount[] | undefined, path: string) => {
        for (const a of accounts ?? []) {
            if (accountFolders.has(a.id)) {
                problems.push(`account ${a.id} is listed in ${accountFolders.get(a.id)} and in ${path}`);
                continue;
            }
            accountFolders.set(a.id, path);
            if (a.site !== undefined) {
                sites[a.id] = a.site;
            }
        }
    };
    // Iteratively, so a tree of any depth is read without recursion.
    if (rd !== undefined) {
        const root = `${rd.id}/${rd.rootFolderId}`;
        folderPaths.set(rd.rootFolderId, root);
        place(rd.accounts, root);
        // In the file's order (a queue), so what is listed twice is reported where it is listed again.
        const queue: { folder: OrganizationFolder; parent: string }[] = (rd.folders ?? []).map((folder) => ({ folder, parent: root }));
        for (let next = 0; next < queue.length; next++) {
            const { folder, parent } = queue[next];
            const path = `${parent}/${folder.id}`;
            if (folderPaths.has(folder.id)) {
                problems.push(`folder ${folder.id} is listed at ${folderPaths.get(folder.id)} and at ${path}`);
                continue;
            }
            folderPaths.set(folder.id, path);
            place(folder.accounts, path);
            for (const f of folder.folders ?? []) {
                queue.push({ folder: f, parent: path });
            }
        }
    }
    const allowed = file.allowedRecipients;
    return {
        directoryId: rd?.id,
        folderPaths,
        accountFolders,
        sites,
        ...(allowed === undefined ? {} : { allowedRecipients: { accountIds: allowed.accountIds ?? [], resourceDirectoryIds: allowed.resourceDirectoryIds ?? [], folderPathPrefixes: allowed.folderPathPrefixes ?? [] } }),
        problems,
    };
}

/** Folder levels below the root folder a resource directory holds at most. */
export const MAX_FOLDER_LEVELS = 5;

/**
 * What keeps a file's contents from being one tree, before anything reads it as one (iteratively, in time linear in
 * the file): a node met twice (a YAML alias repeats or contains its anchor), folders nested deeper than a resource
 * directory allows. Each names where in the file.
 */
export function treeShapeProblems(value: unknown): { path: string; message: string }[] {
    const problems: { path: string; message: string }[] = [];
    const seen = new Set<object>();
    const rd = typeof value === "object" && value !== null ? (value as Record<string, unknown>).resourceDirectory : undefined;
    if (typeof rd !== "object" || rd === null) {
        return problems;
    }
    const stack: { folders: unknown; path: string; level: number }[] = [{ folders: (rd as Record<string, unknown>).folders, path: "resourceDirectory.folders", level: 1 }];
    seen.add(rd);
    while (stack.length > 0 && problems.length < 5) {
        const { folders, path, level } = stack.pop()!;
        if (!Array.isArray(folders)) {
            continue;
        }
        if (seen.has(folders)) {
            problems.push({ path, message: "repeats a list written elsewhere in the file (a YAML alias): write each folder once" });
            continue;
        }
        seen.add(folders);
        folders.forEach((folder, i) => {
            const at = `${path}[${i}]`;
            if (typeof folder !== "object" || folder === null) {
                return;
            }
            const id = (folder as Record<string, unknown>).id;
            if (seen.has(folder)) {
                problems.push({ path: at, message: `repeats folder ${JSON.stringify(id)}, written elsewhere in the file (a YAML alias of an anchor it may contain): write each folder once` });
                return;
            }
            seen.add(folder);
            if (level > MAX_FOLDER_LEVELS) {
                problems.push({ path: at, message: `folder ${JSON.stringify(id)} is ${level} levels below the root folder; a resource directory nests folders ${MAX_FOLDER_LEVELS} levels deep at most` });
                return;
            }
            stack.push({ folders: (folder as Record<string, unknown>).folders, path: `${at}.folders`, level: level + 1 });
        });
    }
    return problems;
}

/** The full path of a recipient given by id or path: a folder or root folder by its place in the tree; anything else as it is. */
export function recipientPath(recipient: string, organization: Organization | undefined): string {
    if (organization === undefined) {
        return recipient;
    }
    if (isFolderId(recipient) || isRootFolderId(recipient)) {
        return organization.folderPaths.get(recipient) ?? recipient;
    }
    return recipient;
}

/** Where the tree places the folder a path ends in, when it places it elsewhere than the path says. */
export function misplacedFolder(path: string, organization: Organization | undefined): string | undefined {
    const parsed = parseFolderPath(path);
    if (parsed === undefined || organization === undefined) {
        return undefined;
    }
    const last = parsed.folderIds.length > 0 ? parsed.folderIds[parsed.folderIds.length - 1] : parsed.rootFolderId;
    const known = organization.folderPaths.get(last);
    return known !== undefined && known !== path ? known : undefined;
}

/** Whether an account is a member of the directory, as the tree says. */
export const isMember = (accountId: string, organization: Organization | undefined): boolean => isAccountId(accountId) && (organization?.accountFolders.has(accountId) ?? false);

/** Whether a value is a resource directory id the tree is about. */
export const isTreeDirectory = (value: string, organization: Organization | undefined): boolean => isResourceDirectoryId(value) && organization?.directoryId === value;

/** Reads an organization file's text: YAML (JSON is YAML too). Throws with the file's name when it does not parse. */
export function parseOrganizationText(text: string, fileName: string): unknown {
    try {
        return yaml.load(text, { filename: fileName, schema: yaml.JSON_SCHEMA });
    } catch (e) {
        throw new Error(`the organization file ${fileName} is not valid JSON or YAML: ${(e as Error).message}`);
    }
}

/** Reads an organization file from disk (its contents not yet checked against the schema). */
export function readOrganizationFile(fileName: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(fileName, "utf8");
    } catch (e) {
        throw new Error(`the organization file ${fileName} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    return parseOrganizationText(text, fileName);
}
