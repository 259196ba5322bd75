// Field discovery from the header row, with types inferred from the values below it (read with
// UNFORMATTED_VALUE, so numbers and booleans keep their types; dates come as formatted strings).
import type { FieldDescriptor } from '../contract.ts';
import { toSheetHeader } from './mappers.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const US_DATE = /^\d{1,2}\/\d{1,2}\/\d{4}$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const US_DATETIME = /^\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d{2}(:\d{2})?$/;

type InferredType = FieldDescriptor['type'];

function typeOfCell(cell: unknown): InferredType {
  if (typeof cell === 'boolean') return 'boolean';
  if (typeof cell === 'number') return 'number';
  const text = String(cell).trim();
  if (ISO_DATE.test(text) || US_DATE.test(text)) return 'date';
  if (ISO_DATETIME.test(text) || US_DATETIME.test(text)) return 'datetime';
  return 'string';
}

/** One type for a column: the common type of its non-empty cells (date + datetime → datetime). */
export function inferColumnType(cells: readonly unknown[]): InferredType {
  const types = new Set(cells.filter((cell) => cell !== undefined && cell !== null && cell !== '').map(typeOfCell));
  if (types.size === 0) return 'unknown';
  if (types.size === 1) return [...types][0] as InferredType;
  if (types.size === 2 && types.has('date') && types.has('datetime')) return 'datetime';
  return 'string';
}

/** Fields from a tab's first rows (row 1 is the header). The key column is required. */
export function toSheetFieldDescriptors(
  values: readonly (readonly unknown[])[],
  keyField?: string | null,
): FieldDescriptor[] {
  const header = toSheetHeader(values[0]);
  return [...header.columns].map(([name, column]) => {
    const type = inferColumnType(values.slice(1).map((row) => row[column]));
    return name === keyField ? { name, type, required: true } : { name, type };
  });
}
