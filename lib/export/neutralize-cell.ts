/**
 * OWASP CSV injection guidance: a spreadsheet treats a cell starting with one of
 * these as a formula (or splits it), so text from users (customer names, ids,
 * search terms) gets a leading single quote. Applied to text cells only, in CSV
 * and XLSX alike; numbers and dates we format ourselves are never touched.
 */
const FORMULA_TRIGGERS = new Set(["=", "+", "-", "@", "\t", "\r", "\n"]);

export function neutralizeCell(text: string): string {
  return text.length > 0 && FORMULA_TRIGGERS.has(text[0]) ? `'${text}` : text;
}
