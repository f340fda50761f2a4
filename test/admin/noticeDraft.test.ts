import { createHolidayCalendar } from '@protocol';
import { describe, expect, it } from 'vitest';
import { checkDraft, draftFromContent, emptyDraft, toContentRequest } from '../../admin/lib/noticeDraft';
import { previewWindow } from '../../admin/lib/posting';
import { content } from './fakes';

const NOW = Date.parse('2026-11-26T02:00:00Z');

describe('the notice form', () => {
  it('turns stored content into the form and back without losing anything', () => {
    const stored = content({
      docNumber: '彪政〔2026〕12号',
      docType: 'normative',
      keyAreas: ['应急'],
      target: { scope: 'villages', villageIds: ['v2'] },
      posting: { start: '2026-11-26', rule: { kind: 'working_days', days: 5 } },
      priority: 3,
      emergency: { level: 'orange', expiresAt: Date.parse('2026-11-27T10:00:00Z') },
      retention: '30y',
      ledText: '防火提示',
    });
    const request = toContentRequest(draftFromContent(stored));
    expect(request).toEqual({ ...stored, emergency: { level: 'orange', expiresAt: Date.parse('2026-11-27T10:00:00Z') } });
  });

  it('shows an LED text equal to the title as empty ("use the title") and sends it empty', () => {
    const draft = draftFromContent(content({ title: '停水通知', ledText: '停水通知' }));
    expect(draft.ledText).toBe('');
    expect(toContentRequest(draft).ledText).toBe('');
  });

  it('leaves retention to the category default unless chosen, and a blank document number as null', () => {
    const draft = { ...emptyDraft('2026-11-26'), title: 't', body: 'b', docNumber: '  ' };
    const request = toContentRequest(draft);
    expect('retention' in request).toBe(false);
    expect(request.docNumber).toBeNull();
  });

  it('sends no document type for an ordinary notice, so its content hash is what it always was', () => {
    const draft = draftFromContent(content({}));
    expect(draft.docType).toBe('');
    expect('docType' in toContentRequest(draft)).toBe(false);
    expect(toContentRequest({ ...draft, docType: 'normative' }).docType).toBe('normative');
  });

  it('starts an editor limited to villages on those villages', () => {
    expect(emptyDraft('2026-11-26', ['v2'])).toMatchObject({ scope: 'villages', villageIds: ['v2'] });
    expect(emptyDraft('2026-11-26')).toMatchObject({ scope: 'town', villageIds: [] });
  });

  it('refuses what the controller would refuse, under the same field paths', () => {
    const failure = checkDraft({ ...emptyDraft('2026-11-26'), scope: 'villages', ruleDays: '0' }, NOW);
    expect(failure?.fields).toMatchObject({
      title: 'enter a title',
      body: 'enter the text of the notice',
      'target.villageIds': 'choose at least one village',
      'posting.rule.days': 'at least 1 day',
    });
  });

  it('also refuses what would only fail later: a fractional day count, an end before the start, an expired emergency', () => {
    const base = { ...emptyDraft('2026-11-26'), title: 't', body: 'b' };
    expect(checkDraft(base, NOW)).toBeNull();
    expect(checkDraft({ ...base, ruleDays: '2.5' }, NOW)?.fields).toHaveProperty('posting.rule.days');
    expect(checkDraft({ ...base, ruleKind: 'until', ruleEnd: '2026-11-20' }, NOW)?.fields).toEqual({
      'posting.rule.end': 'must not be before the start date',
    });
    expect(checkDraft({ ...base, emergency: true, emergencyExpires: '' }, NOW)?.fields).toHaveProperty('emergency.expiresAt');
    expect(checkDraft({ ...base, emergency: true, emergencyExpires: '2026-11-01T08:00' }, NOW)?.fields).toEqual({
      'emergency.expiresAt': 'must be in the future',
    });
  });
});

describe('the posting window preview', () => {
  const calendar = createHolidayCalendar();

  it('counts working days past 国庆 with its 调休 Saturday, and names the holiday', () => {
    const window = previewWindow(calendar, { ...emptyDraft('2026-10-01'), ruleKind: 'working_days', ruleDays: '7' });
    expect(window).toMatchObject({ start: '2026-10-01', end: '2026-10-15' });
    expect(window?.holidays).toContain('国庆节');
    expect(window?.uncoveredYears).toEqual([]);
  });

  it('counts calendar days from the start day and has no end for long-term', () => {
    expect(previewWindow(calendar, { ...emptyDraft('2026-11-26'), ruleDays: '7' })?.end).toBe('2026-12-02');
    expect(previewWindow(calendar, { ...emptyDraft('2026-11-26'), ruleKind: 'long_term' })?.end).toBeNull();
  });

  it('says when a year has no holiday schedule yet, and gives nothing for an incomplete rule', () => {
    expect(previewWindow(calendar, { ...emptyDraft('2031-03-02'), ruleDays: '3' })?.uncoveredYears).toEqual(['2031']);
    expect(previewWindow(calendar, { ...emptyDraft('2026-11-26'), ruleDays: '' })).toBeNull();
    expect(previewWindow(calendar, { ...emptyDraft('2026-11-26'), ruleKind: 'until', ruleEnd: '2026-11-01' })).toBeNull();
  });
});
