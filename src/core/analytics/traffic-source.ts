// «Аккаунт» → «Источник трафика»: clients who wrote to the Google / Yandex ad accounts came from those ads.
export const SOURCE_GOOGLE = 'Гугл';
export const SOURCE_YANDEX = 'Яндекс';
export const SOURCE_PARTNER = 'Партнёр';

const GOOGLE_ACCOUNT = /bestpaymentsga|^\s*(google|гугл)/i;
const YANDEX_ACCOUNT = /bestpaymentsya|^\s*(yandex|яндекс)/i;

/** The traffic source an account implies, or null for the main account. */
export function sourceImpliedByAccount(account: string): string | null {
  if (GOOGLE_ACCOUNT.test(account)) return SOURCE_GOOGLE;
  if (YANDEX_ACCOUNT.test(account)) return SOURCE_YANDEX;
  return null;
}
