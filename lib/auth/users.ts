import { randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import type { PrismaClient } from "../db/generated/client";
import { MAX_ID_LENGTH } from "../gtm/limits";
import { isUserRole, USER_ROLES, type UserRole } from "./scope";

export class InvalidUserInput extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = "InvalidUserInput";
  }
}

export interface UserInput {
  email: string;
  name?: string;
  role: string;
  ownerId?: string | null;
  password: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const MIN_PASSWORD_LENGTH = 10;

function validRole(role: string): UserRole {
  if (!isUserRole(role))
    throw new InvalidUserInput("role", `"${role}" is not a role (expected ${USER_ROLES.join(", ")})`);
  return role;
}

function validOwner(role: UserRole, ownerId: string | null | undefined): string | null {
  const owner = ownerId?.trim() || null;
  if (role !== "admin" && !owner)
    throw new InvalidUserInput(
      "owner",
      `a ${role} needs --owner (${role === "rep" ? "their sales_owner id" : "their manager id from the teams file"})`,
    );
  if (owner && owner.length > MAX_ID_LENGTH)
    throw new InvalidUserInput("owner", `must be at most ${MAX_ID_LENGTH} characters`);
  return role === "admin" ? null : owner;
}

function validPassword(password: string): string {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new InvalidUserInput("password", `must be at least ${MIN_PASSWORD_LENGTH} characters`);
  return password;
}

/** Creates a user who signs in with email and password (Better Auth's credential account). */
export async function createUser(prisma: PrismaClient, input: UserInput): Promise<{ id: string }> {
  const email = input.email.trim().toLowerCase();
  if (!EMAIL.test(email)) throw new InvalidUserInput("email", `"${input.email}" is not an email address`);
  const role = validRole(input.role);
  const ownerId = validOwner(role, input.ownerId);
  const password = await hashPassword(validPassword(input.password));
  if (await prisma.user.findUnique({ where: { email } }))
    throw new InvalidUserInput("email", `a user with ${email} already exists`);
  const id = randomUUID();
  await prisma.user.create({
    data: {
      id,
      email,
      name: input.name?.trim() || email,
      role,
      ownerId,
      emailVerified: true,
      accounts: { create: { id: randomUUID(), accountId: id, providerId: "credential", password } },
    },
  });
  return { id };
}

/** Changes a user's role, owner link or password; sessions end when the password changes. */
export async function updateUser(
  prisma: PrismaClient,
  email: string,
  changes: { role?: string; ownerId?: string | null; password?: string; name?: string },
): Promise<void> {
  const user = await prisma.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  if (!user) throw new InvalidUserInput("email", `no user with ${email}`);
  const role = changes.role ? validRole(changes.role) : user.role;
  const ownerId = validOwner(role, changes.ownerId === undefined ? user.ownerId : changes.ownerId);
  await prisma.$transaction(async (tx) => {
    await tx.user.update({
      where: { id: user.id },
      data: { role, ownerId, ...(changes.name && { name: changes.name }) },
    });
    if (changes.password) {
      const password = await hashPassword(validPassword(changes.password));
      await tx.account.updateMany({ where: { userId: user.id, providerId: "credential" }, data: { password } });
      await tx.session.deleteMany({ where: { userId: user.id } });
    }
  });
}

export async function listUsers(prisma: PrismaClient) {
  return prisma.user.findMany({
    orderBy: [{ role: "asc" }, { email: "asc" }],
    select: { id: true, email: true, name: true, role: true, ownerId: true, createdAt: true },
  });
}
