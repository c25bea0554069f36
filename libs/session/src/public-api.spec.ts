import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

const SRC = __dirname;
const ROOT_ENTRY = join(SRC, 'index.ts');
/** The issue that curated the root entry set this bound; grow a subpath entry instead. */
const MAX_ROOT_NAMES = 45;

function program(): ts.Program {
  return ts.createProgram([ROOT_ENTRY], {
    strict: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    skipLibCheck: true,
    types: ['node'],
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
  });
}

/** The names the root entry exports, and whether the JSDoc of each declaration says @publicApi. */
function rootExports(): { name: string; publicApi: boolean }[] {
  const p = program();
  const checker = p.getTypeChecker();
  const entry = checker.getSymbolAtLocation(p.getSourceFile(ROOT_ENTRY)!)!;
  return checker.getExportsOfModule(entry).map((symbol) => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const declaration = target.declarations?.[0];
    const publicApi =
      declaration !== undefined &&
      ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === 'publicApi');
    return { name: symbol.name, publicApi };
  });
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Relative imports of a file (type-only ones included: a circle of types is still a circle). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/from\s+'(\.{1,2}\/[^']+)'/g)].map(([, specifier]) => {
    const base = resolve(dirname(file), specifier);
    return (
      sourceFiles(dirname(base)).find((f) => f === `${base}.ts` || f === join(base, 'index.ts')) ??
      base
    );
  });
}

describe('the public API', () => {
  const exported = rootExports();

  it(`exports at most ${MAX_ROOT_NAMES} names from the root entry`, () => {
    expect(exported.length).toBeGreaterThan(20);
    expect(exported.length).toBeLessThanOrEqual(MAX_ROOT_NAMES);
  });

  it('marks every root export @publicApi in its JSDoc', () => {
    expect(exported.filter((e) => !e.publicApi).map((e) => e.name)).toEqual([]);
  });

  it('keeps store internals and integrations out of the root entry', () => {
    const names = exported.map((e) => e.name);
    for (const internal of [
      'SessionRecord',
      'PostgresSessionStore',
      'RedisSessionStore',
      'SessionStrategy',
      'sessionEntities',
      'InMemorySessionStore',
      'LocalInvalidationChannel',
    ]) {
      expect(names).not.toContain(internal);
    }
  });

  it('has no import circle among the library sources', () => {
    const files = sourceFiles(SRC);
    const edges = new Map(files.map((file) => [file, importsOf(file)]));
    const state = new Map<string, 'open' | 'done'>();
    const circles: string[] = [];
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        circles.push(
          [...path.slice(path.indexOf(file)), file]
            .map((f) => f.slice(SRC.length + 1))
            .join(' -> '),
        );
        return;
      }
      state.set(file, 'open');
      for (const next of edges.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(circles).toEqual([]);
  });
});
