import { describe, expect, it } from 'vitest';
import { templateByKey } from '../sheets-templates';
import { localDateTimeToDate, MOSCOW } from '../src/core/dates';
import {
  alertRecipients, DEFAULT_SETTINGS, parseSettings, reportRecipients, SETTING_DEFS, SETTING_NAMES, settingsSchema,
} from '../src/core/settings';

const rowsOf = (sheet: 'initial' | 'demo') =>
  templateByKey('settings')[sheet].map((r) => ({ name: String(r.name), value: r.value }));

const one = (name: string, value: unknown) => parseSettings([{ name, value }]);

describe('settings', () => {
  describe('the «Настройки» template', () => {
    it('is generated from the setting definitions, one row per setting', () => {
      const sheet = templateByKey('settings');
      expect(sheet.initial.map((r) => r.name)).toEqual(SETTING_DEFS.map((d) => d.name));
      expect(sheet.initial.every((r) => String(r.description).length > 10)).toBe(true);
      expect(new Set(SETTING_DEFS.map((d) => d.name.toLowerCase())).size).toBe(SETTING_DEFS.length);
      expect(sheet.initialRowKey).toBe('name');
    });

    it('parses with no problems into the defaults', () => {
      const { settings, problems } = parseSettings(rowsOf('initial'));
      expect(problems).toEqual([]);
      expect(settings).toEqual(DEFAULT_SETTINGS);
    });

    it('the demo workbook settings parse too, with example addresses', () => {
      const { settings, problems } = parseSettings(rowsOf('demo'));
      expect(problems).toEqual([]);
      expect(settings.leadershipEmails).toEqual(['director@example.com']);
      expect(settings.secretaryRecipients).toEqual(['director@example.com', 'office@example.com']);
    });
  });

  it('defaults to the values of the spec', () => {
    expect(DEFAULT_SETTINGS).toEqual({
      secretaryRecipients: [],
      headOfSalesRecipients: [],
      secretaryReportTime: { hour: 11, minute: 0 },
      headOfSalesReportTime: { hour: 19, minute: 45 },
      callsDeadline: { hour: 19, minute: 30 },
      idleDays: 3,
      idleWorkingDays: false,
      stuckDays: 2,
      managersReportTime: { hour: 10, minute: 0 },
      leadershipEmails: [],
      adminEmails: [],
      currency: 'EUR',
      managerCommissionPercent: 5,
      managerCommissionFixed: 100,
      invoiceOverdueDays: 7,
      staleAnalyticsDays: 3,
      journalMaxRows: 5000,
      journalArchiveMaxRows: 50_000,
    });
    expect(settingsSchema.safeParse(DEFAULT_SETTINGS).success).toBe(true);
  });

  it('finds a setting by its name trimmed and in any case; an empty value keeps the default', () => {
    const { settings, problems } = parseSettings([
      { name: '  дней до ожидания ', value: '5' },
      { name: 'ВАЛЮТА', value: '' },
      { name: 'Время отчёта РОП', value: null },
      { name: '', value: 'stray' },
    ]);
    expect(problems).toEqual([]);
    expect(settings.idleDays).toBe(5);
    expect(settings.currency).toBe('EUR');
    expect(settings.headOfSalesReportTime).toEqual({ hour: 19, minute: 45 });
  });

  it('splits email lists on commas, semicolons and spaces', () => {
    const { settings, problems } = one(SETTING_NAMES.secretaryRecipients, ' a@firm.ru;b@firm.ru,  c@firm.com\nA@firm.ru ');
    expect(problems).toEqual([]);
    expect(settings.secretaryRecipients).toEqual(['a@firm.ru', 'b@firm.ru', 'c@firm.com']);
  });

  it('reads times typed as text, kept by Sheets as a time, or as a fraction of a day', () => {
    expect(one('Время отчёта секретаря', '9:30').settings.secretaryReportTime).toEqual({ hour: 9, minute: 30 });
    expect(one('Время отчёта секретаря', '09:05').settings.secretaryReportTime).toEqual({ hour: 9, minute: 5 });
    // Sheets returns a time cell as a Date on 30.12.1899, wall-clock time in the spreadsheet zone.
    const sheetTime = localDateTimeToDate('1899-12-30', MOSCOW, 20, 15);
    expect(one('Время отчёта РОП', sheetTime).settings.headOfSalesReportTime).toEqual({ hour: 20, minute: 15 });
    expect(one('Срок заполнения Звонков', 19.5 / 24).settings.callsDeadline).toEqual({ hour: 19, minute: 30 });
  });

  it('reads Да/Нет, TRUE/FALSE and a ticked checkbox', () => {
    expect(one('Ожидание в рабочих днях', 'Да').settings.idleWorkingDays).toBe(true);
    expect(one('Ожидание в рабочих днях', 'нет').settings.idleWorkingDays).toBe(false);
    expect(one('Ожидание в рабочих днях', 'TRUE').settings.idleWorkingDays).toBe(true);
    expect(one('Ожидание в рабочих днях', 'FALSE').settings.idleWorkingDays).toBe(false);
    expect(one('Ожидание в рабочих днях', true).settings.idleWorkingDays).toBe(true);
  });

  it('reads numbers written the Russian way', () => {
    expect(one('Комиссия менеджера, %', '7,5 %').settings.managerCommissionPercent).toBe(7.5);
    expect(one('Комиссия менеджера за оплаченный счёт', '1 200,50').settings.managerCommissionFixed).toBe(1200.5);
    expect(one('Дней до просрочки счёта', 10).settings.invoiceOverdueDays).toBe(10);
    expect(one('Валюта', 'usd').settings.currency).toBe('USD');
  });

  it.each([
    ['Время отчёта секретаря', '25:00', 'secretaryReportTime', 'нужно время в формате ЧЧ:ММ'],
    ['Время отчёта РОП', 'вечером', 'headOfSalesReportTime', 'нужно время в формате ЧЧ:ММ'],
    ['Получатели отчёта РОП', 'boss@', 'headOfSalesRecipients', 'не похоже на email'],
    ['Дней до Ожидания', '-2', 'idleDays', 'нужно целое число от 1 до 30'],
    ['Дней до Ожидания', '2.5', 'idleDays', 'нужно целое число от 1 до 30'],
    ['Ожидание в рабочих днях', 'иногда', 'idleWorkingDays', 'нужно «Да» или «Нет»'],
    ['Валюта', 'евро!', 'currency', 'нужен трёхбуквенный код валюты'],
    ['Комиссия менеджера, %', '150', 'managerCommissionPercent', 'нужно число от 0 до 100'],
    ['Размер журнала, строк', 'много', 'journalMaxRows', 'нужно целое число от 1000 до 100000'],
  ] as const)('reports «%s» = «%s» in Russian and keeps the default', (name, value, key, hint) => {
    const { settings, problems } = one(name, value);
    expect(settings[key]).toEqual(DEFAULT_SETTINGS[key]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`Настройки: «${name}» = «${value}» — ${hint}`);
  });

  it('keeps the good addresses of a list with a bad one, and names the bad text (the report still reaches them)', () => {
    const { settings, problems } = one('Email руководства', 'ceo@firm.ru, boss@');
    expect(settings.leadershipEmails).toEqual(['ceo@firm.ru']);
    expect(problems).toEqual(['Настройки: «Email руководства» = «ceo@firm.ru, boss@» — не похоже на email: «boss@»; пропущено, действуют остальные адреса: ceo@firm.ru']);
    const rop = one('Получатели отчёта РОП', 'Секретарь <office@firma.ru>; rop@firma\n"Директор" <Director@Firma.ru>, director@firma.ru');
    expect(rop.settings.headOfSalesRecipients).toEqual(['office@firma.ru', 'Director@Firma.ru']);
    expect(rop.problems[0]).toMatch(/не похоже на email: «rop@firma»; пропущено, действуют остальные адреса: office@firma\.ru, Director@Firma\.ru$/);
  });

  it('reads «Name <address>» and a name written before the address without brackets', () => {
    const { settings, problems } = one(SETTING_NAMES.secretaryRecipients, 'Секретарь <office@firma.ru>, Иван Петров ivan@firma.ru; mailto:rop@firma.ru');
    expect(problems).toEqual([]);
    expect(settings.secretaryRecipients).toEqual(['office@firma.ru', 'ivan@firma.ru', 'rop@firma.ru']);
  });

  it('says which default applies instead of a bad value', () => {
    expect(one('Время отчёта секретаря', '25:00').problems[0])
      .toBe('Настройки: «Время отчёта секретаря» = «25:00» — нужно время в формате ЧЧ:ММ; действует значение по умолчанию «11:00»');
  });

  it('reports a setting row it does not know and a setting given twice', () => {
    const { settings, problems } = parseSettings([
      { name: 'Цвет шапки', value: 'синий' },
      { name: 'Дней до Ожидания', value: '4' },
      { name: 'дней до ожидания', value: '6' },
    ]);
    expect(settings.idleDays).toBe(4);
    expect(problems).toEqual([
      'Настройки: неизвестный параметр «Цвет шапки» — строка не используется',
      'Настройки: параметр «Дней до Ожидания» указан несколько раз — действует первая строка',
    ]);
  });

  it('sends reports and alerts to leadership when no one else is set', () => {
    const { settings } = parseSettings([
      { name: 'Email руководства', value: 'ceo@firm.ru' },
      { name: 'Получатели отчёта РОП', value: 'rop@firm.ru' },
    ]);
    expect(reportRecipients(settings, 'secretary')).toEqual(['ceo@firm.ru']);
    expect(reportRecipients(settings, 'headOfSales')).toEqual(['rop@firm.ru']);
    expect(alertRecipients(settings)).toEqual(['ceo@firm.ru']);
  });

  it('never hands out the shared defaults object', () => {
    const { settings } = parseSettings([]);
    settings.leadershipEmails.push('x@y.ru');
    expect(DEFAULT_SETTINGS.leadershipEmails).toEqual([]);
  });
});
