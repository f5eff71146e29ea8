// One profile variable as a form field: a select for enums, a password box for secrets (typed once,
// sent with the request, never shown back), otherwise text with the default as its placeholder.
import type { ProfileVariable } from '../../../../shared/provision'

export function VariableField({ v, value, message, onChange }: { v: ProfileVariable; value: string; message: string | null; onChange: (value: string) => void }) {
  const id = `var-${v.name}`
  const described = [message ? `${id}-msg` : '', v.description ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined
  const common = { id, 'aria-invalid': message ? true : undefined, 'aria-describedby': described } as const
  return (
    <div className="var-field">
      <label htmlFor={id} className="mono">
        {v.name}
      </label>
      {v.type === 'enum' ? (
        <select {...common} value={value || (v.default ?? '')} onChange={(e) => onChange(e.target.value)}>
          {(v.values ?? []).map((x) => (
            <option key={x} value={x}>
              {x}
            </option>
          ))}
        </select>
      ) : (
        <input
          {...common}
          type={v.type === 'secret' ? 'password' : 'text'}
          autoComplete="off"
          spellCheck={false}
          value={value}
          placeholder={v.default ?? ''}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {message && (
        <span id={`${id}-msg`} className="field-error" role="alert">
          {message}
        </span>
      )}
      {v.description && (
        <span id={`${id}-hint`} className="muted small">
          {v.description}
        </span>
      )}
    </div>
  )
}
