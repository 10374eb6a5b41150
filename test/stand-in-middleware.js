// Placeholder until the proxy and stand-in land: mounts the reference proxy, with the stand-in of
// meetergo's API as its upstream, at a path of the test dev server (a real HTTP round trip).
export function standInMiddleware(_path) {
  return (_context, next) => next();
}
