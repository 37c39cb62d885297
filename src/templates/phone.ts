// Phone numbers for people to read and tap: Russian (and Kazakh, same plan) numbers
// as +7 (999) 123-45-67, North American as +1 212-555-0123, other international
// numbers as written, or as +<country code> <number> when written without spaces.
// Anything that is not clearly a phone number (letters, extensions, too few digits)
// is shown exactly as given.

// E.164 country codes are prefix-free: these are all the 1- and 2-digit ones;
// every other code has 3 digits.
const SHORT_CODES = new Set([
  '1', '7', '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48', '49',
  '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66',
  '81', '82', '84', '86', '90', '91', '92', '93', '94', '95', '98'
])

export function formatPhone (input: string): string {
  const raw = input.trim()
  if (!/^\+?[\d\s\-().]+$/.test(raw)) return raw
  let digits = raw.replace(/\D/g, '')
  let international = raw.startsWith('+')
  if (!international && digits.startsWith('00')) {
    digits = digits.slice(2)
    international = true
  }

  const russian = russianNational(digits, international)
  if (russian !== null) return `+7 (${russian.slice(0, 3)}) ${russian.slice(3, 6)}-${russian.slice(6, 8)}-${russian.slice(8)}`
  if (!international || digits.length < 8 || digits.length > 15) return raw

  const code = countryCode(digits)
  const national = digits.slice(code.length)
  if (code === '7') return raw // +7 with the wrong number of digits
  if (code === '1') return national.length === 10 ? `+1 ${national.slice(0, 3)}-${national.slice(3, 6)}-${national.slice(6)}` : raw
  // Without per-country metadata the writer's own grouping is the best one we have.
  if (/[^\d+]/.test(raw)) return raw.replace(/^00/, '+').replace(/\s+/g, ' ')
  return `+${code} ${national}`
}

/** The 10 national digits of a +7 number, or null. */
function russianNational (digits: string, international: boolean): string | null {
  if (digits.length === 11 && digits.startsWith('7')) return digits.slice(1)
  if (international) return null
  if (digits.length === 11 && digits.startsWith('8')) return digits.slice(1) // domestic 8 (999) …
  if (digits.length === 10 && digits.startsWith('9')) return digits // mobile without a prefix
  return null
}

function countryCode (digits: string): string {
  for (const length of [1, 2]) {
    const prefix = digits.slice(0, length)
    if (SHORT_CODES.has(prefix)) return prefix
  }
  return digits.slice(0, 3)
}
