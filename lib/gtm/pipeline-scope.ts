/**
 * Which sales owners' opportunities a viewer may see. Every repository is built
 * with one, so every read (page, detail, API, export) is narrowed in SQL and no
 * route can forget it. A URL's `owner` filter only narrows further inside it.
 */
export type PipelineScope = { kind: "all" } | { kind: "owners"; owners: string[] };

export const ALL_OWNERS: PipelineScope = { kind: "all" };

export function ownersScope(owners: Iterable<string>): PipelineScope {
  return { kind: "owners", owners: [...new Set(owners)].sort() };
}
