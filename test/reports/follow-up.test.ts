// The managers' morning email «Кого дожать сегодня»: whom a manager sees, and never anyone else's lead.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../emulator/context';
import { addDays, type LocalDate } from '../../src/core/dates';
import { ANALYTICS_KEYS, type AnalyticsRow } from '../../src/core/analytics';
import { parseManagers } from '../../src/core/managers';
import { computeFollowUps, MAX_EMAIL_BYTES, renderFollowUpEmail, utf8Bytes, type FollowUpContext, type SecretaryRow } from '../../src/core/reports';
import { REFUSAL_REASONS } from '../../sheets-templates/lists';
import { at, contact, CTX, d, numbered, TZ } from './fixtures';

const TODAY: LocalDate = '2026-11-24';
const NOW = at(TODAY, '10:00');
const STUCK = { days: 2, workingDays: false };
const FCTX: FollowUpContext = { ...CTX, sheetIds: { analytics: 111, secretaryLog: 222 }, stuckDays: 2 };

function lead(values: Partial<AnalyticsRow>): AnalyticsRow {
  const r = {} as AnalyticsRow;
  for (const k of ANALYTICS_KEYS) r[k] = '';
  return Object.assign(r, values);
}

const directory = (...rows: Array<[string, string, string?]>) =>
  parseManagers(rows.map(([name, email, active = ''], i) => ({ rowNumber: i + 2, values: { name, email, active } })));

function follow(leads: Array<Partial<AnalyticsRow>>, secretary: SecretaryRow[] = [], dir = directory(['Светлана', 'sv@example.com'], ['Марина', 'ma@example.com'])) {
  return computeFollowUps({ leads: leads.map((v, i) => ({ rowNumber: i + 2, values: lead(v) })), secretary, directory: dir, stuck: STUCK, now: NOW, today: TODAY, tz: TZ });
}

const of = (name: string, models: ReturnType<typeof follow>) => models.find((m) => m.manager === name)!;

