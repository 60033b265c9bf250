import { copyTextField, type SqlConnection } from "../db/sql-driver";
import { GtmDomainError } from "../gtm/errors";
import { type EntitySpec, type ImportColumn, requiredColumns } from "./crm-entities";
import { type CsvRecord, CsvSyntaxError, readCsvFile } from "./csv-reader";
import { MissingValue, NotUtf8, ValueTooLong } from "./field-rules";
import { FILE_LEVEL, ROW_LEVEL } from "./import-problems";
import { StagingWriter } from "./staging-tables";

export interface StagedFile {
  /** Data rows read (header and empty lines not counted). */
  rows: number;
  /** A problem with the file itself (header, broken quoting): its rows cannot be trusted. */
  fileProblem: boolean;
  warnings: string[];
  /** The optional columns the file has (the others keep their stored values). */
  optionalColumns: string[];
}

/** Where the file holds each of the spec's columns (-1: an optional column it lacks), and how many fields its header has. */
interface Layout {
  positions: number[];
  width: number;
}

/**
 * One streaming pass over a CSV file: checks the header, validates each row in TypeScript
 * (the domain's parsers) and stages it, valid or not, with its line number; every problem
 * goes to the problems table. Memory stays at one batch whatever the file size.
 */
export async function stageFile(
  tx: SqlConnection,
  spec: EntitySpec,
  file: string,
  label: string,
  batchSize: number,
): Promise<StagedFile> {
  const writer = new StagingWriter(tx, spec, batchSize);
  let layout: Layout | undefined;
  let rows = 0;
  let fileProblem = false;
  const warnings: string[] = [];
  try {
    read: for await (const records of readCsvFile(file)) {
      for (const record of records) {
        // PostgreSQL text cannot hold NUL; in a CSV it means UTF-16 or binary. Shown as �, it is rejected like any non-UTF-8 byte.
        if (record.fields.some((field) => field.includes("\u0000")))
          record.fields = record.fields.map((field) => field.replaceAll("\u0000", "\uFFFD"));
        if (layout === undefined) {
          const header = record.fields.map((name) => name.trim().toLowerCase());
          const headerProblem = checkHeader(spec, header);
          if (headerProblem) {
            writer.problem(record.line, FILE_LEVEL, "", headerProblem);
            fileProblem = true;
            break read;
          }
          layout = { positions: spec.columns.map((column) => header.indexOf(column.name)), width: header.length };
          const extra = header.filter((name) => !spec.columns.some((column) => column.name === name));
          if (extra.length > 0)
            warnings.push(
              `${label}: ignoring column${extra.length > 1 ? "s" : ""} ${extra.map((e) => `"${e}"`).join(", ")} (not part of the ${spec.entity} import)`,
            );
          continue;
        }
        rows++;
        writer.add(stagedRow(spec, layout, record, writer));
        if (writer.full) await writer.flush();
      }
    }
    if (layout === undefined && !fileProblem) {
      writer.problem(0, FILE_LEVEL, "", `the file is empty; the first line must be the header ${headerOf(spec)}`);
      fileProblem = true;
    }
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    writer.problem(error.line, FILE_LEVEL, "", `${error.reason}; the rest of the file was not read`);
    fileProblem = true;
  }
  await writer.close();
  const optionalColumns = layout
    ? spec.columns.filter((column, k) => column.optional && layout.positions[k] !== -1).map((column) => column.name)
    : [];
  return { rows, fileProblem, warnings, optionalColumns };
}

const headerOf = (spec: EntitySpec) =>
  requiredColumns(spec)
    .map((c) => c.name)
    .join(",");

function checkHeader(spec: EntitySpec, header: string[]): string | undefined {
  const expected = headerOf(spec);
  if (header.some((name) => name.includes("\uFFFD"))) {
    return `the header is not UTF-8 text (is the file UTF-16, or not a CSV at all?); save it as "CSV UTF-8" with the header ${expected}`;
  }
  const missing = requiredColumns(spec)
    .map((c) => c.name)
    .filter((name) => !header.includes(name));
  if (missing.length > 0) {
    return `missing required column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} in the header (found ${truncateText(header.join(","), 200)}); the ${spec.entity} file must start with the header ${expected}`;
  }
  const twice = spec.columns.map((c) => c.name).find((name) => header.indexOf(name) !== header.lastIndexOf(name));
  if (twice) return `column ${twice} appears more than once in the header`;
  return undefined;
}

/** One data row as a line of COPY text (line, whether it is valid, the values to store); its problems go to `writer`. */
function stagedRow(spec: EntitySpec, layout: Layout, record: CsvRecord, writer: StagingWriter): string {
  const { fields, line } = record;
  let ok = true;
  let cells = "";
  if (record.malformed) {
    writer.problem(line, ROW_LEVEL, "", record.malformed);
    ok = false;
  }
  if (fields.length !== layout.width) {
    const hint = fields.length > layout.width ? " (a value that contains a comma must be in double quotes)" : "";
    writer.problem(
      line,
      ROW_LEVEL,
      "",
      `expected ${layout.width} fields as in the header, found ${fields.length}${hint}`,
    );
    ok = false;
    for (const position of layout.positions)
      cells += position === -1 ? `\t${NULL}` : `\t${copyTextField((fields[position] ?? "").trim())}`;
  } else {
    for (let k = 0; k < spec.columns.length; k++) {
      const column = spec.columns[k];
      const value = layout.positions[k] === -1 ? "" : fields[layout.positions[k]].trim();
      if (value === "" && column.optional) {
        cells += `\t${NULL}`;
        continue;
      }
      let stored = value;
      try {
        stored = checkedValue(column, value);
      } catch (error) {
        if (!(error instanceof GtmDomainError)) throw error;
        writer.problem(line, k + 1, column.name, error.message);
        ok = false;
        // A rejected row is never written; staging a huge value (a 100 MB field) would only cost time.
        if (error instanceof ValueTooLong) stored = "";
      }
      cells += `\t${copyTextField(stored)}`;
    }
  }
  return `${line}\t${ok ? "t" : "f"}${cells}\n`;
}

/** COPY's text format for NULL: an optional column's empty cell, or a column the file lacks. */
const NULL = "\\N";

/** The value to store, or a GtmDomainError saying what is wrong with it. */
function checkedValue(column: ImportColumn, value: string): string {
  if (value === "") throw new MissingValue(column.name);
  if (value.includes("\uFFFD")) throw new NotUtf8(column.name, value);
  return column.rule(value, column.name);
}

function truncateText(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}
