// Human names for stored values: countries with flags, languages, channels, and "none".
import type { Dimension } from '../api/types';
import { LOCALE } from './locale';

const regionNames = safeDisplayNames('region');
const languageNames = safeDisplayNames('language');

function safeDisplayNames(type: 'region' | 'language'): Intl.DisplayNames | null {
  try {
    return new Intl.DisplayNames(LOCALE, { type, fallback: 'code' });
  } catch {
    return null;
  }
}

/** The flag emoji of a two-letter country code (regional indicator symbols). */
export function flag(code: string): string {
  if (!/^[A-Za-z]{2}$/.test(code)) return '';
  return String.fromCodePoint(...[...code.toUpperCase()].map((c) => 0x1f1a5 + c.charCodeAt(0)));
}

export function countryName(code: string): string {
  try {
    return regionNames?.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

export function languageName(code: string): string {
  try {
    return languageNames?.of(code) ?? code;
  } catch {
    return code;
  }
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** What a breakdown row or filter chip calls a value of a dimension. */
export function valueLabel(dimension: Dimension, value: string | null): string {
  if (value == null || value === '') return dimension === 'referrer' ? 'Direct / none' : '(none)';
  switch (dimension) {
    case 'country':
      return countryName(value);
    case 'language':
      return languageName(value);
    case 'channel':
    case 'device':
      return capitalize(value);
    default:
      return value;
  }
}
