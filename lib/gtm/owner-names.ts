/**
 * Sales owners' display names by id, from the teams file's `owner_name`. The screen shows
 * them; ids stay in URLs, the API and exports (they are what filters and files match on).
 */
export type OwnerNames = Readonly<Record<string, string>>;

/** What the screen calls an owner: the display name the teams file gives, else the id. */
export function ownerName(owner: string, names: OwnerNames): string {
  return Object.hasOwn(names, owner) ? names[owner] : owner;
}

/** A person where both matter (a choice to find by either, a forecast row): "Name (id)", else the id. */
export function nameAndId(id: string, name: string | null): string {
  return name ? `${name} (${id})` : id;
}

/** An owner as nameAndId, by the teams file's names. */
export function ownerNameAndId(owner: string, names: OwnerNames): string {
  return nameAndId(owner, Object.hasOwn(names, owner) ? names[owner] : null);
}

/** The names of `owners` only: what a client component needs of them, not the whole team's. */
export function namesOf(owners: Iterable<string>, names: OwnerNames): OwnerNames {
  const picked: Record<string, string> = {};
  for (const owner of owners) if (Object.hasOwn(names, owner)) picked[owner] = names[owner];
  return picked;
}