describe('whom a manager is asked to chase', () => {
  it('a payment link sent yesterday or earlier without «Оплата» comes first; one sent today does not', () => {
    const m = of('Светлана', follow([
      { manager: 'Светлана', name: 'Вчера', stageNegotiation: d('2026-11-22'), stageLinkSent: d('2026-11-23') },
      { manager: 'Светлана', name: 'Сегодня', stageLinkSent: d(TODAY) },
      { manager: 'Светлана', name: 'Оплатил', stageLinkSent: d('2026-11-20'), stagePaid: d('2026-11-22') },
    ]));
    expect(m.lines.map((l) => [l.kind, l.client, l.days])).toEqual([['linkSent', 'Вчера', 1]]);
  });

  it('lists «Ожидание» and «Повторные переговоры» due today or overdue, and stuck leads, each lead once with its other reasons', () => {
    const m = of('Марина', follow([
      { manager: 'Марина', name: 'Ждёт', username: '@waits_long', stageNegotiation: d('2026-11-10'), stageWaiting: d('2026-11-13') },
      { manager: 'Марина', name: 'Снова', stageNegotiation: d('2026-11-01'), stageRenegotiation: d('2026-11-23') },
      { manager: 'Марина', name: 'Говорили сегодня', stageRenegotiation: d('2026-11-23'), lastContact: d(TODAY) },
      { manager: 'Марина', name: 'Стоит', stageDeciding: d('2026-11-20') },
      { manager: 'Марина', name: 'Движется', stageDeciding: d('2026-11-23') },
    ]));
    expect(m.lines.map((l) => [l.kind, l.client])).toEqual([['waiting', 'Ждёт'], ['renegotiation', 'Снова'], ['stuck', 'Стоит']]);
    const waiting = m.lines[0];
    expect(waiting).toMatchObject({ contact: '@waits_long', stage: 'Ожидание', since: '2026-11-10', days: 14 });
    expect(waiting.also).toEqual(['подвисла с 13.11.2026']);
  });

  it('adds the open «Перезвонить» items the secretary handed to the manager, and rows of theirs with problems', () => {
    const secretary = numbered([
      contact('2026-11-23', '12:00', { client: 'Звонила утром', contact: '+7 900 000-00-01', transferredTo: 'марина', outcome: 'Перезвонить', request: 'Договор' }),
      contact('2026-11-23', '13:00', { client: 'Уже перезвонили', contact: '+7 900 000-00-02', transferredTo: 'Марина', outcome: 'Перезвонить', calledBackAt: '13:06' }),
      contact('2026-11-23', '14:00', { client: 'Чужой', contact: '+7 900 000-00-03', transferredTo: 'Светлана', outcome: 'Перезвонить' }),
    ]) as SecretaryRow[];
    const m = of('Марина', follow([{ manager: 'Марина', name: 'С ошибкой', stageFirstContact: d(TODAY), problems: 'Не указан источник трафика' }], secretary));
    expect(m.lines.map((l) => [l.kind, l.client, l.detail])).toEqual([['callback', 'Звонила утром', 'Договор'], ['problems', 'С ошибкой', 'Не указан источник трафика']]);
    expect(m.lines[0]).toMatchObject({ sheet: 'secretaryLog', rowNumber: 2, days: 1 });
  });

  it('sends each line with the client, the stage, the days waiting and a link to the row', () => {
    const m = of('Светлана', follow([{ manager: 'Светлана', name: 'Анна', username: 't.me/anna_shop', stageLinkSent: d('2026-11-21') }]));
    const email = renderFollowUpEmail(m, TODAY, NOW, FCTX);
    expect(email.subject).toBe('Кого дожать сегодня, 24.11.2026 — Светлана');
    expect(email.html).toContain('href="https://docs.google.com/spreadsheets/d/abc123/edit#gid=111&amp;range=A2"');
    expect(email.text).toContain('• Анна (@anna_shop) — Этап: Отправили ссылку и ждём оплату (подвисла с 24.11.2026); Ждёт: 3\u202fдня (с 21.11.2026); Где: строка 2 (https://docs.google.com/spreadsheets/d/abc123/edit#gid=111&range=A2)');
  });

  it('tells a manager with nothing due that all is well, and escapes every user string', () => {
    const calm = renderFollowUpEmail(of('Марина', follow([])), TODAY, NOW, FCTX);
    expect(calm.text).toContain('Сегодня дожимать некого');
    const evil = of('Светлана', follow([{ manager: 'Светлана', name: '<img src=x onerror=alert(1)>', stageLinkSent: d('2026-11-20') }]));
    const html = renderFollowUpEmail(evil, TODAY, NOW, FCTX).html;
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('stays under 150 KB even for a manager with thousands of due leads', () => {
    const leads = Array.from({ length: 5000 }, (_, i) => ({ manager: 'Светлана', name: `Клиент ${i} ${'д'.repeat(150)}`, stageLinkSent: d('2026-11-01'), problems: 'п'.repeat(200) }));
    const email = renderFollowUpEmail(of('Светлана', follow(leads)), TODAY, NOW, FCTX);
    expect(utf8Bytes(email.html)).toBeLessThanOrEqual(MAX_EMAIL_BYTES);
    expect(utf8Bytes(email.text)).toBeLessThanOrEqual(MAX_EMAIL_BYTES);
    expect(email.text).toMatch(/… и ещё \d+/);
  });

  it('gives no list to an inactive manager, and none to a row without a manager', () => {
    const dir = directory(['Светлана', 'sv@example.com'], ['Олег', 'oleg@example.com', 'Нет']);
    const models = follow([
      { manager: 'Олег', name: 'Ушёл', stageLinkSent: d('2026-11-20') },
      { manager: '', name: 'Ничей', stageLinkSent: d('2026-11-20') },
    ], [], dir);
    expect(models.map((m) => [m.manager, m.lines.length])).toEqual([['Светлана', 0]]);
  });
});

describe('property over seeds: no manager’s email ever contains another manager’s lead', () => {
  const NAMES = ['Светлана', 'Марина', 'Олег', 'Ёлка Пётр', 'Анна-Мария'];
  const spell = (name: string, r: () => number) => {
    const pick = Math.floor(r() * 4);
    return pick === 0 ? name.toUpperCase() : pick === 1 ? `  ${name} ` : pick === 2 ? name.replace(/ё/gi, 'е') : name;
  };

  for (let seed = 1; seed <= 40; seed++) {
    it(`seed ${seed}`, () => {
      const r = seededRandom(seed);
      const count = 2 + Math.floor(r() * 4);
      const managers = NAMES.slice(0, count);
      const dir = directory(...managers.map((m, i): [string, string] => [m, `m${i}@example.com`]));
      const owner = new Map<string, string>(); // client → manager name ('' for none)
      const day = (back: number) => d(addDays(TODAY, -back));
      const stageKeys = ['stageFirstContact', 'stageNegotiation', 'stageDeciding', 'stageLinkSent', 'stageWaiting', 'stageRenegotiation', 'stagePaid', 'stageRefused'] as const;
      const leads: Array<Partial<AnalyticsRow>> = Array.from({ length: 60 + Math.floor(r() * 60) }, (_, i) => {
        const m = r() < 0.1 ? '' : managers[Math.floor(r() * managers.length)];
        const client = `Клиент №${seed}-${String(i).padStart(4, '0')}`;
        owner.set(client, m);
        const row: Partial<AnalyticsRow> = { manager: m ? spell(m, r) : '', name: client, username: `@lead_${seed}_${i}` };
        for (const k of stageKeys) if (r() < 0.3) row[k] = day(Math.floor(r() * 10));
        if (row.stageRefused) row.refusalReason = REFUSAL_REASONS[Math.floor(r() * REFUSAL_REASONS.length)];
        if (r() < 0.3) row.lastContact = day(Math.floor(r() * 5));
        if (r() < 0.2) row.problems = `проблема строки ${i}`;
        return row;
      });
      const secretary = numbered(Array.from({ length: 20 }, (_, i) => {
        const m = r() < 0.2 ? '' : managers[Math.floor(r() * managers.length)];
        const client = `Звонок №${seed}-${String(i).padStart(4, '0')}`;
        owner.set(client, m);
        return contact(addDays(TODAY, -1 - Math.floor(r() * 3)), '12:00', { client, contact: `+7 900 ${seed}${i}`, transferredTo: m ? spell(m, r) : '', outcome: r() < 0.7 ? 'Перезвонить' : 'Консультация' });
      })) as SecretaryRow[];
      const models = follow(leads, secretary, dir);
      expect(models.map((m) => m.manager)).toEqual(managers);
      let listed = 0;
      for (const m of models) {
        const email = renderFollowUpEmail(m, TODAY, NOW, FCTX);
        const body = `${email.subject}\n${email.html}\n${email.text}`;
        for (const [client, who] of owner) {
          const mine = who !== '' && who === m.manager;
          if (!mine) expect(body, `${client} (${who || 'без менеджера'}) in ${m.manager}'s email`).not.toContain(client);
        }
        for (const line of m.lines) expect(owner.get(line.client)).toBe(m.manager);
        listed += m.lines.length;
      }
      expect(listed).toBeGreaterThan(0);
    });
  }
});
