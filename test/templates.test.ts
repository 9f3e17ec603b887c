import { describe, expect, it } from 'vitest';
import {
  crossTemplateProblems, demoWorkbookRows, LISTS, listValues, numberFormatFor, PARTNER_NAMES, PROMO_CODES,
  resolveDemoValue, SHEET_TEMPLATES, STAGE_KEYS, templateByKey, templateByName, type SheetDef,
} from '../sheets-templates';
import { sheetDef, type DemoValue, type RelativeDate } from '../sheets-templates/schema';
import { addDays, MOSCOW, toLocalDate, zonedParts } from '../src/core/dates';
import { isDate } from '../src/core/text';
import { journalRow } from '../src/core/journal';

/** Headers SPEC §3 names for each sheet, written out from the spec. */
const SPEC_HEADERS: Record<string, string[]> = {
  'Аналитика': [
    'Дата первого взаимодействия', 'Менеджер', 'Имя', 'Телеграм username', 'Аккаунт', 'Источник трафика', 'Промокод',
    'Партнёр', 'Скидка, %', 'Интересующий план', 'Цена плана', 'Цена со скидкой', 'Дата подключения',
    'Первичный контакт', 'Переговоры и отправка планов', 'Принимают решение', 'Отправили ссылку и ждём оплату',
    'Ожидание', 'Повторные переговоры', 'Оплата', 'Отказ', 'Текущий этап', 'Последний контакт',
    'Заполнена ли анкета', 'Оплаченная сумма', 'Индивидуальный номер', 'Причина отказа в случае не оплаты',
    'Не обычный проект?', 'Что за проект?', 'Проблемы', 'Обновлено', 'Подвисла с',
  ],
  'Менеджеры': ['Менеджер', 'Email', 'Комиссия, %', 'Комиссия, фикс.', 'Активен'],
  'Промокоды': ['Промокод', 'Партнёр', 'Скидка, %', 'Активен', 'Комментарий'],
  'Тарифы': ['План', 'Цена', 'Валюта'],
  'Партнёры': ['Партнёр', 'Email для просмотра', '% по умолчанию', 'Активен', 'Таблица партнёра', 'Последняя синхронизация'],
  'Настройки': ['Параметр', 'Значение', 'Описание'],
  'Журнал': ['Время', 'Пользователь', 'Лист', 'Ячейка', 'Было', 'Стало', 'Источник'],
  'Аффилейты': ['Партнёр', 'Дата приобретения акка', 'Имя', 'Telegram', 'Ссылка на магазин', 'Оплата EUR', '% affiliate', 'Комиссия EUR', 'Индивидуальный номер'], // SPEC's «EU» spelled as the currency of «Настройки» (issue 15)
  'Отчёт секретаря': ['Дата и время', 'Канал', 'Клиент', 'Компания', 'Телефон / email', 'Город', 'Лицо', 'Новый клиент', 'Суть запроса', 'Передано менеджеру', 'Передано в', 'Результат', 'Перезвонили в', 'Комментарий'],
  'Звонки': ['Дата', 'Менеджер', 'Входящие звонки', 'Исходящие звонки', 'Заявки по почте', 'Звонки текущим клиентам', 'Комментарий'],
  'Счета': ['№', 'Дата выставления', 'Менеджер', 'Клиент', 'Канал', 'Сумма', 'Дата оплаты', 'Сумма оплаты', 'Статус', 'Оплата внесена'],
};

/** Column keys other code already reads from «Аналитика». */
const ANALYTICS_KEYS = [
  'firstContactDate', 'manager', 'name', 'username', 'account', 'trafficSource', 'promoCode', 'partner', 'discountPercent',
  'plan', 'planPrice', 'discountedPrice', 'connectionDate', ...STAGE_KEYS, 'currentStage', 'lastContact',
  'questionnaireFilled', 'paidAmount', 'individualNumber', 'refusalReason', 'unusualProject', 'projectInfo', 'problems', 'updatedAt', 'stuckSince',
];

const TODAY = '2026-11-23';
const col = (sheet: SheetDef, key: string) => sheet.columns.find((c) => c.key === key)!;
const rel = (v: DemoValue | undefined): number | undefined => (v && typeof v === 'object' ? (v as RelativeDate).relDays : undefined);

