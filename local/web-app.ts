import fs from 'node:fs';
import path from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFile {
  contentType: string;
  body: Buffer | string;
}

/**
 * Serves the built web app the way CloudFront does: a file when one exists, `index.html` for
 * any other path (the app routes on the client), and `/config.json` telling the app to use the
 * local sign-in. Returns undefined when the app has not been built, so the caller can say so.
 */
export function webAppServer(distDirectory: string, config: unknown): ((requestPath: string) => StaticFile | undefined) | undefined {
  const root = path.resolve(distDirectory);
  if (!fs.existsSync(path.join(root, 'index.html'))) return undefined;
  const configJson = JSON.stringify(config);
  return (requestPath) => {
    if (requestPath === '/config.json') return { contentType: contentTypes['.json']!, body: configJson };
    let decoded: string;
    try {
      decoded = decodeURIComponent(requestPath);
    } catch {
      decoded = '/';
    }
    const file = path.resolve(root, `.${path.posix.normalize(decoded)}`);
    // Never outside the app's folder, whatever the path says.
    if (file.startsWith(`${root}${path.sep}`) && fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
      return { contentType: contentTypes[path.extname(file)] ?? 'application/octet-stream', body: fs.readFileSync(file) };
    }
    // A missing asset is a 404; a page path gets the app, which shows its own "not found".
    if (decoded.startsWith('/assets/')) return undefined;
    return { contentType: contentTypes['.html']!, body: fs.readFileSync(path.join(root, 'index.html')) };
  };
}
