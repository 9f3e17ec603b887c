// Public API of the funnel (pure: no Apps Script globals): «Воронка» maths, its dashboard block, and the
// funnel numbers of the 19:45 email.
export {
  computeFunnel, BREAKDOWN_KEYS, FUNNEL_KEYS, type BreakdownKey, type BreakdownRow, type FunnelOptions, type FunnelResult,
  type MainStageStat, type ReasonRow, type SideStageStat,
} from './compute';
export {
  funnelDashboard, FUNNEL_BLOCK_ANCHOR, FUNNEL_BLOCK_WIDTH, FORMAT_COUNT, FORMAT_MONEY, FORMAT_PERCENT, FORMAT_TEXT,
  type BlockRange, type DashboardBlock, type DashboardCell, type LayoutOptions,
} from './layout';
export {
  DEFAULT_FUNNEL_PERIOD, FUNNEL_PERIODS, inPeriod, parseFunnelPeriod, periodRange, resolveToday, type FunnelPeriod,
  type PeriodRange,
} from './period';
export { telegramFunnelSummary, SUMMARY_KEYS, type StaleManager, type SummaryOptions, type TelegramFunnelSummary } from './summary';
export { MAIN_STAGE_KEYS, SIDE_STAGE_KEYS } from './lead';
export { funnelText } from './messages';
