import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { createApiToken, listApiTokens, revokeApiToken } from "../lib/auth/api-tokens";
import { InvalidUserInput, createUser, listUsers, updateUser } from "../lib/auth/users";
import { migrate } from "../lib/db/migrate";
import { openDatabase } from "../lib/db/open-database";

const USAGE = `Usage:
  npm run user -- create --email <email> --role admin|manager|rep [--owner <id>] [--name <name>] [--password <pw>]
  npm run user -- update --email <email> [--role ...] [--owner <id>] [--name <name>] [--password <pw>]
  npm run user -- list
  npm run user -- token create --email <email> --name <token name>
  npm run user -- token list --email <email>
  npm run user -- token revoke --email <email> --id <token id>

--owner: a rep's sales_owner id, or a manager's id as in the teams file (sales_owner,manager).
Without --password, create makes a random one and prints it once.`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: "string" },
      role: { type: "string" },
      owner: { type: "string" },
      name: { type: "string" },
      password: { type: "string" },
      id: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return void console.log(USAGE);
  const [command, subcommand] = positionals;
  const need = (name: keyof typeof values) => {
    const value = values[name];
    if (typeof value !== "string" || value === "")
      throw new UsageError(`--${name} is required for "${positionals.join(" ")}"`);
    return value;
  };
  const db = await openDatabase();
  try {
    await migrate(db.driver);
    const { prisma } = db;
    const userId = async () => {
      const user = await prisma.user.findUnique({ where: { email: need("email").toLowerCase() } });
      if (!user) throw new InvalidUserInput("email", `no user with ${values.email}`);
      return user.id;
    };
    switch (command === "token" ? `token ${subcommand}` : command) {
      case "create": {
        const password = values.password ?? randomBytes(12).toString("base64url");
        await createUser(prisma, {
          email: need("email"),
          role: need("role"),
          ownerId: values.owner,
          name: values.name,
          password,
        });
        console.log(
          `Created ${values.email} (${values.role}${values.owner ? `, ${values.owner}` : ""}).${values.password ? "" : ` Password: ${password}`}`,
        );
        return;
      }
      case "update":
        await updateUser(prisma, need("email"), {
          role: values.role,
          ownerId: values.owner,
          password: values.password,
          name: values.name,
        });
        console.log(`Updated ${values.email}.`);
        return;
      case "list":
        for (const user of await listUsers(prisma))
          console.log(`${user.role.padEnd(8)} ${user.email.padEnd(32)} ${user.ownerId ?? ""}`);
        return;
      case "token create": {
        const { token, info } = await createApiToken(prisma, await userId(), need("name"));
        console.log(`Token ${info.id} (${info.name}); shown only now:\n${token}`);
        return;
      }
      case "token list":
        for (const token of await listApiTokens(prisma, await userId())) {
          console.log(
            `${token.id}  ${token.prefix}…  ${token.name}  ${token.revokedAt ? `revoked ${token.revokedAt.toISOString()}` : "active"}`,
          );
        }
        return;
      case "token revoke":
        if (!(await revokeApiToken(prisma, await userId(), need("id"))))
          throw new InvalidUserInput("id", "no such active token for this user");
        console.log("Revoked.");
        return;
      default:
        throw new UsageError(command ? `unknown command "${positionals.join(" ")}"` : "no command given");
    }
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || (error instanceof TypeError && "code" in error)) {
    console.error(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  process.exit(1);
});
