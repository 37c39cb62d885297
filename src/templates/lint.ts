// Static checks nunjucks leaves to render time: every filter used exists, and every
// literal t('key') and plural('key') names a string the language has. Done at load,
// so a typo in a branch that the schema examples never take still stops startup
// instead of failing a send.
import nunjucks from 'nunjucks'
import { TemplateError } from './errors.ts'
import type { SourceFile } from './environment.ts'

interface AstNode {
  typename: string
  lineno: number
  colno: number
  name?: AstNode
  args?: { children: AstNode[] }
  value?: unknown
  findAll (type: unknown): AstNode[]
}

// The parser is part of nunjucks' runtime exports but not of its typings.
interface NunjucksInternals {
  parser: { parse (src: string): AstNode }
  nodes: { FunCall: unknown }
}

export interface LintScope {
  hasFilter (name: string): boolean
  hasString (key: string): boolean
  hasPlural (key: string): boolean
}

export function lintTemplate (file: SourceFile, scope: LintScope): void {
  const { parser, nodes } = nunjucks as unknown as NunjucksInternals
  const fail = (node: AstNode, problem: string) => new TemplateError('TEMPLATE_COMPILE',
    `${file.path}:${node.lineno + 1}:${node.colno + 1}: ${problem}`,
    [{ field: file.path, message: `line ${node.lineno + 1}, column ${node.colno + 1}: ${problem}` }])

  // Filter extends FunCall, so this finds both `x | f(...)` and `f(...)`.
  for (const call of parser.parse(file.src).findAll(nodes.FunCall)) {
    const name = call.name?.typename === 'Symbol' ? String(call.name.value) : undefined
    const args = call.args?.children ?? []
    if (call.typename === 'Filter') {
      if (name !== undefined && !scope.hasFilter(name)) throw fail(call, `unknown filter "${name}"`)
      const key = literal(args[1])
      if (name === 'plural' && key !== undefined && !scope.hasPlural(key)) throw fail(call, `no plurals.${key} in the locale`)
    } else if (name === 't') {
      const key = literal(args[0])
      if (key !== undefined && !scope.hasString(key)) throw fail(call, `no string "${key}" in the locale`)
    }
  }
}

function literal (node: AstNode | undefined): string | undefined {
  return node?.typename === 'Literal' && typeof node.value === 'string' ? node.value : undefined
}