describe('sheet templates', () => {
  it('every template parses through the schema and they agree with each other', () => {
    expect(SHEET_TEMPLATES.map((t) => t.name)).toEqual([
      'Аналитика', 'Воронка', 'Отчёт секретаря', 'Звонки', 'Счета', 'Аффилейты',
      'Менеджеры', 'Промокоды', 'Партнёры', 'Тарифы', 'Справочники', 'Настройки', 'Журнал',
    ]);
    for (const t of SHEET_TEMPLATES) expect(sheetDef.safeParse(t).success, t.name).toBe(true);
    expect(crossTemplateProblems(SHEET_TEMPLATES)).toEqual([]);
  });

  it('every list a column points at exists on «Справочники», or on its own sheet (the managers on «Менеджеры»)', () => {
    const lists = templateByKey('lists');
    const listHeaders = new Set(lists.columns.map((c) => c.header));
    const referenced = SHEET_TEMPLATES.flatMap((t) => t.columns.flatMap((c) => (c.validation?.kind === 'list' ? [c.validation.list] : [])));
    expect(referenced).toEqual(expect.arrayContaining(['managers', 'accounts', 'trafficSources', 'plans', 'refusalReasons', 'secretaryChannels', 'secretaryOutcomes', 'invoiceChannels', 'personTypes', 'yesNo']));
    for (const key of referenced) {
      const list = LISTS.find((l) => l.key === key) as (typeof LISTS)[number] & { source?: { sheet: string; column: string } };
      expect(list, key).toBeDefined();
      if (list.source) expect(templateByName(list.source.sheet)?.columns.map((c) => c.header)).toContain(list.source.column);
      else expect(listHeaders.has(list.header)).toBe(true);
    }
    // One place for the managers' names: not a second column on «Справочники».
    expect(listHeaders.has('Менеджеры')).toBe(false);
  });

  it('a dropdown pointing at another sheet names a real column', () => {
    for (const t of SHEET_TEMPLATES) for (const c of t.columns) {
      if (c.validation?.kind !== 'sheetColumn') continue;
      const target = templateByName(c.validation.sheet);
      expect(target?.columns.map((x) => x.header), `${t.name}.${c.header}`).toContain(c.validation.column);
    }
  });

  it.each(Object.entries(SPEC_HEADERS))('«%s» has every header SPEC §3 names, in that order', (name, headers) => {
    const t = templateByName(name)!;
    expect(t).toBeDefined();
    const actual = t.columns.map((c) => c.header);
    expect(actual.filter((h) => headers.includes(h))).toEqual(headers);
  });

  it('keeps every «Аналитика» column key other code uses', () => {
    expect(templateByKey('analytics').columns.map((c) => c.key)).toEqual(ANALYTICS_KEYS);
  });

  it('finds a sheet by name or alias, trimmed and case-insensitively', () => {
    expect(templateByName('  аналитика ')?.key).toBe('analytics');
    expect(templateByName('Отчет секретаря')?.key).toBe('secretaryLog');
    expect(templateByName('ПАРТНЕРЫ')?.key).toBe('partners');
    expect(templateByName('Лист1')).toBeUndefined();
    expect(() => templateByKey('nope' as never)).toThrow();
  });

  it('ships the 13 promo codes of the seed with their partners and discounts', () => {
    const promo = templateByKey('promoCodes');
    const rows = promo.initial.map((r) => [r.code, r.partner, r.discountPercent]);
    expect(rows).toEqual([
      ['prosto5', 'Александр Сидоренко', 5], ['sydorenko', 'Александр Сидоренко', 10], ['dorens', 'Александр Сидоренко', 15],
      ['online5off', 'Юрий Рыбак', 5], ['goynova5', 'Татьяна', 5], ['IVANTIM', 'Иван Тимирчев', 5], ['yadrevska', 'Юлия', 10],
      ['columbusecom', 'Белашев', 5], ['realinterbiz', 'Дмитрий Прокопенко', 5], ['ecomartem', 'Артем', 10],
      ['STRIPE5%', 'Георгий', 5], ['ALEX10', 'Алекс Мери', 10], ['erntoday5%', 'Муар', 5],
    ]);
    expect(promo.initial.every((r) => r.active === true)).toBe(true);
    // Only the three codes whose discount the seed does not state ask leadership to confirm.
    const commented = promo.initial.filter((r) => String(r.comment).includes('подтвердите')).map((r) => r.code);
    expect(commented).toEqual(['STRIPE5%', 'ALEX10', 'erntoday5%']);
    expect(new Set(promo.initial.map((r) => String(r.code).toLowerCase())).size).toBe(13);
    expect(promo.protect).toBe('leadership');
  });

  it('lists every partner named by a code, active and without emails in a real spreadsheet', () => {
    const partners = templateByKey('partners');
    expect(PARTNER_NAMES).toHaveLength(11);
    expect(partners.initial.map((r) => r.partner)).toEqual(PARTNER_NAMES);
    expect(new Set(PROMO_CODES.map(([, p]) => p))).toEqual(new Set(PARTNER_NAMES));
    expect(partners.initial.every((r) => r.active === true && r.emails === '')).toBe(true);
    expect(partners.demo.every((r) => /^partner\d+@example\.com$/.test(String(r.emails)))).toBe(true);
    expect(col(partners, 'sheetUrl').edit).toBe('script');
    expect(col(partners, 'lastSync').edit).toBe('script');
  });

  it('leaves plan prices empty for leadership; only the demo has prices, marked as demo', () => {
    const plans = templateByKey('planPrices');
    expect(plans.initial.map((r) => [r.plan, r.price, r.currency])).toEqual([['Personal', '', 'EUR'], ['Lite', '', 'EUR'], ['Pro', '', 'EUR']]);
    expect(plans.demo.every((r) => typeof r.price === 'number' && r.price > 0 && String(r.comment).includes('ДЕМО'))).toBe(true);
  });

  it('«Справочники» has one column per list of its own, filled from the list module', () => {
    const lists = templateByKey('lists');
    const own = LISTS.filter((l) => !('source' in l));
    expect(lists.columns.map((c) => [c.key, c.header])).toEqual(own.map((l) => [l.key, l.header]));
    for (const l of own) {
      const real = lists.initial.map((r) => r[l.key]).filter((v) => v !== '');
      const demo = lists.demo.map((r) => r[l.key]).filter((v) => v !== '');
      expect(real, l.key).toEqual([...listValues(l.key)]);
      expect(demo, l.key).toEqual([...listValues(l.key, true)]);
    }
    expect(lists.protect).toBe('leadership');
  });

  it('has the dropdown values the spec names', () => {
    expect(listValues('accounts')).toEqual(['Основной', 'Google (BestpaymentsGA)', 'Яндекс (BestpaymentsYA)']);
    expect(listValues('trafficSources')).toEqual(['Гугл', 'Яндекс', 'Сарафан', 'Канал на YouTube', 'Партнёр']);
    expect(listValues('plans')).toEqual(['Personal', 'Lite', 'Pro']);
    expect(listValues('secretaryChannels')).toEqual(['Входящий звонок', 'Заявка с сайта', 'Входящее письмо', 'Звонок на консультацию']);
    expect(listValues('secretaryOutcomes')).toEqual(['Заявка оформлена', 'Перезвонить', 'Консультация', 'Отказ', 'Спам']);
    expect(listValues('invoiceChannels')).toEqual(['Входящий звонок', 'Исходящий звонок', 'Заявка']);
    expect(listValues('personTypes')).toEqual(['Физ.', 'Юр.']);
    expect(listValues('yesNo')).toEqual(['Да', 'Нет']);
    // Seed 002 keeps «Нет денег» and «Не устроила цена» apart, and has «Некорректные данные» and «Не оставлял заявку».
    expect(listValues('refusalReasons')).toEqual(expect.arrayContaining([
      'Нет денег', 'Не устроила цена', 'Некорректные данные', 'Не оставлял заявку',
      'Перестал выходить на связь', 'Выбрал другое решение', 'Сайт не подходит под требования', 'Нет сайта / магазина', 'Вернётся позже', 'Дубль',
    ]));
    expect(listValues('refusalReasons').some((r) => /денег/i.test(r) && /цен/i.test(r))).toBe(false);
    expect(listValues('managers')).toEqual([]);
    expect(listValues('managers', true).length).toBeGreaterThanOrEqual(2);
  });

  it('protects what only the script or leadership may change', () => {
    const journal = templateByKey('journal');
    // Hard-protected, written by the script only in runs of the owner or leadership (not warning-only).
    expect([journal.hidden, journal.protect]).toEqual([true, 'system']);
    expect(templateByKey('settings').protect).toBe('leadership');
    const affiliates = templateByKey('affiliates');
    expect(col(affiliates, 'affiliatePercent').edit).toBe('leadership');
    expect(col(affiliates, 'commission').edit).toBe('script');
    expect(col(templateByKey('invoices'), 'status').edit).toBe('script');
    const analytics = templateByKey('analytics');
    for (const k of ['discountPercent', 'planPrice', 'discountedPrice', 'currentStage', 'problems', 'updatedAt']) {
      expect(col(analytics, k).edit, k).toBe('script');
    }
  });

  it('describes «Воронка» as a dashboard with a period selector', () => {
    const funnel = templateByKey('funnel');
    expect(funnel.kind).toBe('dashboard');
    expect(funnel.columns).toEqual([]);
    expect(funnel.controls[0]).toMatchObject({ key: 'period', values: ['Всё время', 'Этот месяц', 'Прошлый месяц', '7 дней', '30 дней'] });
  });

  it('formats columns for a ru-RU spreadsheet by type', () => {
    const analytics = templateByKey('analytics');
    expect(numberFormatFor(col(analytics, 'firstContactDate'))).toBe('dd.MM.yyyy');
    expect(numberFormatFor(col(analytics, 'updatedAt'))).toBe('dd.MM.yyyy HH:mm');
    expect(numberFormatFor(col(analytics, 'paidAmount'))).toBe('#,##0.00');
    expect(numberFormatFor(col(analytics, 'username'))).toBe('@');
    expect(numberFormatFor(col(analytics, 'unusualProject'))).toBeUndefined();
    expect(numberFormatFor(col(templateByKey('calls'), 'incomingCalls'))).toBe('0');
  });

  it('rejects a broken template with a message naming the problem', () => {
    const bad = sheetDef.safeParse({
      key: 'x', name: 'X',
      columns: [{ key: 'a', header: 'Дата', type: 'date' }, { key: 'b', header: ' дата ', type: 'text' }],
      demo: [{ c: 1 }],
    });
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i) => i.message).join('\n');
    expect(messages).toContain('used by a and b');
    expect(messages).toContain('unknown column key c');
    const broken = SHEET_TEMPLATES.map((t) => (t.key !== 'analytics' ? t : {
      ...t, columns: t.columns.map((c) => (c.key === 'plan' ? { ...c, validation: { kind: 'list' as const, list: 'tariffs', strict: true } } : c)),
    }));
    expect(crossTemplateProblems(broken)).toEqual(['Аналитика.Интересующий план: unknown list tariffs']);
  });
});

