interface Props {
  label: string;
  value: string;
  onChange: (value: string) => void;
  min: number;
  max: number;
  step?: number;
  error: string;
  help: React.ReactNode;
  testId: string;
  className?: string;
}

/** A whole-number settings field with its help line, or its error instead. */
export function NumberField({ label, value, onChange, min, max, step = 1, error, help, testId, className }: Props) {
  return (
    <label className={`field${className ? ` ${className}` : ''}`}>
      <span className="field-label">{label}</span>
      <input
        type="number"
        data-testid={testId}
        value={value}
        min={min}
        max={max}
        step={step}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
      />
      {error ? <span className="field-error">{error}</span> : <span className="field-help">{help}</span>}
    </label>
  );
}
