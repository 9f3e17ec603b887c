import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateScopeTable, scopesFromJsDoc, serializeScopeTable, SCOPES_JSON } from '../../scripts/gen-scopes';
import { isGranted, permissionError, requiredScopes } from '../../emulator/auth/scopes';

const AUTH = 'https://www.googleapis.com/auth/';
const SHEETS = `${AUTH}spreadsheets`;
const SHEETS_CURRENT = `${AUTH}spreadsheets.currentonly`;
const DRIVE = `${AUTH}drive`;
const DRIVE_READONLY = `${AUTH}drive.readonly`;
const DRIVE_FILE = `${AUTH}drive.file`;
const SEND_MAIL = `${AUTH}script.send_mail`;

describe('scope table (emulator/auth/scopes.json)', () => {
  it('is exactly what scripts/gen-scopes.ts generates from gas-types-detailed (run `npm run scopes` when this fails)', () => {
    const { table } = generateScopeTable();
    expect(readFileSync(SCOPES_JSON, 'utf8')).toBe(serializeScopeTable(table));
  });

  it('lists every documented method, including those that need no authorization', () => {
    expect(requiredScopes('PropertiesService.getScriptProperties')).toEqual([]);
    expect(requiredScopes('Range.setValues')).toEqual([SHEETS, SHEETS_CURRENT]);
    expect(requiredScopes('Protection.getEditors')).toEqual([SHEETS, SHEETS_CURRENT]);
    expect(requiredScopes('NoSuchApp.noSuchMethod')).toBeUndefined();
    expect(requiredScopes('constructor')).toBeUndefined();
  });

  it('records the scopes Google documents for the methods this project relies on', () => {
    expect(requiredScopes('DriveApp.getFileById')).toEqual([DRIVE, DRIVE_READONLY]);
    expect(requiredScopes('File.addViewer')).toEqual([DRIVE]);
    expect(requiredScopes('Spreadsheet.addViewer')).toEqual([SHEETS, SHEETS_CURRENT]);
    expect(requiredScopes('SpreadsheetApp.openById')).toEqual([SHEETS]);
    expect(requiredScopes('MailApp.sendEmail')).toEqual([SEND_MAIL]);
    expect(requiredScopes('Session.getActiveUser')).toEqual([`${AUTH}userinfo.email`]);
  });

  it('keeps for overloaded methods only the scopes every overload accepts; an overload without an Authorization heading does not loosen it', () => {
    // Google documents setActiveSheet(Sheet) without scopes but setActiveSheet(Sheet, Boolean) with them.
    expect(requiredScopes('SpreadsheetApp.setActiveSheet')).toEqual([SHEETS, SHEETS_CURRENT]);
  });

  it('resolves a name shared by two services in favour of the Spreadsheet one on a tie', () => {
    expect(requiredScopes('NamedRange.getRange')).toEqual([SHEETS, SHEETS_CURRENT]);
    expect(requiredScopes('TextStyle.isBold')).toEqual([]);
  });

  it('reads scopes from a JSDoc Authorization section and ignores the reference link after it', () => {
    const doc = [
      '/**',
      ' * Authorization:',
      ' *',
      ' * Scripts that use this method require authorization with one or more of the following scopes:',
      ' * - https://www.googleapis.com/auth/drive.readonly',
      ' * - https://www.googleapis.com/auth/drive',
      ' *',
      ' * https://developers.google.com/apps-script/reference/drive/drive-app#getFileById(String)',
      ' * @param id the ID of the file',
      ' */',
    ].join('\n');
    expect(scopesFromJsDoc(doc)).toEqual([DRIVE, DRIVE_READONLY]);
    expect(scopesFromJsDoc('/** Returns the name. */')).toEqual([]);
  });
});

describe('isGranted', () => {
  const granted = (...scopes: string[]) => new Set(scopes);

  it('needs no grant for a method that requires no scope', () => {
    expect(isGranted([], granted())).toBe(true);
  });

  it('a method Google documents under the drive scope is not covered by spreadsheets or drive.file', () => {
    expect(isGranted(requiredScopes('File.addViewer')!, granted(SHEETS, DRIVE_FILE))).toBe(false);
    expect(isGranted(requiredScopes('DriveApp.getFileById')!, granted(SHEETS, DRIVE_FILE))).toBe(false);
  });

  it('the broader drive scope covers drive.readonly and drive.file methods', () => {
    expect(isGranted(requiredScopes('DriveApp.getFileById')!, granted(DRIVE))).toBe(true);
    expect(isGranted([DRIVE_FILE], granted(DRIVE))).toBe(true);
    expect(isGranted([DRIVE], granted(DRIVE_READONLY))).toBe(false);
  });

  it('spreadsheets covers a currentonly method, but currentonly does not open other spreadsheets', () => {
    expect(isGranted([SHEETS_CURRENT], granted(SHEETS))).toBe(true);
    expect(isGranted(requiredScopes('SpreadsheetApp.openById')!, granted(SHEETS_CURRENT))).toBe(false);
    expect(isGranted([`${AUTH}documents.currentonly`], granted(`${AUTH}documents`))).toBe(true);
  });

  it('sending mail with MailApp needs script.send_mail or full Gmail access, nothing narrower or unrelated', () => {
    const sendEmail = requiredScopes('MailApp.sendEmail')!;
    expect(isGranted(sendEmail, granted(SEND_MAIL))).toBe(true);
    expect(isGranted(sendEmail, granted('https://mail.google.com/'))).toBe(true);
    expect(isGranted(sendEmail, granted(SHEETS, DRIVE, `${AUTH}userinfo.email`))).toBe(false);
  });
});

describe('permissionError', () => {
  it('words a single missing scope as Google does', () => {
    expect(permissionError('SpreadsheetApp.openById', [SHEETS])).toBe(
      'You do not have permission to call SpreadsheetApp.openById. Required permissions: https://www.googleapis.com/auth/spreadsheets',
    );
  });

  it('lists alternatives in parentheses, narrower scope first, as Google does', () => {
    expect(permissionError('DriveApp.getFileById', requiredScopes('DriveApp.getFileById')!)).toBe(
      'You do not have permission to call DriveApp.getFileById. Required permissions: ' +
        '(https://www.googleapis.com/auth/drive.readonly || https://www.googleapis.com/auth/drive)',
    );
  });
});
