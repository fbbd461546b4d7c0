/** Degrees as typed in a form: an optional sign, up to three digits, and a decimal point or comma. */
const DEGREES = /^[+-]?\d{1,3}(?:[.,]\d{1,10})?$/;

/**
 * The optional location of a safety answer, from the form's two text fields: both coordinates as numbers in range
 * (a decimal comma, as many phones type it, is read as a point), neither (null), or 'invalid'.
 */
export function parseLocation(lat: string | undefined, lon: string | undefined): { lat: number; lon: number } | null | 'invalid' {
  const latText = lat?.trim() ?? '';
  const lonText = lon?.trim() ?? '';
  if (latText === '' && lonText === '') return null;
  const degrees = (text: string) => (DEGREES.test(text) ? Number(text.replace(',', '.')) : NaN);
  const latitude = degrees(latText);
  const longitude = degrees(lonText);
  if (!(Math.abs(latitude) <= 90) || !(Math.abs(longitude) <= 180)) return 'invalid';
  return { lat: latitude, lon: longitude };
}
