interface Props {
  value: Record<string, boolean>;
  onChange: (next: Record<string, boolean>) => void;
}

/**
 * Thinking models reason before they answer (shown in a "Thinking…" block, never written to
 * files). It is on for every model that can; a model turned off from its thinking block is
 * listed here, to turn it back on.
 */
export function ThinkingModelsField({ value, onChange }: Props) {
  const off = Object.keys(value)
    .filter((m) => value[m] === false)
    .sort();
  return (
    <fieldset className="field-group" data-testid="settings-thinking">
      <legend>Thinking models</legend>
      {off.length === 0 ? (
        <span className="field-help">Models that can think before answering do so. Turn it off per model from its “Thought for …” block.</span>
      ) : (
        <>
          <span className="field-help">Models that can think do so, except these:</span>
          {off.map((m) => (
            <label key={m} className="field field-check">
              <input
                type="checkbox"
                checked={false}
                onChange={() => {
                  const { [m]: _dropped, ...rest } = value;
                  onChange(rest);
                }}
              />
              <span>
                Let <code>{m}</code> think before answering
              </span>
            </label>
          ))}
        </>
      )}
    </fieldset>
  );
}
