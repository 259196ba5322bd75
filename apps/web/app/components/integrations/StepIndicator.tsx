/**
 * Where the wizard is: an ordered list with the current step marked aria-current="step" (read out
 * as "current step") and the steps before it marked done in words, not colour alone.
 */
export function StepIndicator({ steps, current }: { steps: string[]; current: number }) {
  return (
    <ol className="wizard-steps" aria-label="Steps">
      {steps.map((title, index) => {
        const state = index < current ? 'done' : index === current ? 'current' : 'todo';
        return (
          <li
            key={title}
            className={`wizard-steps__item wizard-steps__item--${state}`}
            aria-current={index === current ? 'step' : undefined}
          >
            <span className="wizard-steps__number" aria-hidden="true">
              {index < current ? '✓' : index + 1}
            </span>
            <span className="wizard-steps__title">
              {title}
              {state === 'done' ? <span className="visually-hidden"> (done)</span> : null}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
