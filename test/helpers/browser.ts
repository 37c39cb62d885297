// Debian's headless Chromium (never a downloaded browser) for the dashboard
// tests: a page that collects script errors, console errors and requests to
// any other origin than the relay's, so a test can assert there were none.
import type { Test } from 'tap'
import { existsSync } from 'node:fs'
import { chromium, type Page } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'

/** tap's skip option: false, or why the browser test cannot run here. */
export const chromiumSkip = (): false | string => existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) to run the browser test`

export async function openPage (t: Test, origin: string, o: { viewport: { width: number, height: number }, expectedConsole?: RegExp }): Promise<{ page: Page, problems: string[] }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
  t.teardown(() => browser.close())
  const page = await browser.newPage({ viewport: o.viewport })
  page.setDefaultTimeout(10_000)
  const problems: string[] = []
  page.on('pageerror', err => problems.push(`page error: ${err.message}`))
  page.on('console', msg => { if (msg.type() === 'error' && !(o.expectedConsole?.test(msg.text()) ?? false)) problems.push(`console: ${msg.text()}`) })
  page.on('request', req => { if (!req.url().startsWith(origin)) problems.push(`request to another origin: ${req.url()}`) })
  return { page, problems }
}
