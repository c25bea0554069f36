import { dirname, join } from 'node:path';

/**
 * The page's files. nest-cli.json copies `public/**` beside the compiled code, so this path is
 * right both from the TypeScript sources (dev, Jest) and from dist/.
 */
export const PUBLIC_DIR = join(__dirname, '..', 'public');

export const ACCOUNT_PAGE_FILE = join(PUBLIC_DIR, 'index.html');

/**
 * ua-parser-js's self-contained browser build (MIT, 1.x), served as a file: the page has no
 * build step, and the library's own package stays the single source of it.
 */
export const UA_PARSER_BROWSER_FILE = join(
  dirname(require.resolve('ua-parser-js/package.json')),
  'dist',
  'ua-parser.min.js',
);

/** socket.io's browser client, from the server package (which ships it), so both stay one version. */
export const SOCKET_IO_BROWSER_FILE = join(
  dirname(require.resolve('socket.io/package.json')),
  'client-dist',
  'socket.io.min.js',
);
