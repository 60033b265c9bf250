import { escapeLiteral } from "pg";
import type { Prisma } from "./generated/client";

/**
 * A statement's text with its values written in as SQL literals, for the statements that
 * take no parameters (COPY). The pieces come from Prisma.sql, so every value sits exactly
 * where its placeholder would; strings go through pg's escapeLiteral (quotes and backslashes
 * doubled, E'' when there is a backslash), so no value can end its literal.
 */
export function inlineSql(statement: Prisma.Sql): string {
  const { strings, values } = statement;
  let text = strings[0];
  for (let i = 0; i < values.length; i++) text += sqlLiteral(values[i]) + strings[i + 1];
  return text;
}

function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "string") return escapeLiteral(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  // Negative numbers in parentheses: "x -" then "-1" would start a comment.
  if (typeof value === "bigint") return value < 0n ? `(${value})` : String(value);
  if (typeof value === "number" && Number.isFinite(value)) return value < 0 ? `(${value})` : String(value);
  throw new TypeError(`no SQL literal for a ${typeof value} value`);
}
