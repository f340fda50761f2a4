/**
 * Groups of checkboxes and radios share one FieldSet: the legend names the
 * group, and its hint and error are named by the group's aria-describedby,
 * the way Field wires a single control.
 */
import type { Failure } from '@protocol';
import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { FieldSet } from '../../admin/components/Field';
import { SourceFields } from '../../admin/pages/editor/SourceFields';
import { TargetFields } from '../../admin/pages/editor/TargetFields';
import { AccessFields } from '../../admin/pages/users/AccessFields';
import { emptyDraft } from '../../admin/lib/noticeDraft';
import { createHolidayCalendar } from '@protocol';
import { TOWN } from './fakes';

afterEach(cleanup);

/** The texts the group's aria-describedby points at, in order. */
const description = (group: HTMLElement): string[] =>
  (group.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? `missing #${id}`);

const failure = (fields: Record<string, string>): Failure => ({ ok: false, error: 'invalid_payload', message: 'invalid', fields });

describe('FieldSet', () => {
  it('names its hint and its error, the error in the reader’s language', () => {
    render(
      <FieldSet id="g" legend="类别" hint="可多选" error="choose a category">
        <label class="choice">
          <input type="checkbox" />一
        </label>
      </FieldSet>,
    );
    const group = screen.getByRole('group', { name: '类别' });
    expect(description(group)).toEqual(['可多选', '请选择类别']);
  });

  it('describes nothing when there is no hint and no error', () => {
    render(
      <FieldSet id="g" legend="类别">
        <span />
      </FieldSet>,
    );
    expect(screen.getByRole('group', { name: '类别' }).hasAttribute('aria-describedby')).toBe(false);
  });
});

describe('the choice groups of the forms', () => {
  it('发布范围 names its hint and the controller’s error', () => {
    render(
      <TargetFields
        draft={emptyDraft('2026-11-26')}
        update={() => undefined}
        failure={failure({ 'target.villageIds': 'choose at least one village' })}
        villages={TOWN.villages}
        townAllowed
      />,
    );
    expect(description(screen.getByRole('group', { name: '发布范围' }))).toEqual(['勾选要发布的村：', '请至少选择一个村']);
  });

  it('重点领域 in the editor shows and names the controller’s error', () => {
    render(
      <SourceFields
        draft={emptyDraft('2026-11-26')}
        update={() => undefined}
        failure={failure({ 'keyAreas.0': 'choose a category' })}
        calendar={createHolidayCalendar()}
        townIssuer="彪角镇人民政府"
      />,
    );
    expect(description(screen.getByRole('group', { name: '重点领域' }))).toEqual(['请选择类别']);
  });

  it('the user form’s roles and villages name their hint and errors', () => {
    render(
      <AccessFields
        idPrefix="new"
        roles={[]}
        villageIds={[]}
        villages={TOWN.villages}
        onRoles={() => undefined}
        onVillages={() => undefined}
        rolesError="choose a category"
        villagesError={null}
      />,
    );
    expect(description(screen.getByRole('group', { name: '角色' }))).toEqual(['请选择类别']);
    expect(description(screen.getByRole('group', { name: '负责的村' }))).toEqual(['拟稿人只能为勾选的村发布；都不勾选则不限。']);
  });
});
