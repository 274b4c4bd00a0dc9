// The locale every Intl formatter uses: the browser's preferred languages, as far as Intl
// accepts them. WebKitGTK reports "C" when the desktop session has no LANG, which Intl
// rejects (formatters then throw), so fall back to en-US, and make `navigator.language`
// say so too for libraries that read it (uPlot does, when it loads): import this first.

function acceptedLocale(candidates: readonly string[]): string {
  for (const candidate of candidates) {
    try {
      const [canonical] = Intl.getCanonicalLocales(candidate);
      if (canonical && Intl.NumberFormat.supportedLocalesOf(canonical).length > 0) return canonical;
    } catch {
      // Not a language tag ("C", "POSIX"): try the next one.
    }
  }
  return 'en-US';
}

export const LOCALE = acceptedLocale(
  navigator.languages?.length ? navigator.languages : [navigator.language],
);

if (navigator.language !== LOCALE && acceptedLocale([navigator.language]) !== navigator.language) {
  Object.defineProperty(navigator, 'language', { get: () => LOCALE });
}
