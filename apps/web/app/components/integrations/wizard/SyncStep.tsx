import { CONFLICT_STRATEGIES, DIRECTIONS, FREQUENCIES, typeInfo } from '../catalog.ts';
import { SelectField } from '../FormField.tsx';
import { ResourceFields, type ResourceErrors } from '../ResourceForm.tsx';
import type { WizardDraft, WizardErrors } from './draft.ts';

export function SyncStep({
  draft,
  onChange,
  errors,
}: {
  draft: WizardDraft;
  onChange: (next: WizardDraft) => void;
  errors: WizardErrors;
}) {
  const resourceErrors: ResourceErrors = Object.fromEntries(
    Object.entries(errors)
      .filter(([key]) => key.startsWith('resource.'))
      .map(([key, message]) => [key.slice('resource.'.length), message]),
  );
  return (
    <>
      <fieldset className="choice-group">
        <legend>Direction</legend>
        {DIRECTIONS.map((direction) => (
          <label key={direction.value} className="choice">
            <input
              type="radio"
              name="direction"
              value={direction.value}
              checked={draft.direction === direction.value}
              onChange={() => onChange({ ...draft, direction: direction.value })}
              aria-describedby={`direction-${direction.value}-hint`}
            />
            <span>
              <span className="choice__label">{direction.label}</span>
              <span id={`direction-${direction.value}-hint`} className="field-hint">
                {direction.hint}
              </span>
            </span>
          </label>
        ))}
        {errors.direction ? <p className="field-error">{errors.direction}</p> : null}
      </fieldset>
      <div className="field-grid">
        <SelectField
          id="wizard-frequency"
          name="frequency"
          label="How often"
          hint="Scheduled full syncs; real time also reacts to changes and webhooks as they happen."
          value={draft.frequency}
          options={FREQUENCIES}
          onChange={(event) => onChange({ ...draft, frequency: event.target.value as WizardDraft['frequency'] })}
          error={errors.frequency}
        />
        <SelectField
          id="wizard-conflict-strategy"
          name="conflictStrategy"
          label="When both sides changed a record"
          hint={CONFLICT_STRATEGIES.find((strategy) => strategy.value === draft.conflictStrategy)?.hint}
          value={draft.conflictStrategy}
          options={CONFLICT_STRATEGIES}
          onChange={(event) =>
            onChange({ ...draft, conflictStrategy: event.target.value as WizardDraft['conflictStrategy'] })
          }
          error={errors.conflictStrategy}
        />
      </div>
      <fieldset className="choice-group">
        <legend>What to sync</legend>
        <label className="choice">
          <input
            type="checkbox"
            name="addResource"
            checked={draft.addResource}
            onChange={(event) => onChange({ ...draft, addResource: event.target.checked })}
          />
          <span className="choice__label">Add a table to sync now</span>
        </label>
        <p className="field-hint">
          Each resource pairs one Postgres table with one object in the tool. You map its fields afterwards, and can add
          more resources from the integration’s Mappings tab.
        </p>
        {draft.addResource ? (
          <ResourceFields
            idPrefix="wizard-resource"
            info={draft.type ? typeInfo(draft.type) : undefined}
            value={draft.resource}
            onChange={(resource) => onChange({ ...draft, resource })}
            errors={resourceErrors}
          />
        ) : null}
      </fieldset>
    </>
  );
}
