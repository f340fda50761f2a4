import type { ComponentChildren } from 'preact';
import { FieldError } from './Feedback';

/** What a field's control spreads onto itself: its id and the accessibility attributes naming its hint and error. */
export interface FieldControl {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby'?: string;
}

export interface FieldProps {
  /** The control's DOM id; the hint is `${id}-hint` and the error `${id}-error`. */
  id: string;
  label: ComponentChildren;
  /** The controller's (or the form's own) message for this field, shown under it. */
  error?: string | null;
  /** A line under the control that it names with `aria-describedby`. */
  hint?: ComponentChildren;
  /** Keep the hint for screen readers only (a search box whose placeholder shows it). */
  hintHidden?: boolean;
  /** Further ids the control is described by (e.g. a password strength line), after the hint. */
  describedBy?: readonly string[];
  /** Extra classes beside `field` (layout: `wide`, `narrow`, …). */
  class?: string;
  /** The failure's field path, kept on the block as `data-field` for tests and the first-error focus. */
  path?: string;
  /** The control: a function given the id and aria attributes to spread, or ready-made children. */
  children: ((control: FieldControl) => ComponentChildren) | ComponentChildren;
  /** Shown above the label (a warning the control answers, named by `describedBy`). */
  before?: ComponentChildren;
  /** Shown after the hint and error (e.g. a list of hits under the box). */
  after?: ComponentChildren;
  /** The label is read by screen readers only (a row's inline rename box). */
  labelHidden?: boolean;
  /** A checkbox or radio: the label wraps the control and follows it. */
  choice?: boolean;
}

/** The aria attributes of a control with an optional hint, further descriptions and an error. */
export function fieldControl(id: string, error: string | null, hint: boolean, describedBy: readonly string[] = []): FieldControl {
  const ids = [...(hint ? [`${id}-hint`] : []), ...describedBy, ...(error !== null ? [`${id}-error`] : [])];
  return ids.length > 0
    ? { id, 'aria-invalid': error !== null, 'aria-describedby': ids.join(' ') }
    : { id, 'aria-invalid': error !== null };
}

const isRender = (children: FieldProps['children']): children is (control: FieldControl) => ComponentChildren =>
  typeof children === 'function';

/**
 * One labelled field of an admin form: the label, the control, its hint and
 * the error under it, wired for screen readers the same way in every form.
 */
export function Field(props: FieldProps) {
  const { id, label, error = null, hint, hintHidden = false, describedBy, class: extra, path, children, before, after } = props;
  const hasHint = hint !== undefined && hint !== null && hint !== false && hint !== '';
  const control = fieldControl(id, error, hasHint, describedBy);
  const body = isRender(children) ? children(control) : children;
  return (
    <div class={extra ? `field ${extra}` : 'field'} {...(path ? { 'data-field': path } : {})}>
      {before}
      {props.choice ? (
        <label class="choice">
          {body}
          {label}
        </label>
      ) : (
        <>
          <label for={id} {...(props.labelHidden ? { class: 'sr-only' } : {})}>
            {label}
          </label>
          {body}
        </>
      )}
      {hasHint && (
        <p class={hintHidden ? 'sr-only' : 'hint'} id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <FieldError id={`${id}-error`} message={error} />
      {after}
    </div>
  );
}

export interface FieldSetProps {
  /** The group's id: the hint is `${id}-hint` and the error `${id}-error`. */
  id: string;
  legend: ComponentChildren;
  /** The controller's (or the form's own) message for the group, shown under it. */
  error?: string | null;
  /** A line under the choices that the group names with `aria-describedby`. */
  hint?: ComponentChildren;
  /** Classes of the fieldset (`group`, `field inner`, …). */
  class?: string;
  /** The failure's field path, kept on the group as `data-field`. */
  path?: string;
  /** The choices (checkboxes or radios, each in its own `label.choice`). */
  children: ComponentChildren;
  /** Shown after the hint, before the error (e.g. the choices the hint leads into). */
  after?: ComponentChildren;
}

/**
 * A group of checkboxes or radios: the legend names it, and the hint and the
 * error under it are named by the group's `aria-describedby`, the same way
 * {@link Field} wires a single control.
 */
export function FieldSet(props: FieldSetProps) {
  const { id, legend, error = null, hint, class: classes, path, children, after } = props;
  const hasHint = hint !== undefined && hint !== null && hint !== false && hint !== '';
  const describedBy = fieldControl(id, error, hasHint)['aria-describedby'];
  return (
    <fieldset
      id={id}
      {...(classes ? { class: classes } : {})}
      {...(describedBy ? { 'aria-describedby': describedBy } : {})}
      {...(path ? { 'data-field': path } : {})}
    >
      <legend>{legend}</legend>
      {children}
      {hasHint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {after}
      <FieldError id={`${id}-error`} message={error} />
    </fieldset>
  );
}
