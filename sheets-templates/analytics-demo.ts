// Demo leads for the local workbook: ~40 leads over the last 45 days across every stage, manager,
// source, plan and several promo codes. A few rows are broken on purpose (marked BROKEN) so
// «Проблемы» has something to show. Computed columns (discount, prices, stage, problems, updated)
// are left empty for the script to fill; so are some individual numbers, to be generated.
import type { StageKey } from './analytics';
import type { DemoValue } from './schema';

const STAGE_BY_LETTER: Record<string, StageKey> = {
  F: 'stageFirstContact',
  N: 'stageNegotiation',
  D: 'stageDeciding',
  L: 'stageLinkSent',
  W: 'stageWaiting',
  R: 'stageRenegotiation',
  P: 'stagePaid',
  X: 'stageRefused',
};

const MAIN = 'Основной';
const GA = 'Google (BestpaymentsGA)';
const YA = 'Яндекс (BestpaymentsYA)';

type Row = Record<string, DemoValue>;

/**
 * One lead. `day`: first contact, days from today; `stages`: letters with day offsets from the first
 * contact, e.g. 'F0 N1 D3 L4 P5' (F first contact, N negotiation, D deciding, L link sent, W waiting,
 * R renegotiation, P paid, X refused).
 */
function lead(day: number, manager: string, name: string, username: string, account: string, trafficSource: string,
  plan: string, stages: string, extra: Row = {}): Row {
  const row: Row = { firstContactDate: { relDays: day }, manager, name, username, account, trafficSource, plan };
  for (const token of stages.split(' ')) {
    const key = STAGE_BY_LETTER[token[0]];
    if (!key) throw new Error(`demo lead ${name}: unknown stage letter in «${token}»`);
    row[key] = { relDays: day + Number(token.slice(1)) };
  }
  return { ...row, ...extra };
}

const paid = (amount: number | '', questionnaire: string, individualNumber = '', connectedDay?: number): Row => ({
  paidAmount: amount, questionnaireFilled: questionnaire, individualNumber,
  ...(connectedDay === undefined ? {} : { connectionDate: { relDays: connectedDay } }),
});
const refused = (reason: string): Row => ({ refusalReason: reason });

