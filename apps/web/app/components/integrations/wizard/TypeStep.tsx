import { AVAILABLE_TYPES, type IntegrationTypeName } from '../catalog.ts';
import type { WizardErrors } from './draft.ts';

/**
 * The tools to connect, as cards. Each card is a labelled radio button, so the group works like any
 * radio group: Tab into it, arrow keys to move, Space to choose.
 */
export function TypeStep({
  value,
  onChange,
  errors,
}: {
  value: IntegrationTypeName | null;
  onChange: (type: IntegrationTypeName) => void;
  errors: WizardErrors;
}) {
  return (
    <fieldset className="type-cards" aria-describedby={errors.type ? 'wizard-type-error' : undefined}>
      <legend>Which tool do you want to connect?</legend>
      <div className="type-cards__grid">
        {AVAILABLE_TYPES.map((info) => (
          <label key={info.type} className={`type-card${value === info.type ? ' type-card--selected' : ''}`}>
            <input
              type="radio"
              name="type"
              value={info.type}
              checked={value === info.type}
              onChange={() => onChange(info.type)}
              aria-describedby={`type-${info.type}-description`}
            />
            <span className="type-card__label">{info.label}</span>
            <span id={`type-${info.type}-description`} className="type-card__description">
              {info.description}
            </span>
          </label>
        ))}
      </div>
      {errors.type ? (
        <p id="wizard-type-error" className="field-error">
          {errors.type}
        </p>
      ) : null}
    </fieldset>
  );
}
