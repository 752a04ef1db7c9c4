// What a submitted form says, as text: a missing field or a file is an empty string.
export function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}
