// Public API of the «Аналитика» rule engine (pure: no Apps Script globals).
export type {
  AnalyticsKey, AnalyticsRow, CellValue, EvalContext, IdleSettings, RowResult, RowUpdates, SheetResult, SheetRow,
  SheetRowResult,
} from './types';
export { ANALYTICS_KEYS } from './types';
export { evaluateRow, evaluateSheet, isRowEmpty, MANAGER_KEYS } from './evaluate';
export { stuckSince, type StuckSettings } from './stuck';
export { idleUpdate, idleSweepUpdates, idleWaitingDate, IDLE_SWEEP_KEYS, type IdleOptions } from './idle';
export {
  cellText, isBlank, isStageMark, looksLikeFormula, parseNumberText, parsePercent, readAmountCell, readDateCell,
  roundCents, sameCell, type AmountCell, type DateCell, type DateReading,
} from './cells';
export { readUsername, nickKey, type UsernameCell } from './username';
export { foldPromoCode, nameKey } from './promo-code';
export { findPromo } from './promo';
export { discountedPrice } from './pricing';
export { sourceImpliedByAccount, SOURCE_GOOGLE, SOURCE_PARTNER, SOURCE_YANDEX } from './traffic-source';
export { generateIndividualNumber, INDIVIDUAL_NUMBER, numberKey, numberLetters, type NumberLetters } from './individual-number';
export { transliterate, firstAndLastLatin } from './transliteration';
export { currentStageHeader, headerOf, newestActivityStage, DATE_KEYS, STAGE_KEYS, type StageDates, type StageKey } from './stages';
export { msg, refMsg } from './messages';
