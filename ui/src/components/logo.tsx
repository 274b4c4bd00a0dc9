// The Skopos mark (the favicon's eye and bars), inline.
export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg class="logo" width={size} height={size} viewBox="0 0 64 64" aria-hidden="true">
      <defs>
        <linearGradient id="logo-gradient" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stop-color="#4f46e5" />
          <stop offset="1" stop-color="#0d9488" />
        </linearGradient>
      </defs>
      <rect x="2" y="2" width="60" height="60" rx="14" fill="url(#logo-gradient)" />
      <path d="M10 32 Q32 11 54 32 Q32 53 10 32 Z" fill="none" stroke="#fff" stroke-width="3.5" stroke-linejoin="round" />
      <circle cx="32" cy="32" r="9.5" fill="#fff" />
      <rect x="27" y="33" width="3" height="4" rx="0.8" fill="#3730a3" />
      <rect x="30.6" y="30" width="3" height="7" rx="0.8" fill="#3730a3" />
      <rect x="34.2" y="27" width="3" height="10" rx="0.8" fill="#3730a3" />
    </svg>
  );
}