describe('demo data', () => {
  const analytics = templateByKey('analytics');
  const leads = analytics.demo;

  it('has about 40 leads over the last 45 days across every stage, manager, source and plan', () => {
    expect(leads.length).toBeGreaterThanOrEqual(35);
    const days = leads.map((r) => rel(r.firstContactDate)!);
    expect(Math.min(...days)).toBeGreaterThanOrEqual(-45);
    expect(Math.max(...days)).toBe(0);
    for (const stage of STAGE_KEYS) expect(leads.some((r) => r[stage]), stage).toBe(true);
    expect(new Set(leads.map((r) => r.manager))).toEqual(new Set(listValues('managers', true)));
    expect(new Set(leads.map((r) => r.trafficSource).filter(Boolean))).toEqual(new Set(listValues('trafficSources')));
    expect(new Set(leads.map((r) => r.plan))).toEqual(new Set(listValues('plans')));
    expect(new Set(leads.map((r) => r.account))).toEqual(new Set(listValues('accounts')));
    expect(new Set(leads.map((r) => r.promoCode).filter(Boolean)).size).toBeGreaterThanOrEqual(5);
  });

  it('keeps demo values inside the dropdowns, apart from the deliberately broken rows', () => {
    const known = new Set(PROMO_CODES.map(([c]) => c.toLowerCase()));
    const codes = leads.map((r) => r.promoCode).filter((c): c is string => typeof c === 'string' && c !== '');
    expect(codes.filter((c) => !known.has(c.trim().toLowerCase()))).toEqual(['SUPER20']);
    for (const r of leads) {
      if (r.refusalReason) expect(listValues('refusalReasons')).toContain(r.refusalReason);
      for (const stage of STAGE_KEYS) {
        const d = rel(r[stage]);
        if (d === undefined) continue;
        expect(d, `${r.name} ${stage}`).toBeGreaterThanOrEqual(rel(r.firstContactDate)!);
        expect(d, `${r.name} ${stage}`).toBeLessThanOrEqual(0);
      }
    }
  });

  it('includes rows broken on purpose so «Проблемы» has something to show', () => {
    expect(leads.some((r) => r.stagePaid && r.paidAmount === '')).toBe(true);
    expect(leads.some((r) => typeof r.username === 'string' && !/^@?[A-Za-z0-9_]{5,32}$/.test(r.username.replace(/^(https?:\/\/)?t\.me\//, '')))).toBe(true);
    expect(leads.some((r) => r.stageRefused && !r.refusalReason)).toBe(true);
    expect(leads.some((r) => r.stagePaid && r.stageRefused)).toBe(true);
  });

  it('has a week of secretary, calls and invoice rows, with yesterday logged and today partly', () => {
    const secretary = templateByKey('secretaryLog').demo;
    const secretaryDays = new Set(secretary.map((r) => rel(r.dateTime)));
    for (let d = -7; d <= -1; d++) expect(secretaryDays.has(d), `day ${d}`).toBe(true);
    expect(secretary.some((r) => rel(r.dateTime) === -1 && r.outcome === 'Перезвонить')).toBe(true);

    const calls = templateByKey('calls').demo;
    const today = calls.filter((r) => rel(r.date) === 0).map((r) => r.manager);
    expect(today.length).toBeLessThan(listValues('managers', true).length); // someone has not filled in
    expect(calls.filter((r) => rel(r.date) === -1)).toHaveLength(listValues('managers', true).length);

    const invoices = templateByKey('invoices').demo;
    const unpaidOld = invoices.filter((r) => r.paidAmount === '' && rel(r.issueDate)! <= -8);
    const partly = invoices.filter((r) => typeof r.paidAmount === 'number' && r.paidAmount < Number(r.amount));
    const paidToday = invoices.filter((r) => rel(r.paymentDate) === 0 && rel(r.issueDate)! < 0);
    expect([unpaidOld.length > 0, partly.length > 0, paidToday.length > 0]).toEqual([true, true, true]);
    expect(invoices.every((r) => r.status === undefined)).toBe(true);
  });

  it('every demo value belongs to a column of its sheet', () => {
    for (const t of SHEET_TEMPLATES) {
      const keys = new Set(t.columns.map((c) => c.key));
      for (const r of [...t.initial, ...t.demo]) for (const k of Object.keys(r)) expect(keys.has(k), `${t.name}.${k}`).toBe(true);
    }
  });
});

describe('resolveDemoValue', () => {
  it('turns a relative day into midnight of that Moscow date, whatever the machine zone', () => {
    const v = resolveDemoValue({ relDays: -3 }, TODAY, MOSCOW);
    expect(isDate(v)).toBe(true);
    expect((v as Date).toISOString()).toBe('2026-11-19T21:00:00.000Z');
    expect(toLocalDate(v as Date, MOSCOW)).toBe('2026-11-20');
  });

  it('places a time on the Moscow wall clock', () => {
    const v = resolveDemoValue({ relDays: -1, time: '10:15' }, TODAY, MOSCOW) as Date;
    expect(v.toISOString()).toBe('2026-11-22T07:15:00.000Z');
    // 23:50 in Moscow is still today there, whatever the machine zone thinks.
    const late = resolveDemoValue({ relDays: 0, time: '23:50' }, TODAY, MOSCOW) as Date;
    expect(toLocalDate(late, MOSCOW)).toBe(TODAY);
  });

  it('passes plain values through and empties null', () => {
    expect(resolveDemoValue('Светлана', TODAY, MOSCOW)).toBe('Светлана');
    expect(resolveDemoValue(332.5, TODAY, MOSCOW)).toBe(332.5);
    expect(resolveDemoValue(true, TODAY, MOSCOW)).toBe(true);
    expect(resolveDemoValue(null, TODAY, MOSCOW)).toBe('');
  });

  it('resolves the whole demo workbook to Moscow dates counted from today', () => {
    const analytics = templateByKey('analytics');
    const rows = demoWorkbookRows(analytics, TODAY, MOSCOW);
    rows.forEach((row, i) => {
      const first = row.firstContactDate as Date;
      expect(toLocalDate(first, MOSCOW)).toBe(addDays(TODAY, rel(analytics.demo[i].firstContactDate)!));
      expect(zonedParts(first, MOSCOW).hour).toBe(0);
    });
    const secretary = demoWorkbookRows(templateByKey('secretaryLog'), TODAY, MOSCOW);
    expect(secretary.every((r) => isDate(r.dateTime) && toLocalDate(r.dateTime, MOSCOW) <= TODAY)).toBe(true);
    // A sheet without demo rows gets its real initial rows.
    expect(demoWorkbookRows(templateByKey('promoCodes'), TODAY, MOSCOW)).toHaveLength(13);
  });
});

describe('«Журнал» «Источник»', () => {
  it('explains in its column note every word the log writes there', () => {
    const sources = ['edit', 'recalc', 'sweep', 'sync', 'invoices', 'setup', 'report'] as const;
    const note = templateByKey('journal').columns.find((c) => c.header === 'Источник')?.note ?? '';
    for (const source of sources) {
      const written = journalRow({ at: new Date(0), user: '', sheet: '', cell: '', before: '', after: '', source }, MOSCOW)[6];
      expect(note.split(' / '), source).toContain(written);
    }
    // The partner sync's entries read as what they are about.
    expect(journalRow({ at: new Date(0), user: '', sheet: '', cell: '', before: '', after: '', source: 'sync' }, MOSCOW)[6]).toBe('партнёры');
  });
});
