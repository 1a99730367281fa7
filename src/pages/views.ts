import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import hbs from 'hbs';

/** The project's `views/` directory, found from wherever the code runs (src/ or dist/src/). */
export function findViewsDir(start: string = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'views'))) {
      return join(dir, 'views');
    }
    if (dirname(dir) === dir) {
      throw new Error('views directory not found');
    }
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory() ? filesUnder(join(dir, entry.name)) : entry.isFile() ? [join(dir, entry.name)] : [],
    )
    .sort();
}

/**
 * A short hash of every static file: assets are served under `/static/<version>/`, so browsers may
 * cache them for good and still get new files the moment they change (relative module imports keep
 * the same version prefix).
 */
export function staticVersion(staticDir: string): string {
  const hash = createHash('sha256');
  for (const file of filesUnder(staticDir)) {
    hash.update(relative(staticDir, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 12);
}

/**
 * Registers the partials in `views/partials/` with the Handlebars engine. Templates only ever use
 * `{{ }}`, which escapes; pages wrap themselves in the `page` partial block instead of a layout, so no
 * template needs the unescaped `{{{ }}}`.
 */
export function registerPartials(viewsDir: string): void {
  const partialsDir = join(viewsDir, 'partials');
  for (const file of filesUnder(partialsDir).filter((path) => path.endsWith('.hbs'))) {
    hbs.registerPartial(basename(file, '.hbs'), readFileSync(file, 'utf8'));
  }
  hbs.registerHelper('eq', (left: unknown, right: unknown) => left === right);
}
