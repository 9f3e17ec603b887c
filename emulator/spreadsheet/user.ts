// Users as Apps Script returns them (Base.User and Drive.User share getEmail).
export class EmuUser {
  constructor(private readonly email: string) {}
  getEmail(): string { return this.email; }
  getUserLoginId(): string { return this.email; }
  getDomain(): string { return this.email.split('@')[1] ?? ''; }
  getName(): string { return this.email.split('@')[0] ?? ''; }
  getPhotoUrl(): string { return ''; }
  toString(): string { return this.email; }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Accepts an email or a User; throws like the real service on anything that is not an address. */
export function emailOf(user: unknown): string {
  const email = typeof user === 'string' ? user.trim()
    : user && typeof (user as { getEmail?: unknown }).getEmail === 'function' ? String((user as { getEmail(): string }).getEmail())
      : String(user);
  if (!EMAIL.test(email)) throw new Error(`Invalid email: ${email}`);
  return email.toLowerCase();
}

export const ERR = {
  outside: 'The coordinates of the range are outside the dimensions of the sheet.',
  startRow: 'The starting row of the range is too small.',
  startCol: 'The starting column of the range is too small.',
  numRows: 'The number of rows in the range must be at least 1.',
  numCols: 'The number of columns in the range must be at least 1.',
  rowsMismatch: (data: number, range: number) => `The number of rows in the data does not match the number of rows in the range. The data has ${data} but the range has ${range}.`,
  colsMismatch: (data: number, range: number) => `The number of columns in the data does not match the number of columns in the range. The data has ${data} but the range has ${range}.`,
  sheetExists: (name: string) => `A sheet with the name "${name}" already exists. Please enter another name.`,
  missingDoc: (id: string) => `Document ${id} is missing (perhaps it was deleted, or you don't have read access?)`,
  missingFile: 'No item with the given ID could be found. Or perhaps you do not have permission to access it.',
  rangeNotFound: (a1: string) => `Range not found`,
  lastSheet: 'Sorry, it is not possible to delete all non-hidden sheets in a workbook.',
  hideLast: 'Sorry, it is not possible to hide all sheets in a document.',
  protectedCell: 'You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.',
  viewOnly: 'You do not have permission to edit this spreadsheet.',
  invalidInput: (a1: string) => `There was a problem. The data you entered in cell ${a1} violates the data validation rules set on this cell.`,
  deletedObject: 'This object has been deleted.',
  protectionDenied: 'You do not have permission to perform that action.',
} as const;
