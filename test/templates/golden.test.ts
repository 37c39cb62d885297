// Every template in every language, rendered from realistic data, must match its
// golden file and be HTML that Telegram accepts. UPDATE_GOLDEN=1 rewrites the files.
import { readFile, writeFile } from 'node:fs/promises'
import t from 'tap'
import { htmlProblems, loadCatalog, sample, TEMPLATE_NAMES } from './fixtures/index.ts'

const update = process.env.UPDATE_GOLDEN === '1'
const catalog = await loadCatalog()

t.same(catalog.list().map(i => i.name), TEMPLATE_NAMES, 'the six templates')
t.same(catalog.languages, ['en', 'ru'])

for (const { name } of catalog.list()) {
  for (const language of catalog.languages) {
    t.test(`${name} (${language})`, async t => {
      const rendered = catalog.render(name, language, sample(name, language))
      t.equal(rendered.language, language)
      t.equal(rendered.fallback, false)
      t.same(await htmlProblems(rendered.text), [], 'valid Telegram HTML')
      t.notMatch(rendered.text, /undefined|null|NaN|\[object|\n\n\n|[ \t]\n/, 'no blanks, no leftovers')

      const file = new URL(`./golden/${name}.${language}.html`, import.meta.url)
      if (update) await writeFile(file, rendered.text + '\n')
      const golden = await readFile(file, 'utf8').catch(() => null)
      if (golden === null) t.fail(`no golden file ${file.pathname}; run with UPDATE_GOLDEN=1`)
      else t.equal(rendered.text + '\n', golden, 'matches the golden file')
    })
  }
}
