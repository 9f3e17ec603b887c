// Apps Script enums as plain string-valued objects: values compare by identity like the real enum
// members and print their name (String(SpreadsheetApp.ProtectionType.RANGE) === 'RANGE').

function strEnum<const K extends string>(...names: K[]): { readonly [P in K]: P } {
  const out = {} as { [P in K]: P };
  for (const n of names) out[n] = n;
  return Object.freeze(out);
}

export const DataValidationCriteria = strEnum(
  'DATE_AFTER', 'DATE_BEFORE', 'DATE_BETWEEN', 'DATE_EQUAL_TO', 'DATE_IS_VALID_DATE', 'DATE_NOT_BETWEEN',
  'DATE_ON_OR_AFTER', 'DATE_ON_OR_BEFORE', 'NUMBER_BETWEEN', 'NUMBER_EQUAL_TO', 'NUMBER_GREATER_THAN',
  'NUMBER_GREATER_THAN_OR_EQUAL_TO', 'NUMBER_LESS_THAN', 'NUMBER_LESS_THAN_OR_EQUAL_TO', 'NUMBER_NOT_BETWEEN',
  'NUMBER_NOT_EQUAL_TO', 'TEXT_CONTAINS', 'TEXT_DOES_NOT_CONTAIN', 'TEXT_EQUAL_TO', 'TEXT_IS_VALID_EMAIL',
  'TEXT_IS_VALID_URL', 'VALUE_IN_LIST', 'VALUE_IN_RANGE', 'CUSTOM_FORMULA', 'CHECKBOX',
);
export type DataValidationCriteriaName = keyof typeof DataValidationCriteria;

export const BooleanCriteria = strEnum(
  'CELL_EMPTY', 'CELL_NOT_EMPTY', 'DATE_AFTER', 'DATE_BEFORE', 'DATE_EQUAL_TO', 'DATE_AFTER_RELATIVE',
  'DATE_BEFORE_RELATIVE', 'DATE_EQUAL_TO_RELATIVE', 'NUMBER_BETWEEN', 'NUMBER_EQUAL_TO', 'NUMBER_GREATER_THAN',
  'NUMBER_GREATER_THAN_OR_EQUAL_TO', 'NUMBER_LESS_THAN', 'NUMBER_LESS_THAN_OR_EQUAL_TO', 'NUMBER_NOT_BETWEEN',
  'NUMBER_NOT_EQUAL_TO', 'TEXT_CONTAINS', 'TEXT_DOES_NOT_CONTAIN', 'TEXT_EQUAL_TO', 'TEXT_STARTS_WITH',
  'TEXT_ENDS_WITH', 'CUSTOM_FORMULA',
);
export type BooleanCriteriaName = keyof typeof BooleanCriteria;

export const ProtectionType = strEnum('RANGE', 'SHEET');
export type ProtectionTypeName = keyof typeof ProtectionType;

export const SheetType = strEnum('GRID', 'OBJECT');
export const Dimension = strEnum('COLUMNS', 'ROWS');
export const Direction = strEnum('UP', 'DOWN', 'PREVIOUS', 'NEXT');
export const WrapStrategy = strEnum('WRAP', 'OVERFLOW', 'CLIP');
export const BorderStyle = strEnum('DOTTED', 'DASHED', 'SOLID', 'SOLID_MEDIUM', 'SOLID_THICK', 'DOUBLE');
export const RelativeDate = strEnum('TODAY', 'TOMORROW', 'YESTERDAY', 'PAST_WEEK', 'PAST_MONTH', 'PAST_YEAR');
export const InterpolationType = strEnum('NUMBER', 'PERCENT', 'PERCENTILE', 'MIN', 'MAX');
export const CopyPasteType = strEnum('PASTE_NORMAL', 'PASTE_NO_BORDERS', 'PASTE_FORMAT', 'PASTE_FORMULA',
  'PASTE_DATA_VALIDATION', 'PASTE_VALUES', 'PASTE_CONDITIONAL_FORMATTING', 'PASTE_COLUMN_WIDTHS');

/** Charts.ChartType, exposed by the services helper as the global `Charts`. */
export const ChartType = strEnum(
  'TIMELINE', 'AREA', 'BAR', 'BUBBLE', 'CANDLESTICK', 'COLUMN', 'COMBO', 'GAUGE', 'GEO', 'HISTOGRAM', 'RADAR',
  'LINE', 'ORG', 'PIE', 'SCATTER', 'SPARKLINE', 'STEPPED_AREA', 'TABLE', 'TREEMAP', 'WATERFALL',
);
export type ChartTypeName = keyof typeof ChartType;

/** Minimal `Charts` global: the enums a chart builder needs. */
export const Charts = Object.freeze({
  ChartType,
  Position: strEnum('TOP', 'RIGHT', 'BOTTOM', 'NONE'),
  ChartHiddenDimensionStrategy: strEnum('IGNORE_BOTH', 'IGNORE_ROWS', 'IGNORE_COLUMNS', 'SHOW_BOTH'),
  ChartMergeStrategy: strEnum('MERGE_COLUMNS', 'MERGE_ROWS'),
});

export const DriveAccess = strEnum('ANYONE', 'ANYONE_WITH_LINK', 'DOMAIN', 'DOMAIN_WITH_LINK', 'PRIVATE');
export type DriveAccessName = keyof typeof DriveAccess;
export const DrivePermission = strEnum('VIEW', 'EDIT', 'COMMENT', 'OWNER', 'ORGANIZER', 'NONE');
export type DrivePermissionName = keyof typeof DrivePermission;