export const ANALYTICS_DEMO: Row[] = [
  lead(-45, 'Светлана', 'Андрей', '@andrey_kovalev', MAIN, 'Сарафан', 'Personal', 'F0 N1 D3 L4 P5', paid(350, 'Да', '417av902', -38)),
  lead(-44, 'Марина', 'Мария Шоп', 'maria_shop', GA, 'Гугл', 'Personal', 'F0 N0 D2 X6', refused('Не устроила цена')),
  lead(-43, 'Олег', 'Игорь В.', '@igor_volkov', MAIN, 'Канал на YouTube', 'Pro', 'F0 N1 W4 R9 X12', refused('Выбрал другое решение')),
  lead(-42, 'Светлана', 'Ekaterina', 't.me/katya_store', MAIN, 'Партнёр', 'Personal', 'F0 N1 D2 L3 P4', { promoCode: 'prosto5', ...paid(332.5, 'Да', '', -36) }),
  lead(-41, 'Марина', 'Дмитрий', '@dima_dropship', YA, '', 'Lite', 'F0 N1 D4 X8', refused('Сайт не подходит под требования')),
  lead(-40, 'Олег', 'Олеся', '@olesya_handmade', MAIN, 'Сарафан', 'Personal', 'F0 N2 W5 X20', refused('Перестал выходить на связь')),
  lead(-39, 'Светлана', 'Sergey', '@sergey_pro_shop', MAIN, 'Партнёр', 'Pro', 'F0 N1 D3 L6 P7', { promoCode: 'sydorenko', ...paid(1080, 'Да', '253sp118', -30) }),
  lead(-38, 'Марина', 'Алина', '@alina_beauty', GA, 'Гугл', 'Personal', 'F0 N1 D2 L3 W6 R10 P11', paid(350, 'Да')),
  lead(-37, 'Олег', 'Виктор', '@viktor_m', MAIN, 'Сарафан', 'Personal', 'F0 X1', refused('Нет сайта / магазина')),
  lead(-36, 'Светлана', 'Наталья', '@natali_decor', MAIN, 'Партнёр', 'Personal', 'F0 N1 D2 L4 P5', { promoCode: 'online5off', ...paid(332.5, 'Да', '806nr415', -30) }),
  lead(-35, 'Марина', 'Павел К.', '@pavel_k_store', YA, 'Яндекс', 'Lite', 'F0 N1 D3 L5 P9', paid(550, 'Нет')),
  lead(-34, 'Олег', 'Ольга', '@olga_petshop', MAIN, 'Канал на YouTube', 'Personal', 'F0 N1 D2 W5 R12 X15', refused('Вернётся позже')),
  lead(-33, 'Светлана', 'Тимур', '@timur_ecom', MAIN, 'Партнёр', 'Personal', 'F0 N0 D1 L2 P3', { promoCode: 'IVANTIM', ...paid(332.5, 'Да') }),
  lead(-32, 'Марина', 'Светлана Р.', '@svetlana_r', GA, 'Гугл', 'Pro', 'F0 N2 X9', refused('Нет денег')),
  // BROKEN: paid, but the amount is missing.
  lead(-31, 'Олег', 'Roman', '@roman_gadgets', MAIN, 'Сарафан', 'Personal', 'F0 N1 D3 L4 P6', paid('', 'Да')),
  lead(-30, 'Светлана', 'Елена', '@elena_kids', MAIN, 'Партнёр', 'Lite', 'F0 N1 D3 L5 P8', { promoCode: 'ecomartem', ...paid(495, 'Да', '', -20) }),
  // BROKEN: nick too short.
  lead(-29, 'Марина', 'Артур', '@ar', GA, 'Гугл', 'Personal', 'F0 N1 D4'),
  lead(-28, 'Олег', 'Кирилл', '@kirill_vape', MAIN, 'Канал на YouTube', 'Personal', 'F0 N1 X3', refused('Тематика не подходит для Stripe')),
  lead(-27, 'Олег', 'Неизвестный', '@no_such_person', MAIN, 'Сарафан', 'Personal', 'F0 X1', refused('Некорректные данные')),
  lead(-27, 'Светлана', 'Анна', '@anna_jewelry', MAIN, 'Партнёр', 'Personal', 'F0 N1 D2 L3 P4', { promoCode: 'columbusecom', ...paid(332.5, 'Да') }),
  lead(-26, 'Марина', 'Глеб', '@gleb_music', YA, '', 'Pro', 'F0 N1 D5 W9', { unusualProject: true, projectInfo: 'Продаёт музыку и биты' }),
  // BROKEN: unknown promo code.
  lead(-25, 'Олег', 'Максим', '@maxim_store', MAIN, 'Сарафан', 'Personal', 'F0 N1 D3', { promoCode: 'SUPER20' }),
  lead(-24, 'Светлана', 'Юлия', '@yulia_cosmetics', MAIN, 'Партнёр', 'Personal', 'F0 N1 D2 L4 P6', { promoCode: 'yadrevska', ...paid(315, 'Да', '319ys774', -16), projectInfo: 'https://yulia-cosmetics.example.com' }),
  // BROKEN: refused without a reason.
  lead(-22, 'Марина', 'Денис', '@denis_dropship', GA, 'Гугл', 'Lite', 'F0 N1 X5'),
  // Referral without a code: the partner is chosen by hand.
  lead(-21, 'Олег', 'Вера', '@vera_flowers', MAIN, 'Партнёр', 'Personal', 'F0 N1 D3 L4 P6', { partner: 'Татьяна', ...paid(350, 'Да'), projectInfo: 'https://vera-flowers.example.com' }),
  // BROKEN: both paid and refused.
  lead(-20, 'Светлана', 'Stanislav', '@stas_tech', MAIN, 'Канал на YouTube', 'Pro', 'F0 N2 D6 L9 P10 X11', { ...paid(1200, 'Да'), ...refused('Выбрал другое решение') }),
  lead(-18, 'Марина', 'Марат', '@marat_shop', YA, 'Яндекс', 'Personal', 'F0 N1 D2 L4'),
  lead(-17, 'Олег', 'Лиза', '@liza_art', MAIN, 'Сарафан', 'Personal', 'F0 N1 D3 W7 R12', { unusualProject: true, projectInfo: 'Авторские картины на заказ' }),
  lead(-15, 'Светлана', 'Георгий', '@georgy_stripe', MAIN, 'Партнёр', 'Personal', 'F0 N1 D2 L3 P5', { promoCode: 'STRIPE5%', ...paid(332.5, 'Да') }),
  lead(-14, 'Марина', 'Ирина', '@irina_home', GA, '', 'Personal', 'F0 N1 D3'),
  lead(-12, 'Олег', 'Никита', '@nikita_sport', MAIN, 'Канал на YouTube', 'Lite', 'F0 N1 X4', refused('Нет документов для верификации')),
  lead(-10, 'Светлана', 'Камила', '@kamila_fashion', MAIN, 'Партнёр', 'Personal', 'F0 N1 D3 L5 P7', { promoCode: 'Prosto5 ', ...paid(332.5, 'Да') }),
  lead(-9, 'Марина', 'Артём', '@artem_b2b', YA, 'Яндекс', 'Pro', 'F0 N1 D2 L6'),
  lead(-8, 'Олег', 'Полина', '@polina_toys', MAIN, 'Сарафан', 'Personal', 'F0 N1 D2 L3'),
  // Paid today; the code is typed in lower case.
  lead(-6, 'Светлана', 'Егор', '@egor_parts', MAIN, 'Партнёр', 'Personal', 'F0 N1 D2 L4 P6', { promoCode: 'ivantim', ...paid(332.5, 'Да') }),
  lead(-5, 'Марина', 'Диана', '@diana_skin', GA, 'Гугл', 'Personal', 'F0 N1 D3'),
  lead(-4, 'Олег', 'Фёдор', '@fedor_tools', MAIN, 'Сарафан', 'Lite', 'F0 N2'),
  // A payment link sent two days ago, nothing since: first in Светлана's morning email.
  lead(-4, 'Светлана', 'Вадим', '@vadim_store', MAIN, 'Сарафан', 'Personal', 'F0 N1 L2'),
  // A contact today that changed no stage.
  lead(-3, 'Светлана', 'Оксана', '@oksana_bags', MAIN, 'Канал на YouTube', 'Personal', 'F0 N1 D2', { lastContact: { relDays: 0 } }),
  lead(-2, 'Марина', 'Валерий', '@valera_auto', YA, '', 'Personal', 'F0 N1'),
  lead(-1, 'Олег', 'Tanya', '@tanya_candles', MAIN, 'Партнёр', 'Personal', 'F0', { promoCode: 'goynova5' }),
  lead(0, 'Светлана', 'Михаил', '@misha_shop', GA, 'Гугл', 'Personal', 'F0'),
  lead(0, 'Марина', 'Лев', '@lev_design', MAIN, 'Сарафан', 'Pro', 'F0 N0'),
];
