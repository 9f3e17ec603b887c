// «Аккаунт» → «Источник трафика»: clients who wrote to the Google / Yandex ad accounts came from those ads.
export const SOURCE_GOOGLE = 'Гугл';
export const SOURCE_YANDEX = 'Яндекс';
export const SOURCE_PARTNER = 'Партнёр';

const GOOGLE_ACCOUNT = /bestpaymentsga|^\s*(google|гугл)/i;
const YANDEX_ACCOUNT = /bestpaymentsya|^\s*(yandex|яндекс)/i;

let implied = new Map<string, string | null>();

/** The traffic source an account implies, or null for the main account. Memoised: a sheet has a few accounts. */
export function sourceImpliedByAccount(account: string): string | null {
  let source = implied.get(account);
  if (source === undefined) {
    source = GOOGLE_ACCOUNT.test(account) ? SOURCE_GOOGLE : YANDEX_ACCOUNT.test(account) ? SOURCE_YANDEX : null;
    if (implied.size >= 1_000) implied = new Map();
    implied.set(account, source);
  }
  return source;
}
