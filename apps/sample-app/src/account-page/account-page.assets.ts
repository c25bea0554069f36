import { dirname, join } from 'node:path';

/**
 * The page's files. nest-cli.json copies `public/**` beside the compiled code, so this path is
 * right both from the TypeScript sources (dev, Jest) and from dist/.
 */
export const PUBLIC_DIR = join(__dirname, '..', 'public');

export const ACCOUNT_PAGE_FILE = join(PUBLIC_DIR, 'index.html');

/** socket.io's browser client, from the server package (which ships it), so both stay one version. */
export const SOCKET_IO_BROWSER_FILE = join(
  dirname(require.resolve('socket.io/package.json')),
  'client-dist',
  'socket.io.min.js',
);
