/** The problem with one form field, read out with the field (`aria-describedby` its id). */
export function FieldError({ id, message }: { id: string; message?: string }) {
  return (
    <span id={id} className="field-error" role={message ? 'alert' : undefined}>
      {message}
    </span>
  );
}
